"""Who must hear of an agreement's move is known above spaces (the cooperative that holds
it, the staff who follow it): like chamber.links, a higher layer adds, when it starts, a
function `tell(allocation_id, event)`, and the services of spaces call `announce` in their
transaction; the functions write rows of the outbox (chamber.outbox) with the move, sent once
it is committed, so a failing mail never undoes a move nor is lost.

Events: an allocation's new status ("renewal_requested", "renewed", "active" for a declined
renewal, "ended", "terminated"), or "ending" thirty days before its end.
"""

from collections.abc import Callable

_tellers: list[Callable[[int, str], object]] = []


def listen(teller: Callable[[int, str], object]) -> Callable:
    """Add `teller(allocation_id, event)` (once, however often the app starts)."""
    if teller not in _tellers:
        _tellers.append(teller)
    return teller


def announce(allocation_id: int, event: str) -> None:
    """Tell of the event in the caller's transaction (the tellers write outbox rows, which
    are sent once it is committed)."""
    for teller in list(_tellers):
        teller(allocation_id, event)
