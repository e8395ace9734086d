"""How the datasets of portal.datasets are written: staff exports as CSV or Excel, with the
figures' filters and headers in the reader's language; open data as whole CSV files and
paginated JSON. Cells that a spreadsheet would run as a formula are neutralised (an apostrophe
in CSV, a text cell in Excel)."""

import csv
from io import BytesIO, StringIO

from django.core.paginator import Paginator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from portal import datasets
from portal.figures import Scope

# A cell starting with one of these is a formula to Excel or LibreOffice (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def plain(value):
    """A cell's value as a spreadsheet should hold it: yes or no in the reader's language
    rather than True or False, and text without the control characters a spreadsheet cannot
    hold (which openpyxl refuses)."""
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def neutralise(value):
    """For CSV, where every cell is text to be read: text a spreadsheet would evaluate gets
    a leading apostrophe; numbers stay numbers."""
    value = plain(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _iterate(rows):
    """A queryset is read in chunks, whatever its size; a list as it is."""
    return rows.iterator(chunk_size=2000) if hasattr(rows, "iterator") else rows


# --- staff exports -----------------------------------------------------------------------


def rows(key: str, scope: Scope, cell=plain):
    """The header row, then one row per object, each value passed through `cell`."""
    dataset = datasets.exported()[key]
    columns = dataset.staff_columns
    yield [str(column.label) for column in columns]
    for obj in _iterate(dataset.rows(scope)):
        yield [cell(column.export_value(obj)) for column in columns]


def as_csv(key: str, scope: Scope) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel shows Arabic right."""
    buffer = StringIO()
    writer = csv.writer(buffer)
    for row in rows(key, scope, cell=neutralise):
        writer.writerow(["" if cell is None else cell for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(key: str, scope: Scope) -> bytes:
    """An Excel workbook whose text cells are typed as text: a name beginning with "=" is
    shown as written, never run as a formula, and needs no apostrophe. Right to left when
    the reader reads Arabic."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(datasets.DATASETS[key].title)[:31])
    sheet.sheet_view.rightToLeft = get_language() == "ar"

    def typed(value):
        if not isinstance(value, str):
            return value
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # openpyxl would otherwise take "=…" for a formula
        return cell

    for row in rows(key, scope):
        sheet.append([typed(value) for value in row])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- open data ---------------------------------------------------------------------------


def records(key: str, rows) -> list[dict]:
    columns = datasets.published()[key].public_columns
    return [{column.name: column.read(row) for column in columns} for row in rows]


def open_csv(key: str) -> bytes:
    """The whole published dataset, lists joined with ";" and cells neutralised."""
    dataset = datasets.published()[key]
    buffer = StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.name for column in dataset.public_columns])
    for record in records(key, _iterate(dataset.published())):
        writer.writerow(
            [neutralise(";".join(v) if isinstance(v, list) else v) for v in record.values()]
        )
    return buffer.getvalue().encode("utf-8")


def open_page(key: str, number, url: str) -> dict:
    """One page of a published dataset as JSON, with links to the previous and the next (`url`
    is the dataset's). A page that cannot be read is the first; one past the end is the last."""
    paginator = Paginator(datasets.published()[key].published(), datasets.PAGE_SIZE)
    try:
        number = max(1, int(number))
    except (TypeError, ValueError):
        number = 1
    current = paginator.get_page(number)
    return {
        "schema_version": datasets.SCHEMA_VERSION,
        "licence": str(datasets.LICENCE),
        "count": paginator.count,
        "page": current.number,
        "pages": paginator.num_pages,
        "previous": (
            f"{url}?page={current.previous_page_number()}" if current.has_previous() else None
        ),
        "next": f"{url}?page={current.next_page_number()}" if current.has_next() else None,
        "results": records(key, current.object_list),
    }
