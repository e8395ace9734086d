"""What both bulk imports share: reading a file (including Excel files that lie about their
size or are damaged), recognising names as people write them, whole numbers, and the
waiting dry run."""

import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from chamber import services
from chamber.imports import ImportFileError, commune_index, name_key, read_file, whole_number
from chamber.models import ImportCheck
from tests import factories

COLUMNS = [("name", ""), ("commune", "")]


def read(raw: bytes, name="f.csv"):
    return read_file(
        SimpleUploadedFile(name, raw), columns=COLUMNS, required={"name"}, no_rows="no rows"
    )


def workbook(rewrite=None) -> bytes:
    book = Workbook()
    book.active.append(["name", "commune"])
    book.active.append(["Salle", "Asrir"])
    buffer = io.BytesIO()
    book.save(buffer)
    if rewrite is None:
        return buffer.getvalue()
    source, out = zipfile.ZipFile(buffer), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = rewrite(data)
            target.writestr(item, data)
    return out.getvalue()


def claims_whole_sheet(data: bytes) -> bytes:
    """What a formatted column does: the sheet claims A1:XFD1048576, with one cell at the end."""
    data = re.sub(rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1:XFD1048576"/>', data)
    last = b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    return data.replace(b"</sheetData>", last + b"</sheetData>")


def test_an_excel_file_is_read():
    assert read(workbook(), "f.xlsx")[0] | {"__line__": 2} == {
        "name": "Salle",
        "commune": "Asrir",
        "__line__": 2,
    }


def test_a_sheet_claiming_a_million_rows_is_refused_without_reading_them():
    with pytest.raises(ImportFileError, match="20000|20 000|20,000"):
        read(workbook(claims_whole_sheet), "f.xlsx")


@pytest.mark.parametrize(
    "rewrite",
    [
        lambda data: data[: len(data) // 2],  # cut in the middle of the sheet
        lambda data: data.replace(b't="s"', b't="s"').replace(
            b'<c r="A2"', b'<c r="A2" t="s"><v>999</v></c><c r="Z2"'
        ),  # a shared string that is not there
    ],
)
def test_a_damaged_sheet_is_answered_with_a_message(rewrite):
    with pytest.raises(ImportFileError):
        read(workbook(rewrite), "f.xlsx")


def test_the_separator_is_the_one_of_the_column_names_after_blank_lines():
    assert read(b"\n\nname;commune\nSalle;Asrir\n")[0]["commune"] == "Asrir"


def test_invisible_marks_do_not_hide_a_column_or_a_commune(db, reference_data):
    records = read("\ufeff\u200fname,commune\nSalle,\u200fأسرير\u200e\n".encode())
    assert records[0]["name"] == "Salle"
    assert commune_index()[name_key(records[0]["commune"])]


@pytest.mark.parametrize(
    ("text", "number"),
    [("12", 12), ("12.0", 12), ("12,00", 12), ("-3", -3), (" 7 ", 7), ("١٢", 12), ("۳", 3)],
)
def test_whole_numbers_as_spreadsheets_write_them(text, number):
    assert whole_number(text) == number


@pytest.mark.parametrize(
    "text", ["1,000", "1.000", "150,000", "1e3", "12.5", "NaN", "1" * 19, "douze", ""]
)
def test_a_thousands_separator_or_a_fraction_is_not_a_whole_number(text):
    with pytest.raises(ValueError):
        whole_number(text)


@pytest.mark.django_db
def test_a_failed_import_keeps_the_check_and_a_done_one_takes_it():
    staff = factories.StaffFactory()
    token = services.keep_import_check(actor=staff, kind="spaces", records=[{"name": "x"}])

    def refuse(*, actor, records):
        raise ValidationError("refused now")

    with pytest.raises(ValidationError):
        services.confirm_import(actor=staff, kind="spaces", token=token, run=refuse)
    assert ImportCheck.objects.filter(token=token).exists()

    def done(*, actor, records):
        return {"created": len(records), "updated": 0}

    other = factories.StaffFactory()
    assert services.confirm_import(actor=other, kind="spaces", token=token, run=done) is None
    assert services.confirm_import(actor=staff, kind="other", token=token, run=done) is None
    counts = services.confirm_import(actor=staff, kind="spaces", token=token, run=done)
    assert counts == {"created": 1, "updated": 0}
    assert services.confirm_import(actor=staff, kind="spaces", token=token, run=done) is None


@pytest.mark.parametrize(("text", "number"), [("1 200", 1200), ("1\u00a0200", 1200), ("１２", 12)])
def test_spaced_thousands_and_wide_digits_are_read(text, number):
    assert whole_number(text) == number


def test_an_excel_file_that_unpacks_to_far_more_than_its_size_is_refused():
    padding = b"<!--" + b" " * (60 * 1024 * 1024) + b"-->"
    raw = workbook(lambda data: data.replace(b"<sheetData>", padding + b"<sheetData>"))
    assert len(raw) < 1024 * 1024
    with pytest.raises(ImportFileError, match="CSV"):
        read(raw, "f.xlsx")


def test_a_header_of_thousands_of_columns_is_refused_at_once():
    with pytest.raises(ImportFileError, match="40000"):
        read(b"x;" * 40_000 + b"\nSalle;Asrir\n")
    # Empty cells after the last column are not columns.
    assert read(b"name;commune" + b";" * 5000 + b"\nSalle;Asrir\n")[0]["commune"] == "Asrir"


def test_direction_marks_are_dropped_from_every_cell():
    assert read("name,commune\n\u200e80\u200f,Asrir\n".encode())[0]["name"] == "80"


@pytest.mark.django_db
def test_checks_never_confirmed_are_dropped_daily():
    from datetime import timedelta
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    staff = factories.StaffFactory()
    old = services.keep_import_check(actor=staff, kind="spaces", records=[])
    fresh = services.keep_import_check(actor=staff, kind="cooperatives", records=[])
    ImportCheck.objects.filter(token=old).update(created_at=timezone.now() - timedelta(hours=13))
    out = StringIO()
    call_command("drop_stale_import_checks", stdout=out)
    assert "1" in out.getvalue()
    assert list(ImportCheck.objects.values_list("token", flat=True)) == [fresh]


@pytest.mark.parametrize("token", ["\x00", "x" * 500])
def test_a_confirmation_no_dry_run_could_have_given_is_answered_not_failed(client_as, token):
    response = client_as("staff").post("/fr/spaces/staff/import/", {"confirm": token})
    assert response.status_code == 302 and response.url == "/fr/spaces/staff/import/"


ENCODING = "UTF-8 (or Windows-1256 for Arabic)"


@pytest.mark.parametrize("stray", [b"\xff", b"\xe9", b"\xc3"], ids=["ff", "lone-e9", "cut-e-acute"])
def test_a_utf8_file_with_one_stray_byte_is_refused_with_its_line(stray):
    raw = "name,commune\nCoopérative Tifawin,Asrir\nSalle des fêtes,Asrir\n".encode()
    raw = raw.replace(b"des", b"d" + stray + b"es")
    with translation.override("en"), pytest.raises(ImportFileError) as error:
        read(raw)
    assert ENCODING in str(error.value)
    assert "Line 3 " in str(error.value)


def test_a_stray_byte_in_a_file_without_accents_is_refused():
    with translation.override("en"), pytest.raises(ImportFileError, match="Line 2 "):
        read(b"name,commune\r\nSalle\xff,Asrir\r\n")


def test_a_french_file_in_latin_1_is_refused_rather_than_garbled():
    raw = "name,commune\nCoopérative ÉCLAT,Asrir\nFoyer Çà et là,Bouizakarne\n".encode("latin-1")
    with translation.override("en"), pytest.raises(ImportFileError) as error:
        read(raw)
    assert ENCODING in str(error.value) and "Line 2 " in str(error.value)


def test_an_arabic_file_in_windows_1256_is_read():
    text = "name,commune\nتعاونية أسرير للنسيج،,أسرير\nجمعية الصناعة التقليدية,كلميم\n"
    records = read(text.encode("cp1256"))
    assert [(r["name"], r["commune"]) for r in records] == [
        ("تعاونية أسرير للنسيج،", "أسرير"),
        ("جمعية الصناعة التقليدية", "كلميم"),
    ]


def test_an_arabic_file_in_windows_1256_may_hold_french_accents_too():
    text = "name,commune\nتعاونية أسرير للنسيج - Coopérative,أسرير\n"
    assert read(text.encode("cp1256"))[0]["name"] == "تعاونية أسرير للنسيج - Coopérative"


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["no-bom", "bom"])
def test_utf8_with_or_without_a_byte_order_mark_is_read(bom):
    raw = bom + "name,commune\nCoopérative تعاونية,Asrir\n".encode()
    assert read(raw)[0] | {"__line__": 2} == {
        "name": "Coopérative تعاونية",
        "commune": "Asrir",
        "__line__": 2,
    }


def test_an_arabic_utf8_file_with_a_damaged_byte_is_not_read_as_windows_1256():
    raw = "name,commune\nتعاونية أسرير,أسرير\n".encode().replace(b"\xd8\xaa", b"\xd8", 1)
    with pytest.raises(ImportFileError, match="1256"):
        read(raw)
