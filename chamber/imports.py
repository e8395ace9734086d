"""What every bulk import shares (cooperatives, spaces): reading a CSV or Excel file into
rows keyed by a template's columns, recognising communes and crafts as people write them, and
the report of a dry run. Nothing here writes; each app checks its own rows and its service
applies a clean report in one transaction."""

import csv
import io
import re
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from phonenumber_field.phonenumber import to_python

from chamber.models import Commune
from chamber.templatetags.phones import is_moroccan

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
MAX_LINES = 2 * MAX_ROWS  # lines of an Excel sheet read, blank ones included
MAX_COLUMNS = 64  # cells of an Excel row read; the templates have fewer than 30 columns
MAX_UNPACKED = 50 * 1024 * 1024  # what an Excel file may hold once unzipped
LINE, EXTRA = "__line__", "__extra__"  # kept beside a record's columns
# Direction marks and zero-width characters, invisible in text copied from the web or Excel.
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\u061c\ufeff]")
SHOWN = 200  # the report lists every refused row and this many others


class ImportFileError(Exception):
    """The file cannot be read as the template's table; the message says why."""


def template_csv(columns, example: dict[str, str]) -> bytes:
    """The template: the column names, then one example row; UTF-8 with a byte-order mark,
    which Excel needs to read Arabic."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([name for name, _text in columns])
    writer.writerow([example.get(name, "") for name, _text in columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def example_reason(record: dict, example: dict[str, str]) -> list[str]:
    """A reason to refuse the template's example row left as it was: importing the template
    unchanged must not create, or update, anything."""
    if all(record.get(column, "") == value for column, value in example.items() if value):
        return [_("This is the template's example row: replace it with your own rows.")]
    return []


# A well-formed UTF-8 sequence of two to four bytes (RFC 3629), and a word in Arabic letters
# (harakat and Persian letters included), as Windows-1256 holds them.
UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
ARABIC_WORD = re.compile("[\u0621-\u0652\u0671-\u06d3]{2,}")
HIGH_BYTES = bytes(range(0x80, 0x100))


def _is_arabic_in_windows_1256(raw: bytes) -> bool:
    """Whether bytes that are not UTF-8 are Arabic text in Windows-1256: hardly any of their
    non-ASCII bytes form UTF-8 sequences (else it is UTF-8 with a damaged byte), and most
    of them read as Arabic words in Windows-1256 (else it is, say, French in Latin-1,
    whose É or Ç would become Arabic letters)."""
    non_ascii = len(raw) - len(raw.translate(None, HIGH_BYTES))
    in_utf8 = sum(len(sequence) for sequence in UTF8_SEQUENCE.findall(raw))
    if in_utf8 * 5 > non_ascii:
        return False
    in_words = sum(len(word) for word in ARABIC_WORD.findall(raw.decode("cp1256")))
    return in_words * 2 > non_ascii


def _decode(raw: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), or Windows-1256, the Arabic code page
    Excel uses on Windows in Morocco, when the file is Arabic in it. Any other file is
    refused rather than read with the wrong letters."""
    text = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        return text.decode("utf-8")
    except UnicodeDecodeError as error:
        if _is_arabic_in_windows_1256(raw):
            return raw.decode("cp1256")  # every byte has a character in it
        before = text[: error.start]
        line = before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1
        raise ImportFileError(
            _(
                "Line %(line)s of the file holds a character that cannot be read: save the "
                "file as CSV UTF-8 (or Windows-1256 for Arabic), or as Excel."
            )
            % {"line": line}
        ) from error


def _csv_rows(raw: bytes) -> list[list[str]]:
    text = _decode(raw)
    # The separator is the one the column names use (Excel in French writes semicolons).
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, filled = [], 0
    try:
        for row in reader:
            rows.append(row)
            filled += any(cell.strip() for cell in row)
            if filled > MAX_ROWS + 1:
                break  # enough to say the file is too long
        return rows
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise ImportFileError(
                _("A cell near line %(line)s is far too long: check its quotes, or shorten it.")
                % {"line": reader.line_num}
            ) from error
        raise ImportFileError(
            _("The file is not a well-formed CSV near line %(line)s: check its quotes.")
            % {"line": reader.line_num}
        ) from error


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_rows(raw: bytes) -> list[list[str]]:
    """The first sheet's rows. A sheet may claim a range far larger than what it holds (a
    formatted column reaches row 1,048,576), so its claimed size is ignored, rows are cut at
    MAX_COLUMNS cells and reading stops past MAX_LINES lines, blank ones included."""
    from openpyxl import load_workbook

    try:
        unpacked = sum(item.file_size for item in zipfile.ZipFile(io.BytesIO(raw)).infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ImportFileError(_("This Excel file cannot be opened.")) from error
    if unpacked > MAX_UNPACKED:
        # A few hundred kilobytes can unpack to gigabytes that openpyxl would hold at once.
        raise ImportFileError(
            _("This Excel file holds far more than its rows: save only the table, or as CSV.")
        )
    rows, filled = [], 0
    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        for row in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
            rows.append([_cell(value) for value in row])
            filled += any(cell.strip() for cell in rows[-1])
            if filled > MAX_ROWS + 1 or len(rows) > MAX_LINES:
                break
        workbook.close()
    except Exception as error:  # openpyxl raises many kinds on a damaged file, lazily
        raise ImportFileError(_("This Excel file cannot be opened.")) from error
    if len(rows) > MAX_LINES and filled <= MAX_ROWS + 1:
        raise ImportFileError(
            _(
                "The sheet goes on past line %(lines)s, with blank rows: keep the table at the "
                "top of the first sheet and delete the rows below it."
            )
            % {"lines": MAX_LINES}
        )
    return rows


def read_file(uploaded, *, columns, required, no_rows: str) -> list[dict]:
    """The rows of an uploaded CSV or Excel file, as dicts keyed by the template's columns
    (`columns`, of which `required` must be there). `no_rows` says what a file with only its
    column names lacks."""
    if uploaded.size > MAX_BYTES:
        raise ImportFileError(
            _("The file is larger than %(size)s MB. Split it into smaller files.")
            % {"size": MAX_BYTES // (1024 * 1024)}
        )
    raw = uploaded.read()
    if not raw.strip():
        raise ImportFileError(_("The file is empty."))
    is_xlsx = raw[:4] == b"PK\x03\x04"
    table = _xlsx_rows(raw) if is_xlsx else _csv_rows(raw)
    if any("\x00" in cell for row in table for cell in row):
        raise ImportFileError(_("The file holds characters that are not text: save it again."))
    # Keep each row's line in the file, for the report (line 1 is the column names).
    table = [(line, row) for line, row in enumerate(table, start=1) if any(c.strip() for c in row)]
    if not table:
        raise ImportFileError(_("The file is empty."))
    header = [INVISIBLE.sub("", cell).strip().lower() for cell in table[0][1]]
    while header and not header[-1]:
        header.pop()  # empty cells after the last column, as spreadsheets leave them
    if len(header) > MAX_COLUMNS:
        raise ImportFileError(
            _("The first line has %(count)s columns; the template has %(template)s.")
            % {"count": len(header), "template": len(columns)}
        )
    known = [name for name, _text in columns]
    missing = [name for name in known if name in required and name not in header]
    unknown = [name for name in header if name and name not in known]
    counted = Counter(header)
    twice = sorted(name for name, count in counted.items() if name and count > 1)
    if twice:
        raise ImportFileError(
            _("A column appears twice: %(columns)s.") % {"columns": ", ".join(twice)}
        )
    if missing or unknown:
        raise ImportFileError(
            _(
                "The columns are not the template's. Missing: %(missing)s. Unknown: "
                "%(unknown)s. Download the template and keep its first line."
            )
            % {"missing": ", ".join(missing) or "—", "unknown": ", ".join(unknown) or "—"}
        )
    if len(table) == 1:
        raise ImportFileError(str(no_rows))
    if len(table) > MAX_ROWS + 1:
        raise ImportFileError(
            _("The file has more than %(rows)s rows. Split it into smaller files.")
            % {"rows": MAX_ROWS}
        )
    records = []
    for line, row in table[1:]:
        # Direction marks copied with Arabic text would make a number or a code unreadable.
        record = {
            name: (INVISIBLE.sub("", row[i]).strip() if i < len(row) else "")
            for i, name in enumerate(header)
        }
        record.pop("", None)
        record[LINE] = line
        if any(cell.strip() for cell in row[len(header) :]):
            record[EXTRA] = "1"
        records.append(record)
    return records


ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")  # harakat, dagger alif, tatweel
ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})


def name_key(text: str) -> str:
    """A name compared without case, accents, harakat, hamza seats, hyphens or underscores."""
    text = unicodedata.normalize("NFKC", str(text))
    text = INVISIBLE.sub("", ARABIC_MARKS.sub("", text)).translate(ARABIC_LETTERS)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(re.sub(r"[-_'’.]", " ", text.lower()).split())


def isolated(text: str) -> str:
    """A cell's text or a column's name inside a sentence of the other direction: isolated
    (U+2068…U+2069), so that a Latin value in an Arabic reason keeps its place, and its
    punctuation, rather than being reordered with the words around it."""
    return f"\u2068{text}\u2069"


def commune_index() -> dict[str, int]:
    """Commune id by every way a file may name it: Arabic, French, other spellings, HCP code."""
    index = {}
    for commune in Commune.objects.all():
        names = [commune.name_ar, commune.name_fr, commune.official_code]
        names += re.split(r"[;,]", commune.alt_names_ar + ";" + commune.alt_names_fr)
        for name in names:
            if name_key(name):
                index.setdefault(name_key(name), commune.pk)
    return index


def find_commune(index: dict[str, int], text: str, reasons: list) -> int | None:
    """The commune a cell names, or None with the reason added to `reasons`."""
    commune_id = index.get(name_key(text)) if name_key(text) else None
    if not text:
        reasons.append(_("The commune is missing."))
    elif commune_id is None:
        reasons.append(_("“%(name)s” is not a commune of the region.") % {"name": isolated(text)})
    return commune_id


def find_crafts(codes: dict[str, int], text: str, reasons: list) -> list[int]:
    """The crafts of a cell of codes separated by `;`; an unknown code adds a reason."""
    found = []
    for code in filter(None, (c.strip() for c in text.split(";"))):
        if code in codes:
            if codes[code] not in found:
                found.append(codes[code])
        else:
            reasons.append(_("“%(code)s” is not a craft code.") % {"code": isolated(code)})
    return found


# "12.0" and "12,00" are twelve; "1,000" and "1.000" are refused, being a thousand to some
# and one to others.
WHOLE_NUMBER = re.compile(r"[+-]?[0-9]{1,18}(?:[.,](?:0|00|0000+))?")


# Arabic-Indic digits (٠١٢…, and the Persian forms ۰۱۲…) and the Arabic decimal separator, as
# an Arabic keyboard types them.
DIGITS = str.maketrans(
    {**{chr(0x660 + i): str(i) for i in range(10)}, **{chr(0x6F0 + i): str(i) for i in range(10)}}
    | {"\u066b": ".", "\u2212": "-"}
)


SPACED_THOUSANDS = re.compile(r"[+-]?[0-9]{1,3}(?: [0-9]{3})+")


def number_text(text: str) -> str:
    """A number's text with Western digits, a minus sign as "-", no spaces around and none
    between groups of thousands (1 200, as French writes it, with any kind of space)."""
    text = unicodedata.normalize("NFKC", text).translate(DIGITS).strip()
    return text.replace(" ", "") if SPACED_THOUSANDS.fullmatch(text) else text


def whole_number(text: str) -> int:
    """12, or 12.0 or 12,0 as a spreadsheet may write it, or ١٢; anything else is a
    ValueError."""
    text = number_text(text)
    if not WHOLE_NUMBER.fullmatch(text):
        raise ValueError(text)
    return int(re.split("[.,]", text)[0])


@dataclass
class Row:
    line: int
    key: str  # what identifies the row to a person: a registration number, a space number
    name: str
    action: str  # "create", "update" or "refuse"
    reasons: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)
    crafts: list[int] = field(default_factory=list)
    # The file's columns: an update changes these only, and the crafts only if given.
    columns: frozenset = frozenset()

    @classmethod
    def checked(cls, record, *, line, key, name, reasons, data, crafts, updating) -> "Row":
        """A record's row once checked: refused if there is any reason, else an update of
        what the portal holds or a creation; a refused row keeps none of its data."""
        action = "refuse" if reasons else "update" if updating else "create"
        columns = frozenset(column for column in record if column not in (LINE, EXTRA))
        return cls(line, key, name, action, reasons, {} if reasons else data, crafts, columns)


@dataclass
class Report:
    rows: list[Row]

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def clean(self) -> bool:
        return self.count("refuse") == 0

    created = property(lambda self: self.count("create"))
    updated = property(lambda self: self.count("update"))
    refused = property(lambda self: self.count("refuse"))

    @property
    def shown(self) -> list[Row]:
        """Every refused row, and the first SHOWN others (the rest are counted)."""
        others = [row for row in self.rows if row.action != "refuse"][:SHOWN]
        return sorted([r for r in self.rows if r.action == "refuse"] + others, key=lambda r: r.line)

    @property
    def hidden(self) -> int:
        return max(0, len(self.rows) - self.refused - SHOWN)


def validation_reasons(instance, exclude) -> list[str]:
    """The model's own field checks on a candidate row, as "column: message" reasons."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        return [
            f"{isolated(column)}: {message}"
            for column, messages in error.message_dict.items()
            for message in messages
        ]
    return []


def read_phone(text: str) -> str:
    """A phone cell as the portal stores it, E.164 (+212612345678), or "" if it is empty. A
    cell that is not a Moroccan number (the forms' rule, chamber.forms.PhoneField) is a
    ValueError whose argument says what it should be."""
    if not text:
        return ""
    number = to_python(text, region=settings.PHONENUMBER_DEFAULT_REGION)
    if not number.is_valid():
        raise ValueError(_("a phone number (write it like 06 12 34 56 78 or +212 6 12 34 56 78)"))
    if not is_moroccan(number):
        raise ValueError(_("a Moroccan number (+212)"))
    return number.as_e164
