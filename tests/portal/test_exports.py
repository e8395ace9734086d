import csv
from io import BytesIO, StringIO

import pytest
from openpyxl import load_workbook

from portal.exports import neutralise
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', """'=HYPERLINK("http://x")"""),
        ("+212 600", "'+212 600"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("\ncmd", "'\ncmd"),
        ("＝cmd", "'＝cmd"),
        ("Coop\x0bX", "CoopX"),
        ("Coopérative", "Coopérative"),
        (-5, -5),
        (None, None),
    ],
)
def test_cells_a_spreadsheet_would_run_are_neutralised(value, expected):
    assert neutralise(value) == expected


def test_a_csv_export_has_headers_in_the_readers_language_and_neutral_cells(client_as, commune_a):
    factories.CooperativeFactory(name="=cmd|' /C calc'!A0", commune=commune_a)
    response = client_as("staff").get("/fr/figures/export/cooperatives.csv")
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(StringIO(text)))
    assert rows[0][:2] == ["Numéro d’immatriculation", "Nom"]
    assert "'=cmd|' /C calc'!A0" in [row[1] for row in rows[1:]]
    assert "=cmd|' /C calc'!A0" not in [row[1] for row in rows[1:]]


def test_the_excel_export_keeps_arabic_intact(client_as, commune_a):
    factories.CooperativeFactory(name="تعاونية الوطية للمصنوعات الجلدية", commune=commune_a)
    response = client_as("staff").get("/ar/figures/export/cooperatives.xlsx")
    sheet = load_workbook(BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][1] == "الاسم"
    [row] = [row for row in values[1:] if row[1] == "تعاونية الوطية للمصنوعات الجلدية"]
    assert row[3] == "أسرير"


def test_exports_follow_the_figures_filters(client_as, commune_a, commune_b):
    factories.SpaceFactory(commune=commune_a, name="Ici")
    factories.SpaceFactory(commune=commune_b, name="Là-bas")
    response = client_as("staff").get(f"/fr/figures/export/spaces.csv?commune={commune_a.pk}")
    names = [row[1] for row in csv.reader(StringIO(response.content.decode("utf-8-sig")))][1:]
    assert names == ["Ici"]


@pytest.mark.parametrize(
    "dataset", ["spaces", "cooperatives", "applications", "allocations", "cohorts", "enrolments"]
)
def test_every_dataset_exports_in_both_formats(client_as, dataset):
    client = client_as("staff")
    assert client.get(f"/fr/figures/export/{dataset}.csv").status_code == 200
    assert client.get(f"/fr/figures/export/{dataset}.xlsx").status_code == 200


def test_an_unknown_dataset_is_a_404(client_as):
    assert client_as("staff").get("/fr/figures/export/passwords.csv").status_code == 404


def test_exports_are_for_staff_only(client_as):
    assert client_as("coop_a").get("/fr/figures/export/cooperatives.csv").status_code == 403


def test_a_name_with_control_characters_still_exports_to_excel(client_as, commune_a):
    factories.CooperativeFactory(name="Coop\x0bX", commune=commune_a)
    response = client_as("staff").get("/fr/figures/export/cooperatives.xlsx")
    assert response.status_code == 200
    names = [row[1].value for row in load_workbook(BytesIO(response.content)).active.iter_rows()]
    assert "CoopX" in names


def test_an_unreadable_filter_stops_the_export_and_says_why(client_as, commune_a):
    factories.SpaceFactory(commune=commune_a, name="Ici")
    response = client_as("staff").get("/fr/figures/export/spaces.csv?commune=999999")
    assert response.status_code == 400
    assert not response.get("Content-Disposition")
    assert response.context["form"].errors["commune"]
    assert "Ici" not in response.content.decode()


def test_excel_holds_formula_like_text_as_text_without_an_apostrophe(client_as, commune_a):
    factories.CooperativeFactory(
        name='=HYPERLINK("http://x")', commune=commune_a, phone="+212600000606"
    )
    response = client_as("staff").get("/ar/figures/export/cooperatives.xlsx")
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet.sheet_view.rightToLeft
    [row] = [row for row in sheet.iter_rows(min_row=2) if "HYPERLINK" in str(row[1].value)]
    assert (row[1].value, row[1].data_type) == ('=HYPERLINK("http://x")', "s")
    assert "06 00 00 06 06" in [cell.value for cell in row]  # the phone as text, national
    assert "نعم" in [cell.value for cell in row]  # verified: yes, in the reader's language


def test_csv_says_yes_and_no_in_the_readers_language(client_as, commune_a):
    factories.CooperativeFactory(name="Coop X", commune=commune_a)
    text = client_as("staff").get("/fr/figures/export/cooperatives.csv").content.decode()
    [row] = [row for row in csv.reader(StringIO(text)) if "Coop X" in row]
    assert "Oui" in row
    assert "True" not in text and "False" not in text
