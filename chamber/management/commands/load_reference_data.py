from django.core.management.base import BaseCommand

from chamber.models import Commune, Craft, Province
from chamber.reference import load_reference_data


class Command(BaseCommand):
    help = (
        "Load or refresh the provinces, communes and crafts from chamber/data/*.csv. "
        "Idempotent: rows that already match are left alone. Migrations run it on a new database."
    )

    def handle(self, *args, **options):
        report = load_reference_data(Province, Commune, Craft)
        for model in ("Province", "Commune", "Craft"):
            self.stdout.write(
                f"{model}: {report.created.get(model, 0)} created, "
                f"{report.updated.get(model, 0)} updated, "
                f"{report.unchanged.get(model, 0)} unchanged"
            )
