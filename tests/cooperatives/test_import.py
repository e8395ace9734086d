"""Bulk import of cooperatives: the dry run's row-by-row report, its refusals, files that
cannot be read, and the confirmed import, all or nothing."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from chamber.imports import MAX_BYTES
from chamber.models import ImportCheck
from cooperatives import imports
from cooperatives.models import Cooperative
from portal import figures
from tests import factories

pytestmark = pytest.mark.django_db
HEADER = ["registration_number", "name", "commune", "founded_year", "women_members"]


def csv_file(rows, header=HEADER, encoding="utf-8", delimiter=",", name="coops.csv"):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(encoding), "text/csv")


def fifty(wrong=()):
    rows = [[f"2021/{n:04d}", f"Coopérative {n}", "Asrir", "2021", "12"] for n in range(50)]
    for n in wrong:
        rows[n] = {
            0: ["2021/0000", "Doublon", "Asrir", "2021", "12"],  # same number as row 0
            1: ["2021/0001", "Nulle part", "Atlantis", "2021", "12"],
            2: ["2021/0002", "Mal comptée", "كلميم", "2021", "douze"],
        }[wrong.index(n)]
    return rows


def check(client, upload):
    return client.post("/fr/cooperatives/staff/import/", {"file": upload})


def test_the_acceptance_fifty_cooperatives_three_wrong_then_fixed(client_as, commune_a):
    client = client_as("staff")
    before = figures.cooperatives(figures.Scope())["verified"]
    response = check(client, csv_file(fifty(wrong=(10, 20, 30))))
    report = response.context["report"]
    assert (report.created, report.updated, report.refused) == (47, 0, 3)
    refused = {row.line: " ".join(row.reasons) for row in report.rows if row.action == "refuse"}
    assert "ligne 2" in refused[12]  # line 1 is the header, row 0 is line 2
    assert "Atlantis" in refused[22]
    assert "douze" in refused[32]
    assert not response.context["token"]
    assert Cooperative.objects.count() == before  # a dry run writes nothing

    response = check(client, csv_file(fifty()))
    token = response.context["token"]
    assert response.context["report"].created == 50
    response = client.post("/fr/cooperatives/staff/import/", {"confirm": token}, follow=True)
    assert "50" in response.content.decode()
    assert figures.cooperatives(figures.Scope())["verified"] == before + 50
    imported = Cooperative.objects.get(registration_key="2021/1")
    assert (imported.commune, imported.women_members, imported.verified) == (commune_a, 12, True)


def test_arabic_names_windows_1256_and_semicolons_are_read(client_as, commune_a):
    upload = csv_file(
        [["2019/7", "تعاونية أسرير", "أسرير", "", "9"]], encoding="cp1256", delimiter=";"
    )
    report = check(client_as("staff"), upload).context["report"]
    assert [(r.action, r.name) for r in report.rows] == [("create", "تعاونية أسرير")]


def test_a_byte_order_mark_is_not_part_of_the_first_column(client_as, commune_a):
    body = imports.template_csv().replace(b"Tifawin", b"Tighmert")
    assert body.startswith("\ufeffregistration_number".encode())
    report = check(client_as("staff"), SimpleUploadedFile("c.csv", body)).context["report"]
    assert report.created == 1


def test_an_excel_file_is_read(client_as, commune_a):
    workbook = Workbook()
    workbook.active.append(HEADER + ["crafts"])
    workbook.active.append(["2018/0003", "Coopérative Excel", "10.261.05.05", 2018, 7, "vannerie"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("c.xlsx", buffer.getvalue())
    report = check(client_as("staff"), upload).context["report"]
    assert [(r.action, r.data["founded_year"], len(r.crafts)) for r in report.rows] == [
        ("create", 2018, 1)
    ]


def test_a_known_registration_number_updates_the_cooperative(client_as, cooperative_a):
    client = client_as("staff")
    number = cooperative_a.registration_number.replace("/", "-")  # written another way
    response = check(client, csv_file([[number, "Nouveau nom", "Asrir", "2010", "30"]]))
    assert response.context["report"].updated == 1
    client.post("/fr/cooperatives/staff/import/", {"confirm": response.context["token"]})
    cooperative_a.refresh_from_db()
    assert (cooperative_a.name, cooperative_a.women_members) == ("Nouveau nom", 30)


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("c.csv", b""), "vide"),
        (SimpleUploadedFile("c.csv", b"\n\n"), "vide"),
        (csv_file([["a", "b"]], header=["numero", "nom"]), "Manquantes"),
        (csv_file([]), "aucune coopérative"),
        (SimpleUploadedFile("c.pdf", b"%PDF-1.4"), ".csv"),
        (SimpleUploadedFile("c.xlsx", b"PK\x03\x04broken"), "Excel"),
        (SimpleUploadedFile("c.csv", b"x" * (MAX_BYTES + 1)), "5"),
    ],
)
def test_a_file_that_cannot_be_read_is_answered_on_the_field(client_as, upload, message):
    response = check(client_as("staff"), upload)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["file"])
    assert message in errors
    assert "report" not in response.context


def test_a_six_megabyte_file_is_refused_with_a_message_on_the_field(client_as):
    upload = SimpleUploadedFile("big.csv", b"a,b\n" * (6 * 1024 * 1024 // 4))
    response = check(client_as("staff"), upload)
    assert "Mo" in " ".join(response.context["form"].errors["file"])
    assert Cooperative.objects.filter(name="a").count() == 0


def test_a_twenty_megabyte_file_is_refused_before_it_is_read(client_as):
    upload = SimpleUploadedFile("big.csv", b"a,b\n" * (5 * 1024 * 1024))
    response = check(client_as("staff"), upload)
    assert response.status_code == 413
    assert Cooperative.objects.filter(name="a").count() == 0


def test_nothing_is_imported_if_a_row_became_wrong_after_the_check(client_as, commune_a):
    client = client_as("staff")
    response = check(
        client,
        csv_file([["2022/1", "Une", "Asrir", "", "3"], ["2022/2", "Deux", "Asrir", "", "3"]]),
    )
    # The waiting rows are checked again at the import: make the second one wrong meanwhile.
    waiting = ImportCheck.objects.get(token=response.context["token"])
    waiting.records[1]["registration_number"] = "2022/1"
    waiting.save()
    response = client.post(
        "/fr/cooperatives/staff/import/", {"confirm": response.context["token"]}, follow=True
    )
    assert not Cooperative.objects.filter(registration_key__startswith="2022/").exists()
    assert "nouveau" in response.content.decode()


def test_the_checked_rows_wait_in_the_database_not_in_the_session(client_as, commune_a):
    client = client_as("staff")
    response = check(client, csv_file(fifty()))
    waiting = ImportCheck.objects.get()
    assert (waiting.kind, len(waiting.records)) == ("cooperatives", 50)
    assert waiting.token == response.context["token"]
    assert not any("import" in key for key, _value in client.session.items())
    # A new check replaces the person's earlier one.
    check(client, csv_file(fifty()))
    assert ImportCheck.objects.count() == 1


def test_another_persons_or_an_old_check_cannot_be_confirmed(client_as, commune_a):
    from datetime import timedelta

    from django.utils import timezone

    token = check(client_as("staff"), csv_file(fifty())).context["token"]
    other = factories.UserFactory(role="staff")
    client = client_as("staff")
    client.force_login(other)
    response = client.post("/fr/cooperatives/staff/import/", {"confirm": token}, follow=True)
    assert "expiré" in response.content.decode()
    assert ImportCheck.objects.filter(token=token).exists()  # still there for its author

    ImportCheck.objects.update(created_at=timezone.now() - timedelta(days=1))
    response = client_as("staff").post(
        "/fr/cooperatives/staff/import/", {"confirm": token}, follow=True
    )
    assert "expiré" in response.content.decode()
    assert not Cooperative.objects.filter(registration_key__startswith="2021/").exists()


def test_a_stale_confirmation_imports_nothing(client_as):
    response = client_as("staff").post(
        "/fr/cooperatives/staff/import/", {"confirm": "forged"}, follow=True
    )
    assert "expiré" in response.content.decode()


@pytest.mark.parametrize("role", ["coop_a", "president_a", "visitor"])
def test_only_staff_import(client_as, role):
    client = client_as(role)
    assert client.get("/fr/cooperatives/staff/import/").status_code in (302, 403)
    assert client.get("/fr/cooperatives/staff/import/template.csv").status_code in (302, 403)


def test_the_template_downloads_with_the_documented_columns(client_as):
    response = client_as("staff").get("/fr/cooperatives/staff/import/template.csv")
    header = response.content.decode("utf-8-sig").splitlines()[0].split(",")
    assert header == [name for name, _text in imports.COLUMNS]


@pytest.mark.parametrize("written", ["اسرير", "أَسْرِير", "ASRIR", " asrir ", "10.261.05.05"])
def test_a_commune_is_found_however_it_is_written(client_as, commune_a, written):
    upload = csv_file([["2019/8", "Coopérative", written, "", "9"]])
    [row] = check(client_as("staff"), upload).context["report"].rows
    assert (row.action, row.data["commune_id"]) == ("create", commune_a.pk)


@pytest.mark.parametrize("written", ["الدار البيضاء", "سيدي  الرباط", "-", "Casablanca"])
def test_a_place_outside_the_region_is_never_taken_for_a_commune(client_as, written):
    upload = csv_file([["2019/8", "Coopérative", written, "", "9"]])
    [row] = check(client_as("staff"), upload).context["report"].rows
    assert row.action == "refuse"


def test_an_update_keeps_what_the_file_leaves_out(client_as, cooperative_a):
    from chamber.models import Craft

    craft = Craft.objects.first()
    cooperative_a.crafts.set([craft])
    Cooperative.objects.filter(pk=cooperative_a.pk).update(phone="0600000000", founded_year=2001)
    client = client_as("staff")
    upload = csv_file(
        [[cooperative_a.registration_number, "Nom corrigé", "Asrir"]],
        header=["registration_number", "name", "commune"],
    )
    response = check(client, upload)
    client.post("/fr/cooperatives/staff/import/", {"confirm": response.context["token"]})
    cooperative_a.refresh_from_db()
    assert cooperative_a.name == "Nom corrigé"
    assert (cooperative_a.phone, cooperative_a.founded_year) == ("0600000000", 2001)
    assert cooperative_a.women_members == 10
    assert list(cooperative_a.crafts.all()) == [craft]


def test_a_craft_written_twice_is_linked_once(client_as, commune_a):
    client = client_as("staff")
    upload = csv_file(
        [["2019/9", "Vanniers", "Asrir", "vannerie;vannerie"]],
        header=["registration_number", "name", "commune", "crafts"],
    )
    response = check(client, upload)
    response = client.post("/fr/cooperatives/staff/import/", {"confirm": response.context["token"]})
    assert response.status_code == 302
    assert Cooperative.objects.get(registration_key="2019/9").crafts.count() == 1


def test_a_second_click_on_import_imports_nothing_more(client_as, commune_a):
    client = client_as("staff")
    token = check(client, csv_file([["2019/10", "Une", "Asrir", "", "3"]])).context["token"]
    client.post("/fr/cooperatives/staff/import/", {"confirm": token})
    again = client.post("/fr/cooperatives/staff/import/", {"confirm": token}, follow=True)
    assert "expiré" in again.content.decode()
    assert Cooperative.objects.filter(registration_key="2019/10").count() == 1


def test_line_numbers_count_blank_lines_and_old_mac_endings_are_read(client_as, commune_a):
    raw = "registration_number,name,commune\r2019/11,Une,Asrir\r\r2019/11,Deux,Asrir\r"
    upload = SimpleUploadedFile("c.csv", raw.encode())
    report = check(client_as("staff"), upload).context["report"]
    assert [(row.line, row.action) for row in report.rows] == [(2, "create"), (4, "refuse")]
    assert "2" in report.rows[1].reasons[0]


def test_whole_numbers_written_with_a_decimal_point_are_read(client_as, commune_a):
    [row] = (
        check(client_as("staff"), csv_file([["2019/12", "Une", "Asrir", "2019.0", "12.0"]]))
        .context["report"]
        .rows
    )
    assert (row.action, row.data["women_members"]) == ("create", 12)


def test_a_row_with_more_cells_than_columns_is_refused(client_as, commune_a):
    upload = csv_file([["2019/13", "Une", "Asrir", "", "3", "en trop"]])
    [row] = check(client_as("staff"), upload).context["report"].rows
    assert row.action == "refuse"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"registration_number,name,commune\n2019/1,Co\x00op,Asrir\n", "pas du texte"),
        (b"registration_number,name,name,commune\n2019/1,a,b,Asrir\n", "deux fois"),
        (b'registration_number,name,commune\n2019/1,"' + b"x" * 200_000 + b"\n", "guillemets"),
    ],
)
def test_a_malformed_csv_is_answered_on_the_field(client_as, raw, message):
    response = check(client_as("staff"), SimpleUploadedFile("c.csv", raw))
    assert message in " ".join(response.context["form"].errors["file"])


def test_the_templates_example_row_imports_nothing(client_as, commune_a):
    client = client_as("staff")
    body = client.get("/fr/cooperatives/staff/import/template.csv").content
    report = check(client, SimpleUploadedFile("t.csv", body)).context["report"]
    assert (report.created, report.updated, report.refused) == (0, 0, 1)
    assert "exemple" in " ".join(report.rows[0].reasons)


def test_an_unreadable_count_is_not_also_compared_with_the_others(client_as, commune_a):
    header = ["registration_number", "name", "commune", "women_members", "under_30_members"]
    upload = csv_file([["2019/5", "Tiwizi", "Asrir", "douze", "4"]], header=header)
    [row] = check(client_as("staff"), upload).context["report"].rows
    assert len(row.reasons) == 1 and "douze" in row.reasons[0]


def test_a_utf8_file_with_a_stray_byte_is_answered_on_the_field_not_read_garbled(client_as):
    upload = csv_file([["2021/9", "Coopérative Tifawin", "Asrir", "2021", "12"]])
    upload = SimpleUploadedFile("coops.csv", upload.read().replace(b"Tif", b"T\xffif"))
    response = check(client_as("staff"), upload)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["file"])
    assert "UTF-8" in errors and "1256" in errors and "2" in errors
    assert "report" not in response.context
    assert not Cooperative.objects.filter(registration_key="2021/9").exists()
