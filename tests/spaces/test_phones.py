"""A space's phone for visits as real data: a Moroccan number, stored in E.164, shown in the
national format; anything else answered on its field (form) or its row (import); values saved
before the check converted by a data migration when they read as numbers, kept as typed when
not, and shown as typed until someone corrects them."""

import csv
import importlib
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import CharField
from django.db.models.functions import Cast

from chamber.submissions import new_token
from chamber.templatetags.phones import e164, national, tel
from spaces.models import Space
from tests import factories

pytestmark = pytest.mark.django_db

PROPOSAL = {
    "name": "Ancienne école de Tighmert",
    "kind": "former_school",
    "floor_area_m2": "240",
    "rooms": "5",
    "capacity": "40",
    "condition": "minor_works",
    "ownership": "commune",
}
IMPORT_HEADER = [
    "name",
    "commune",
    "kind",
    "floor_area_m2",
    "capacity",
    "condition",
    "ownership",
    "contact_phone",
]
MIGRATION = importlib.import_module("spaces.migrations.0010_contact_phone_in_e164")


def stored(space) -> str:
    """The phone as the database holds it, as text."""
    return (
        Space.objects.filter(pk=space.pk)
        .annotate(text=Cast("contact_phone", CharField()))
        .values_list("text", flat=True)
        .get()
    )


def propose(client, phone):
    data = {**PROPOSAL, "contact_phone": phone, "form_token": new_token()}
    return client.post("/fr/spaces/propose/", data)


@pytest.mark.parametrize(
    ("typed", "code"),
    [("abc", "invalid"), ("06123", "invalid"), ("+33612345678", "foreign")],
)
def test_a_phone_that_is_not_moroccan_is_answered_on_its_field_as_typed(
    client_as, commune_a, typed, code
):
    response = propose(client_as("president_a"), typed)
    assert response.status_code == 200
    [error] = response.context["form"].errors.as_data()["contact_phone"]
    assert error.code == code
    assert error.messages[0]
    html = response.content.decode()
    assert f'value="{typed}"' in html
    assert 'id="id_contact_phone_error"' in html
    assert not Space.objects.exists()


def test_a_number_written_with_spaces_is_stored_in_e164_and_shown_nationally(client_as, commune_a):
    client = client_as("president_a")
    response = propose(client, "06 12 34 56 78")
    space = Space.objects.get()
    assert response.status_code == 302
    assert stored(space) == "+212612345678"
    edit = client.get(f"/fr/spaces/{space.pk}/edit/").content.decode()
    assert 'value="06 12 34 56 78"' in edit
    page = client.get(f"/fr/spaces/{space.pk}/").content.decode()
    assert '<a href="tel:+212612345678" dir="ltr">06 12 34 56 78</a>' in page


def test_the_phone_input_is_left_to_right_and_a_telephone_one(client_as, commune_a):
    html = client_as("president_a").get("/ar/spaces/propose/").content.decode()
    [field] = [tag for tag in html.split("<input") if 'name="contact_phone"' in tag]
    assert 'type="tel"' in field and 'dir="ltr"' in field


def test_a_value_saved_before_the_check_is_shown_as_typed_and_must_be_corrected(client_as, space_a):
    Space.objects.filter(pk=space_a.pk).update(contact_phone="+212 611")
    client = client_as("president_a")
    page = client.get(f"/fr/spaces/{space_a.pk}/").content.decode()
    assert '<a href="tel:+212611" dir="ltr">+212 611</a>' in page
    edit = client.get(f"/fr/spaces/{space_a.pk}/edit/").content.decode()
    assert 'value="+212 611"' in edit
    response = client.post(
        f"/fr/spaces/{space_a.pk}/edit/", {**PROPOSAL, "contact_phone": "+212 611"}
    )
    assert response.context["form"].errors["contact_phone"]
    assert stored(space_a) == "+212 611"  # nothing saved is lost


def test_a_foreign_number_saved_before_the_check_reads_as_foreign(space_a):
    Space.objects.filter(pk=space_a.pk).update(contact_phone="+33612345678")
    space_a.refresh_from_db()
    assert national(space_a.contact_phone) == "+33 6 12 34 56 78"
    assert tel(space_a.contact_phone) == "+33612345678"


def test_the_filters_read_text_and_empty_values():
    assert national("0528871010") == "05 28 87 10 10"
    assert e164("0528871010") == "+212528871010"
    assert national("") == tel(None) == ""
    assert national("abc") == "abc" and tel("abc") == ""


def test_personal_data_hold_the_phone_as_e164_text(client_as, space_a):
    Space.objects.filter(pk=space_a.pk).update(contact_phone="0612345678")
    response = client_as("president_a").get("/fr/account/my-data.json")
    [space] = json.loads(response.content)["spaces"]["proposed_spaces"]
    assert space["contact_phone"] == "+212612345678"


def import_file(*phones):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(IMPORT_HEADER)
    for n, phone in enumerate(phones):
        writer.writerow(
            [f"Salle {n}", "Asrir", "community_hall", "80", "20", "ready", "commune", phone]
        )
    return SimpleUploadedFile("spaces.csv", buffer.getvalue().encode(), "text/csv")


def test_the_import_refuses_a_row_whose_phone_is_not_moroccan(client_as, commune_a):
    response = client_as("staff").post(
        "/fr/spaces/staff/import/",
        {"file": import_file("0528 87 10 10", "06123", "+33 6 12 34 56 78")},
    )
    report = response.context["report"]
    assert [row.action for row in report.rows] == ["create", "refuse", "refuse"]
    for row, typed in zip(report.rows[1:], ["06123", "+33 6 12 34 56 78"], strict=True):
        [reason] = row.reasons
        assert "contact_phone" in reason and typed in reason
    assert "+212" in report.rows[2].reasons[0]  # said to be foreign, not malformed


def test_the_import_stores_a_valid_phone_in_e164(client_as, commune_a):
    client = client_as("staff")
    response = client.post("/fr/spaces/staff/import/", {"file": import_file("0528 87 10 10", "")})
    client.post("/fr/spaces/staff/import/", {"confirm": response.context["token"]})
    assert [stored(space) for space in Space.objects.order_by("name")] == ["+212528871010", ""]


@pytest.mark.parametrize(
    ("saved", "converted"),
    [
        ("06 12 34 56 78", "+212612345678"),
        ("0528 87 10 10", "+212528871010"),
        ("+212 6 12 34 56 78", "+212612345678"),
        ("00212612345678", "+212612345678"),
        ("0033 6 12 34 56 78", "+33612345678"),  # valid: the form then says it is foreign
        ("abc", "abc"),
        ("06123", "06123"),
        ("+212 611", "+212 611"),
    ],
)
def test_the_data_migration_writes_numbers_in_e164_and_keeps_the_rest(saved, converted):
    assert MIGRATION._e164(saved) == converted


def test_the_data_migration_runs_on_the_saved_rows_and_back(commune_a):
    before = MigrationExecutor(connection).loader.project_state(
        ("spaces", "0009_exclusion_covers_running_agreements")
    )
    old = before.apps.get_model("spaces", "Space")
    valid, malformed = factories.SpaceFactory.create_batch(2, commune=commune_a)
    old.objects.filter(pk=valid.pk).update(contact_phone="06 12 34 56 78")
    old.objects.filter(pk=malformed.pk).update(contact_phone="06 12")
    MIGRATION.to_e164(before.apps, None)
    assert (stored(valid), stored(malformed)) == ("+212612345678", "06 12")
    MIGRATION.to_national(before.apps, None)
    assert (stored(valid), stored(malformed)) == ("06 12 34 56 78", "06 12")
