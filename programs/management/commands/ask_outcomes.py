from django.core.management.base import BaseCommand

from programs.services import ask_outcomes


class Command(BaseCommand):
    help = (
        "Ask each young person, six months after their training ended, what they do now "
        "(employed, self-employed, in a cooperative, looking), by a notification sent once. "
        "Run it once a day (cron or a systemd timer); Celery beat runs it too. Idempotent."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{ask_outcomes()} young people asked.")
