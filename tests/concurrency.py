"""Several people acting at the same moment, for the tests that a row lock or a constraint lets
exactly the right number through. They need PostgreSQL: SQLite writes one at a time."""

import threading

from django.db import connections

from chamber.workflow import TransitionError

DONE = "done"


def at_the_same_moment(count: int, act) -> dict[int, str]:
    """Runs `act(0)` … `act(count - 1)` in as many threads, so in as many database connections,
    released together by a barrier. Returns each one's outcome: DONE, or the text of the
    TransitionError it was refused with (anything else it raises leaves its outcome out)."""
    barrier = threading.Barrier(count)
    outcomes = {}

    def run(n):
        try:
            barrier.wait(timeout=20)
            act(n)
            outcomes[n] = DONE
        except TransitionError as refusal:
            outcomes[n] = str(refusal)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes
