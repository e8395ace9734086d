"""A master artisan's phone (staff only) as real data: a Moroccan number entered in the admin,
stored in E.164; values saved before the check converted by a data migration when they read as
numbers, kept as typed when not."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import CharField
from django.db.models.functions import Cast

from chamber.models import Craft
from programs.models import MasterArtisan

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("programs.migrations.0007_master_phone_in_e164")
ADD = "/fr/admin/programs/masterartisan/add/"


def stored(master) -> str:
    """The phone as the database holds it, as text."""
    return (
        MasterArtisan.objects.filter(pk=master.pk)
        .annotate(text=Cast("phone", CharField()))
        .values_list("text", flat=True)
        .get()
    )


def master_data(commune, phone):
    craft = Craft.objects.get(code="tissage-tentes")
    return {"name": "Maâlem Brahim", "commune": commune.pk, "crafts": [craft.pk], "phone": phone}


@pytest.mark.parametrize(
    ("typed", "code"),
    [("abc", "invalid"), ("06123", "invalid"), ("+33612345678", "foreign")],
)
def test_the_admin_answers_a_phone_that_is_not_moroccan_on_its_field(
    client_as, commune_a, typed, code
):
    response = client_as("superuser").post(ADD, master_data(commune_a, typed))
    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors.as_data()["phone"]
    assert error.code == code
    assert f'value="{typed}"' in response.content.decode()
    assert not MasterArtisan.objects.exists()


def test_the_admin_stores_a_fixed_line_in_e164(client_as, commune_a):
    response = client_as("superuser").post(ADD, master_data(commune_a, "0528 87 10 10"))
    assert response.status_code == 302
    master = MasterArtisan.objects.get()
    assert stored(master) == "+212528871010"
    html = client_as("superuser").get(f"/fr/admin/programs/masterartisan/{master.pk}/change/")
    [field] = [tag for tag in html.content.decode().split("<input") if 'name="phone"' in tag]
    assert 'value="05 28 87 10 10"' in field
    assert 'type="tel"' in field and 'dir="ltr"' in field


@pytest.mark.parametrize(
    ("saved", "converted"),
    [("0661 23 45 67", "+212661234567"), ("+212 611", "+212 611"), ("", "")],
)
def test_the_data_migration_writes_numbers_in_e164_and_keeps_the_rest(saved, converted):
    assert MIGRATION._e164(saved) == converted


def test_the_data_migration_runs_on_the_saved_rows_and_back(commune_a):
    before = MigrationExecutor(connection).loader.project_state(
        ("programs", "0006_remove_apprentice_phone")
    )
    old = before.apps.get_model("programs", "MasterArtisan")
    master = MasterArtisan.objects.create(name="Maâlem Brahim", commune=commune_a)
    old.objects.filter(pk=master.pk).update(phone="0661 23 45 67")
    MIGRATION.to_e164(before.apps, None)
    assert stored(master) == "+212661234567"
    MIGRATION.to_national(before.apps, None)
    assert stored(master) == "06 61 23 45 67"
