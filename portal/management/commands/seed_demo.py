from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = (
        "Fill the database with demo content (spaces, cooperatives in real communes) and one "
        f"account per role, all with the password {DEMO_PASSWORD}. Idempotent. Refused when "
        "DEBUG is off: the demo password is public."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo is refused when DEBUG is off: its accounts share a public password."
            )
        report = seed_demo()
        self.stdout.write(
            f"Demo data: {report.created} objects created, {report.existing} already there. "
            f"Accounts staff, president, president2, coop, coop2, apprentice; "
            f"password {DEMO_PASSWORD}."
        )
