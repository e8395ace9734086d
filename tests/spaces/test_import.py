"""Bulk import of spaces: the dry run's row-by-row report and its refusals, the confirmed
import (all or nothing, each new space with its history), and updates by reference."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from chamber.models import Craft, ImportCheck
from portal import figures
from spaces import imports, services
from spaces.models import Space, SpaceStatus, SpaceStatusChange
from tests import factories

pytestmark = pytest.mark.django_db
HEADER = ["name", "commune", "kind", "floor_area_m2", "capacity", "condition", "ownership"]
URL = "/fr/spaces/staff/import/"


def csv_file(rows, header=HEADER, encoding="utf-8", name="spaces.csv"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(encoding), "text/csv")


def row(n, **changes):
    values = {
        "name": f"Salle {n}",
        "commune": "Asrir",
        "kind": "community_hall",
        "floor_area_m2": "80",
        "capacity": "20",
        "condition": "ready",
        "ownership": "commune",
    }
    values.update(changes)
    return [values.get(name, "") for name in HEADER]


def check(client, upload):
    return client.post(URL, {"file": upload})


def refusals(response):
    report = response.context["report"]
    return {r.line: " ".join(r.reasons) for r in report.rows if r.action == "refuse"}


def test_twenty_spaces_five_wrong_then_fixed_enter_the_catalogue(client_as, commune_a):
    client = client_as("staff")
    before = figures.spaces(figures.Scope())
    rows = [row(n) for n in range(20)]
    rows[3] = row(3, commune="Atlantis")
    rows[5] = row(5, kind="château")
    rows[7] = row(7, floor_area_m2="quatre-vingts")
    rows[9] = row(9, name="Salle 0")  # the same building as line 2
    rows[11] = row(11, capacity="")
    response = check(client, csv_file(rows))
    report = response.context["report"]
    assert (report.created, report.updated, report.refused) == (15, 0, 5)
    wrong = refusals(response)
    assert "Atlantis" in wrong[5]
    assert "château" in wrong[7] and "community_hall" in wrong[7]
    assert "quatre-vingts" in wrong[9]
    assert "ligne 2" in wrong[11]
    assert "capacity" in wrong[13]
    assert not response.context["token"]
    assert Space.objects.count() == 0  # a dry run writes nothing

    response = check(client, csv_file([row(n) for n in range(20)]))
    assert response.context["report"].created == 20
    response = client.post(URL, {"confirm": response.context["token"]}, follow=True)
    assert "20" in response.content.decode()
    assert response.redirect_chain[-1][0].endswith("/fr/spaces/")
    spaces = Space.objects.all()
    assert spaces.count() == 20
    assert {s.status for s in spaces} == {SpaceStatus.AVAILABLE}
    assert {s.reviewed_by.username for s in spaces} == {"staff"}
    history = SpaceStatusChange.objects.filter(to_status=SpaceStatus.AVAILABLE, from_status="")
    assert history.count() == 20
    after = figures.spaces(figures.Scope())
    assert after["in_catalogue"] == before["in_catalogue"] + 20
    assert after["area"] == before["area"] + 20 * 80


def test_choices_are_read_by_their_name_in_arabic_or_french(client_as, commune_a):
    rows = [
        row(1, kind="Ancienne école", condition="Prêt à l'emploi", ownership="Commune"),
        row(2, kind="دار الشباب", commune="أسرير"),
    ]
    response = check(client_as("staff"), csv_file(rows))
    report = response.context["report"]
    assert [r.action for r in report.rows] == ["create", "create"], refusals(response)
    assert report.rows[0].data["kind"] == "former_school"
    assert report.rows[0].data["condition"] == "ready"
    assert report.rows[1].data["kind"] == "youth_centre"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"latitude": "28,83", "longitude": ""}, "latitude et la longitude"),
        ({"latitude": "33.59", "longitude": "-7.6"}, "hors de la région"),
        ({"latitude": "48.85", "longitude": "2.35"}, "hors du Maroc"),
        ({"latitude": "nord", "longitude": "-10"}, "nord"),
        ({"has_water": "peut-être"}, "peut-être"),
        ({"rooms": "0"}, "rooms"),
        ({"floor_area_m2": "-5"}, "floor_area_m2"),
        ({"contact_email": "pas une adresse"}, "contact_email"),
        ({"crafts": "inconnu"}, "inconnu"),
        ({"id": "abc"}, "abc"),
        ({"id": "999999"}, "999999"),
    ],
)
def test_a_bad_cell_is_refused_with_its_reason(client_as, commune_a, changes, message):
    header = [*HEADER, *[name for name in changes if name not in HEADER]]
    values = dict(zip(HEADER, row(1), strict=True)) | changes
    response = check(client_as("staff"), csv_file([[values[n] for n in header]], header=header))
    wrong = refusals(response)
    assert message in wrong[2]
    assert not ImportCheck.objects.exists()


def test_coordinates_utilities_and_crafts_are_read(client_as, commune_a):
    craft = Craft.objects.first()
    header = [*HEADER, "latitude", "longitude", "has_water", "has_electricity", "crafts"]
    values = [*row(1), "28,8302", "−10,0930", "نعم", "non", f"{craft.code}; {craft.code}"]
    client = client_as("staff")
    response = check(client, csv_file([values], header=header))
    assert response.context["report"].created == 1, refusals(response)
    client.post(URL, {"confirm": response.context["token"]})
    space = Space.objects.get()
    assert (str(space.latitude), str(space.longitude)) == ("28.830200", "-10.093000")
    assert (space.has_water, space.has_electricity) == (True, False)
    assert list(space.crafts.all()) == [craft]


def test_a_reference_updates_the_columns_the_file_has_and_never_the_status(client_as, commune_a):
    craft = Craft.objects.first()
    space = factories.SpaceFactory(
        commune=commune_a, name="Foyer", capacity=30, has_water=True, status="occupied"
    )
    space.crafts.set([craft])
    client = client_as("staff")
    header = ["id", "name", "commune", "kind", "floor_area_m2", "capacity", "condition"]
    header += ["ownership"]
    values = [str(space.pk), "Foyer rénové", "Asrir", "workshop", "200", "45", "ready", "state"]
    response = check(client, csv_file([values], header=header))
    assert response.context["report"].updated == 1, refusals(response)
    client.post(URL, {"confirm": response.context["token"]})
    space.refresh_from_db()
    assert (space.name, space.kind, space.floor_area_m2, space.capacity) == (
        "Foyer rénové",
        "workshop",
        200,
        45,
    )
    assert space.status == SpaceStatus.OCCUPIED
    assert space.has_water  # not a column of the file: kept
    assert list(space.crafts.all()) == [craft]  # no crafts column: kept
    assert not SpaceStatusChange.objects.filter(space=space).exists()


def test_a_new_row_naming_a_building_already_there_points_to_its_reference(client_as, commune_a):
    space = factories.SpaceFactory(commune=commune_a, name="Salle 1")
    response = check(client_as("staff"), csv_file([row(1, name="salle  1")]))
    assert str(space.pk) in refusals(response)[2]


def test_the_same_reference_twice_is_refused(client_as, commune_a):
    space = factories.SpaceFactory(commune=commune_a)
    header = ["id", *HEADER]
    rows = [[str(space.pk), *row(1)], [str(space.pk), *row(2)]]
    response = check(client_as("staff"), csv_file(rows, header=header))
    assert "ligne 2" in refusals(response)[3]


def test_the_template_documents_its_columns_and_its_example_imports_nothing(client_as, commune_a):
    client = client_as("staff")
    response = client.get("/fr/spaces/staff/import/template.csv")
    assert response["Content-Disposition"].startswith("attachment")
    body = response.content
    assert body.startswith("\ufeff".encode())
    header = body.decode("utf-8-sig").splitlines()[0].split(",")
    assert header == [name for name, _text in imports.COLUMNS]
    report = check(client, SimpleUploadedFile("t.csv", body)).context["report"]
    assert report.refused == 1
    assert "exemple" in " ".join(report.rows[0].reasons)
    # Its example, once renamed, is a space the check accepts as it is.
    edited = body.replace("Foyer féminin Asrir".encode(), b"Foyer de Tighmert")
    report = check(client, SimpleUploadedFile("t.csv", edited)).context["report"]
    assert (report.created, report.refused) == (1, 0)


def test_an_excel_file_in_arabic_is_read(client_as, commune_a):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(["قاعة الحي", "أسرير", "community_hall", 80.0, 20, "ready", "commune"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("s.xlsx", buffer.getvalue())
    report = check(client_as("staff"), upload).context["report"]
    assert [(r.action, r.name) for r in report.rows] == [("create", "قاعة الحي")]


def test_nothing_is_imported_if_a_row_became_wrong_after_the_check(client_as, commune_a):
    client = client_as("staff")
    response = check(client, csv_file([row(1), row(2)]))
    factories.SpaceFactory(commune=commune_a, name="Salle 2")  # proposed meanwhile
    response = client.post(URL, {"confirm": response.context["token"]}, follow=True)
    assert Space.objects.count() == 1
    assert "nouveau" in response.content.decode()


def test_a_second_click_imports_nothing_more(client_as, commune_a):
    client = client_as("staff")
    token = check(client, csv_file([row(1)])).context["token"]
    client.post(URL, {"confirm": token})
    again = client.post(URL, {"confirm": token}, follow=True)
    assert Space.objects.count() == 1
    assert "expiré" in again.content.decode()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("s.csv", b""), "vide"),
        (csv_file([["a", "b"]], header=["nom", "surface"]), "Manquantes"),
        (csv_file([]), "aucun espace"),
        (SimpleUploadedFile("s.csv", "\ufeffname;commune\nSalle;Asrir\n".encode()), "kind"),
    ],
)
def test_a_file_that_cannot_be_read_is_answered_on_the_field(client_as, upload, message):
    response = check(client_as("staff"), upload)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["file"])


def test_a_windows_1256_file_is_read(client_as, commune_a):
    upload = csv_file([row(1, name="قاعة", commune="أسرير")], encoding="cp1256")
    report = check(client_as("staff"), upload).context["report"]
    assert [(r.action, r.name) for r in report.rows] == [("create", "قاعة")]


@pytest.mark.parametrize("role", ["coop_a", "president_a", "visitor"])
def test_only_staff_import_spaces(client_as, role, users):
    client = client_as(role)
    assert client.get(URL).status_code in (302, 403)
    assert client.post(URL, {"file": csv_file([row(1)])}).status_code in (302, 403)
    assert not Space.objects.exists()
    if role != "visitor":
        with pytest.raises(PermissionDenied):
            services.import_spaces(actor=users(role), records=[])


@pytest.mark.parametrize("reference", ["99999999999999999999", "1e19", "-4", "0"])
def test_a_reference_out_of_any_range_is_refused_not_a_crash(client_as, commune_a, reference):
    header = ["id", *HEADER]
    response = check(client_as("staff"), csv_file([[reference, *row(1)]], header=header))
    assert response.status_code == 200
    assert reference.lstrip("-") in refusals(response)[2]


def test_a_thousands_separator_is_refused_rather_than_read_as_one(client_as, commune_a):
    response = check(client_as("staff"), csv_file([row(1, floor_area_m2="1,000")]))
    assert "1,000" in refusals(response)[2]


def test_an_update_cannot_rename_a_space_to_a_new_rows_name(client_as, commune_a):
    space = factories.SpaceFactory(commune=commune_a, name="Ancienne salle")
    header = ["id", *HEADER]
    rows = [[str(space.pk), *row(1, name="Salle Z")], ["", *row(2, name="Salle Z")]]
    response = check(client_as("staff"), csv_file(rows, header=header))
    assert "ligne 2" in refusals(response)[3]


def test_two_confirmations_of_the_same_new_rows_create_them_once(client_as, commune_a, users):
    client = client_as("staff")
    first = check(client, csv_file([row(1)])).context["token"]
    records = ImportCheck.objects.get(token=first).records
    services.import_spaces(actor=users("staff"), records=records)  # another staff, meanwhile
    response = client.post(URL, {"confirm": first}, follow=True)
    assert Space.objects.count() == 1
    assert "nouveau" in response.content.decode()


def test_a_french_file_in_latin_1_is_answered_on_the_field(client_as, commune_a):
    upload = csv_file([row(1, name="Salle des fêtes")], encoding="latin-1")
    response = check(client_as("staff"), upload)
    assert response.status_code == 200
    assert "1256" in " ".join(response.context["form"].errors["file"])
    assert "report" not in response.context
