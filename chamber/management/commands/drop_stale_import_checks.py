from django.core.management.base import BaseCommand

from chamber.services import IMPORT_CHECK_LIFETIME, drop_stale_import_checks


class Command(BaseCommand):
    help = (
        "Delete the bulk-import dry runs nobody confirmed within "
        f"{IMPORT_CHECK_LIFETIME.total_seconds() / 3600:g} hours: their rows may hold contact "
        "details. `forget_expired` does this among the rest: schedule that one. Idempotent."
    )

    def handle(self, *args, **options):
        dropped = drop_stale_import_checks()
        self.stdout.write(f"{dropped} import check(s) dropped.")
