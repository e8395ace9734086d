from django.core.management.base import BaseCommand

from cooperatives.services import remind_missing_reports


class Command(BaseCommand):
    help = (
        "Tell each cooperative of an activity report due when its month or quarter ends, and "
        "remind it of the reports past their due date (ten days after), once for each report "
        "that falls late, through its notifications. Run it once a day (cron or a systemd "
        "timer); Celery beat runs it too. Idempotent."
    )

    def handle(self, *args, **options):
        reminded = remind_missing_reports()
        self.stdout.write(f"{reminded} cooperative(s) reminded.")
