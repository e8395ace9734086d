"""A cooperative's phone as real data: a Moroccan number, stored in E.164, shown to staff in
the national format and exported as text; anything else answered on its field (form) or its
row (import); values saved before the check converted by a data migration when they read as
numbers, kept as typed when not."""

import csv
import importlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import CharField
from django.db.models.functions import Cast

from chamber.submissions import new_token
from cooperatives.models import Cooperative

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("cooperatives.migrations.0008_phone_in_e164")


def stored(model, pk, field="phone") -> str:
    """The phone as the database holds it, as text."""
    return (
        model.objects.filter(pk=pk)
        .annotate(text=Cast(field, CharField()))
        .values_list("text", flat=True)
        .get()
    )


def profile(commune, **changes):
    return {
        "name": "Coopérative Tighmert",
        "registration_number": "2024/0077",
        "commune": commune.pk,
        "women_members": "8",
        "men_members": "2",
        "under_30_members": "3",
        "form_token": new_token(),
        **changes,
    }


@pytest.mark.parametrize(
    ("typed", "code"),
    [("abc", "invalid"), ("06123", "invalid"), ("+33612345678", "foreign")],
)
def test_a_phone_that_is_not_moroccan_is_answered_on_its_field_as_typed(
    client_as, commune_a, typed, code
):
    response = client_as("staff").post(
        "/fr/cooperatives/staff/register/", profile(commune_a, phone=typed)
    )
    assert response.status_code == 200
    [error] = response.context["form"].errors.as_data()["phone"]
    assert error.code == code
    assert error.messages[0]
    assert f'value="{typed}"' in response.content.decode()
    assert not Cooperative.objects.filter(name="Coopérative Tighmert").exists()


def test_a_number_written_with_spaces_is_stored_in_e164_and_shown_nationally(client_as, commune_a):
    client = client_as("staff")
    client.post("/fr/cooperatives/staff/register/", profile(commune_a, phone="06 12 34 56 78"))
    cooperative = Cooperative.objects.get(name="Coopérative Tighmert")
    assert stored(Cooperative, cooperative.pk) == "+212612345678"
    page = client.get(f"/fr/cooperatives/{cooperative.pk}/").content.decode()
    assert '<a href="tel:+212612345678" dir="ltr">06 12 34 56 78</a>' in page
    edit = client.get(f"/fr/cooperatives/{cooperative.pk}/edit/").content.decode()
    [field] = [tag for tag in edit.split("<input") if 'name="phone"' in tag]
    assert 'value="06 12 34 56 78"' in field
    assert 'type="tel"' in field and 'dir="ltr"' in field


def test_the_representative_corrects_a_phone_saved_before_the_check(client_as, cooperative_a):
    Cooperative.objects.filter(pk=cooperative_a.pk).update(phone="0612")
    client = client_as("coop_a")
    assert (
        'value="0612"' in client.get(f"/fr/cooperatives/{cooperative_a.pk}/edit/").content.decode()
    )
    data = profile(cooperative_a.commune, phone="0612")
    response = client.post(f"/fr/cooperatives/{cooperative_a.pk}/edit/", data)
    assert response.context["form"].errors["phone"]
    assert stored(Cooperative, cooperative_a.pk) == "0612"  # nothing saved is lost
    data = profile(cooperative_a.commune, phone="+212 5 28 87 10 10")
    assert client.post(f"/fr/cooperatives/{cooperative_a.pk}/edit/", data).status_code == 302
    assert stored(Cooperative, cooperative_a.pk) == "+212528871010"


def test_the_staff_export_gives_the_phone_as_national_text(client_as, cooperative_a):
    Cooperative.objects.filter(pk=cooperative_a.pk).update(phone="+212612345678")
    text = client_as("staff").get("/fr/figures/export/cooperatives.csv").content.decode()
    [row] = [row for row in csv.reader(io.StringIO(text)) if "Coopérative A" in row]
    assert "06 12 34 56 78" in row


def test_the_staff_export_gives_a_phone_saved_before_the_check_as_typed(client_as, cooperative_a):
    Cooperative.objects.filter(pk=cooperative_a.pk).update(phone="06 12")
    text = client_as("staff").get("/fr/figures/export/cooperatives.csv").content.decode()
    [row] = [row for row in csv.reader(io.StringIO(text)) if "Coopérative A" in row]
    assert "06 12" in row


def import_file(*phones):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["registration_number", "name", "commune", "phone"])
    for n, phone in enumerate(phones):
        writer.writerow([f"2023/{n:04d}", f"Coopérative {n}", "Asrir", phone])
    return SimpleUploadedFile("coops.csv", buffer.getvalue().encode(), "text/csv")


def test_the_import_refuses_a_row_whose_phone_is_not_moroccan(client_as, commune_a):
    upload = import_file("06 12 34 56 78", "abc", "+33 6 12 34 56 78")
    response = client_as("staff").post("/fr/cooperatives/staff/import/", {"file": upload})
    report = response.context["report"]
    assert [row.action for row in report.rows] == ["create", "refuse", "refuse"]
    for row, typed in zip(report.rows[1:], ["abc", "+33 6 12 34 56 78"], strict=True):
        [reason] = row.reasons  # said once, not again by the model's own check
        assert "phone" in reason and typed in reason
    assert "+212" in report.rows[2].reasons[0]  # said to be foreign, not malformed


def test_the_import_stores_a_valid_phone_in_e164(client_as, commune_a):
    client = client_as("staff")
    upload = import_file("06 12 34 56 78", "")
    response = client.post("/fr/cooperatives/staff/import/", {"file": upload})
    client.post("/fr/cooperatives/staff/import/", {"confirm": response.context["token"]})
    first, second = Cooperative.objects.filter(
        name__in=["Coopérative 0", "Coopérative 1"]
    ).order_by("name")
    assert (stored(Cooperative, first.pk), stored(Cooperative, second.pk)) == ("+212612345678", "")


@pytest.mark.parametrize(
    ("saved", "converted"),
    [
        ("06 12 34 56 78", "+212612345678"),
        ("+212 600 111 222", "+212600111222"),
        ("05.28.87.10.10", "+212528871010"),
        ("+33 6 12 34 56 78", "+33612345678"),  # valid: the form then says it is foreign
        ("abc", "abc"),
        ("06123", "06123"),
    ],
)
def test_the_data_migration_writes_numbers_in_e164_and_keep_the_rest(saved, converted):
    assert MIGRATION._e164(saved) == converted


def test_the_data_migration_runs_on_the_saved_rows_and_back(cooperative_a, cooperative_b):
    before = MigrationExecutor(connection).loader.project_state(
        ("cooperatives", "0007_space_interest")
    )
    old = before.apps.get_model("cooperatives", "Cooperative")
    old.objects.filter(pk=cooperative_a.pk).update(phone="0612345678")
    old.objects.filter(pk=cooperative_b.pk).update(phone="+212 6")
    MIGRATION.to_e164(before.apps, None)
    assert stored(Cooperative, cooperative_a.pk) == "+212612345678"
    assert stored(Cooperative, cooperative_b.pk) == "+212 6"
    MIGRATION.to_national(before.apps, None)
    assert stored(Cooperative, cooperative_a.pk) == "06 12 34 56 78"
