from django.core.management.base import BaseCommand

from spaces.services import announce_ending_agreements, end_past_allocations


class Command(BaseCommand):
    help = (
        "End the allocations whose period is over, set each space's status from the days it "
        "has free, and announce the agreements that end within thirty days to their holder "
        "and the staff (once per end date). Run it once a day (cron or a systemd timer). "
        "Idempotent."
    )

    def handle(self, *args, **options):
        ended = end_past_allocations()
        announced = announce_ending_agreements()
        self.stdout.write(f"{ended} allocation(s) ended, {announced} end(s) announced.")
