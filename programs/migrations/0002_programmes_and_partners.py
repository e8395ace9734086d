"""The two programmes of DESIGN.md §1, their partners and first objectives (programs.reference)."""

from django.db import migrations

from programs.reference import ensure_programmes


def create(apps, schema_editor):
    ensure_programmes(
        apps.get_model("programs", "Partner"),
        apps.get_model("programs", "Programme"),
        apps.get_model("programs", "Objective"),
    )


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
