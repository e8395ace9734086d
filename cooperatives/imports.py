"""Bulk import of cooperatives from a CSV or Excel file: read the file, then check every row
and say what an import would do (create, update or refuse, and why). Nothing here writes:
`services.import_cooperatives` applies a clean report in one transaction."""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chamber.models import Commune, Craft
from cooperatives.models import Cooperative, registration_key

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
# The template's columns, in its order; the first three are required.
COLUMNS = [
    ("registration_number", gettext_lazy("Number in the register of cooperatives, e.g. 2016/0412")),
    ("name", gettext_lazy("Name of the cooperative")),
    ("commune", gettext_lazy("Commune, its name in Arabic or in French, or its HCP code")),
    ("founded_year", gettext_lazy("Year founded (may be empty)")),
    ("women_members", gettext_lazy("Women members (a whole number, may be empty)")),
    ("men_members", gettext_lazy("Men members (a whole number, may be empty)")),
    ("under_30_members", gettext_lazy("Members under 30 (a whole number, may be empty)")),
    ("crafts", gettext_lazy("Codes of its crafts, separated by ; (may be empty)")),
    ("phone", gettext_lazy("Phone of the cooperative (may be empty)")),
    ("email", gettext_lazy("E-mail of the cooperative (may be empty)")),
]
REQUIRED = {"registration_number", "name", "commune"}
LINE, EXTRA = "__line__", "__extra__"  # kept beside a record's columns
NUMBERS = ("founded_year", "women_members", "men_members", "under_30_members")


class ImportFileError(Exception):
    """The file cannot be read as a table of cooperatives; the message says why."""


def template_csv() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([name for name, _text in COLUMNS])
    writer.writerow(
        ["2016/0412", "Coopérative Tifawin", "Asrir", "2016", "18", "0", "6", "", "", ""]
    )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _decode(raw: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), else Windows-1256, the Arabic code page
    Excel uses on Windows in Morocco."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return raw.decode("cp1256")
        except UnicodeDecodeError as error:
            raise ImportFileError(
                _("The file's text cannot be read: save it as CSV UTF-8 or as Excel.")
            ) from error


def _csv_rows(raw: bytes) -> list[list[str]]:
    text = _decode(raw)
    first_line = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return list(reader)
    except csv.Error as error:
        raise ImportFileError(
            _("The file is not a well-formed CSV near line %(line)s: check its quotes.")
            % {"line": reader.line_num}
        ) from error


def _xlsx_rows(raw: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise ImportFileError(_("This Excel file cannot be opened.")) from error
    sheet = workbook.worksheets[0]
    rows, filled = [], 0
    for row in sheet.iter_rows(values_only=True):
        rows.append(
            [
                "" if v is None else str(int(v) if isinstance(v, float) and v.is_integer() else v)
                for v in row
            ]
        )
        filled += any(cell.strip() for cell in rows[-1])
        if filled > MAX_ROWS + 1:
            break
    workbook.close()
    return rows


def read_file(uploaded) -> list[dict]:
    """The rows of an uploaded CSV or Excel file, as dicts keyed by the template's columns."""
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
    header = [cell.strip().lower() for cell in table[0][1]]
    known = [name for name, _text in COLUMNS]
    missing = [name for name in known if name in REQUIRED and name not in header]
    unknown = [name for name in header if name and name not in known]
    twice = sorted({name for name in header if name and header.count(name) > 1})
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
        raise ImportFileError(_("The file has its column names but no cooperative."))
    if len(table) > MAX_ROWS + 1:
        raise ImportFileError(
            _("The file has more than %(rows)s rows. Split it into smaller files.")
            % {"rows": MAX_ROWS}
        )
    records = []
    for line, row in table[1:]:
        record = {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(header)}
        record.pop("", None)
        record[LINE] = line
        if any(cell.strip() for cell in row[len(header) :]):
            record[EXTRA] = "1"
        records.append(record)
    return records


ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")  # harakat, dagger alif, tatweel
ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})


def _key(text: str) -> str:
    """A commune's name compared without case, accents, harakat, hamza seats or hyphens."""
    text = unicodedata.normalize("NFKC", text)
    text = ARABIC_MARKS.sub("", text).translate(ARABIC_LETTERS)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(re.sub(r"[-'’.]", " ", text.lower()).split())


def _commune_index() -> dict[str, int]:
    index = {}
    for commune in Commune.objects.all():
        names = [commune.name_ar, commune.name_fr, commune.official_code]
        names += re.split(r"[;,]", commune.alt_names_ar + ";" + commune.alt_names_fr)
        for name in names:
            if _key(name):
                index.setdefault(_key(name), commune.pk)
    return index


def _whole_number(text: str) -> int:
    """12, or 12.0 as a spreadsheet may write it; anything else is a ValueError."""
    try:
        return int(text)
    except ValueError:
        number = float(text.replace(",", "."))
        if not number.is_integer():
            raise
        return int(number)


@dataclass
class Row:
    line: int
    registration_number: str
    name: str
    action: str  # "create", "update" or "refuse"
    reasons: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)
    crafts: list[int] = field(default_factory=list)
    # The file's columns: an update changes these only, and the crafts only if given.
    columns: frozenset = frozenset()


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
        """Every refused row, and the first 200 others (the rest are counted)."""
        others = [row for row in self.rows if row.action != "refuse"][:200]
        return sorted([r for r in self.rows if r.action == "refuse"] + others, key=lambda r: r.line)

    @property
    def hidden(self) -> int:
        return max(0, len(self.rows) - self.refused - 200)


def check(records: list[dict]) -> Report:
    """What importing these rows would do, row by row (line 1 is the column names)."""
    communes = _commune_index()
    crafts = dict(Craft.objects.values_list("code", "pk"))
    existing = {
        values.pop("registration_key"): values
        for values in Cooperative.objects.values("registration_key", *NUMBERS)
    }
    seen: dict[str, int] = {}
    rows = []
    for position, record in enumerate(records, start=2):
        line = record.get(LINE, position)
        reasons = []
        if record.get(EXTRA):
            reasons.append(_("The row has more cells than there are columns."))
        data = {"name": record.get("name", ""), "phone": record.get("phone", "")}
        data["email"] = record.get("email", "")
        number = record.get("registration_number", "")
        data["registration_number"] = number
        commune_text = record.get("commune", "")
        commune_id = communes.get(_key(commune_text)) if _key(commune_text) else None
        if not commune_text:
            reasons.append(_("The commune is missing."))
        elif commune_id is None:
            reasons.append(_("“%(name)s” is not a commune of the region.") % {"name": commune_text})
        data["commune_id"] = commune_id
        kept = existing.get(registration_key(number) if number else "", {})
        for name in NUMBERS:
            text = record.get(name, "")
            if name not in record and name in kept:
                data[name] = kept[name]  # an update keeps what the file leaves out
                continue
            if not text:
                data[name] = None if name == "founded_year" else 0
                continue
            try:
                data[name] = _whole_number(text)
            except (ValueError, OverflowError):
                reasons.append(
                    _("%(column)s: “%(value)s” is not a whole number.")
                    % {"column": name, "value": text}
                )
                data[name] = None if name == "founded_year" else 0
        craft_ids = []
        for code in filter(None, (c.strip() for c in record.get("crafts", "").split(";"))):
            if code in crafts:
                if crafts[code] not in craft_ids:
                    craft_ids.append(crafts[code])
            else:
                reasons.append(_("“%(code)s” is not a craft code.") % {"code": code})
        candidate = Cooperative(**data)
        try:
            candidate.full_clean(
                exclude=["commune"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            for column, messages in error.message_dict.items():
                reasons += [f"{column}: {message}" for message in messages]
        if data["under_30_members"] > data["women_members"] + data["men_members"]:
            reasons.append(_("There are more members under 30 than members."))
        key = registration_key(number) if number else ""
        if key and key in seen:
            reasons.append(
                _("Registration number already on line %(line)s of the file.") % {"line": seen[key]}
            )
        elif key:
            seen[key] = line
        action = "refuse" if reasons else "update" if key in existing else "create"
        rows.append(
            Row(
                line,
                number,
                data["name"],
                action,
                reasons,
                data if not reasons else {},
                craft_ids,
                frozenset(name for name in record if name not in (LINE, EXTRA)),
            )
        )
    return Report(rows)
