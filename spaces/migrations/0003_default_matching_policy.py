"""The one matching policy row, with the defaults documented in the README."""

from django.db import migrations


def create(apps, schema_editor):
    apps.get_model("spaces", "MatchingPolicy").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("spaces", "0002_allocation_and_matching_policy")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
