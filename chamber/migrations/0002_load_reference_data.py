"""Fill provinces, communes and crafts on every new database (chamber/data/*.csv)."""

from django.db import migrations

from chamber.reference import load_reference_data


def load(apps, schema_editor):
    load_reference_data(
        apps.get_model("chamber", "Province"),
        apps.get_model("chamber", "Commune"),
        apps.get_model("chamber", "Craft"),
    )


class Migration(migrations.Migration):
    dependencies = [("chamber", "0001_initial")]

    # Reversing leaves the rows: other data points to them, and loading again changes nothing.
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
