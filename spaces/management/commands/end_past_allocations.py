from django.core.management.base import BaseCommand

from spaces.services import end_past_allocations


class Command(BaseCommand):
    help = (
        "End the allocations whose period is over and make their spaces available again when "
        "nothing else occupies them. Run it once a day (cron or a systemd timer). Idempotent."
    )

    def handle(self, *args, **options):
        ended = end_past_allocations()
        self.stdout.write(f"{ended} allocation(s) ended.")
