from django.core.management.base import BaseCommand

from chamber.services import IMPORT_CHECK_LIFETIME, forget_expired, login_records_retention


class Command(BaseCommand):
    help = (
        "Delete what the portal keeps no longer than needed (law 09-08): login records and "
        f"failed-login records after {login_records_retention().days} days "
        "(LOGIN_RECORDS_RETENTION_DAYS), failed-login counters once their cool-off is over, "
        "expired sessions, bulk-import dry runs nobody confirmed within "
        f"{IMPORT_CHECK_LIFETIME.total_seconds() / 3600:g} hours, and the one-time tokens of "
        "submitted forms once they can no longer be sent again. "
        "Run it once a day (cron or a systemd timer). Idempotent."
    )

    def handle(self, *args, **options):
        for what, count in forget_expired().items():
            self.stdout.write(f"{what}: {count} deleted")
