from django.core.management.base import BaseCommand

from chamber import outbox


class Command(BaseCommand):
    help = (
        "Send every notification that is due: waiting for its next try after a failure, or "
        "left by a worker that stopped mid-send. Celery beat does this every minute; without "
        "a broker (tasks in the web process) run it from cron every few minutes. Idempotent: "
        "a sent message is never sent again."
    )

    def handle(self, *args, **options):
        outcomes: dict[str, int] = {}
        for pk in outbox.due():
            outcome = outbox.deliver(pk)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
        said = ", ".join(f"{count} {outcome}" for outcome, count in sorted(outcomes.items()))
        self.stdout.write(said or "Nothing to send.")
