from django.core.management.base import BaseCommand

from cooperatives.services import remind_missing_reports


class Command(BaseCommand):
    help = (
        "Remind by e-mail each cooperative whose activity reports are past their due date "
        "(ten days after the month or quarter), once for each report that falls late. Run it "
        "once a day (cron or a systemd timer). Idempotent."
    )

    def handle(self, *args, **options):
        reminded = remind_missing_reports()
        self.stdout.write(f"{reminded} cooperative(s) reminded.")
