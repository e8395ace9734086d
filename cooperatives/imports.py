"""Bulk import of cooperatives from a CSV or Excel file: check every row and say what an
import would do (create, update or refuse, and why). Nothing here writes:
`services.import_cooperatives` applies a clean report in one transaction. Reading the file
and the report are shared with the spaces' import (chamber/imports.py)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chamber.imports import (
    EXTRA,
    LINE,
    Report,
    Row,
    commune_index,
    example_reason,
    find_commune,
    find_crafts,
    isolated,
    read_phone,
    validation_reasons,
    whole_number,
)
from chamber.imports import read_file as read_table
from chamber.imports import template_csv as table_template
from chamber.models import Craft
from cooperatives.models import Cooperative, registration_key

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
NUMBERS = ("founded_year", "women_members", "men_members", "under_30_members")


EXAMPLE = {
    "registration_number": "2016/0412",
    "name": "Coopérative Tifawin",
    "commune": "Asrir",
    "founded_year": "2016",
    "women_members": "18",
    "men_members": "0",
    "under_30_members": "6",
}


def template_csv() -> bytes:
    return table_template(COLUMNS, EXAMPLE)


def read_file(uploaded) -> list[dict]:
    return read_table(
        uploaded,
        columns=COLUMNS,
        required=REQUIRED,
        no_rows=gettext_lazy("The file has its column names but no cooperative."),
    )


def check(records: list[dict]) -> Report:
    """What importing these rows would do, row by row (line 1 is the column names)."""
    communes = commune_index()
    crafts = dict(Craft.objects.values_list("code", "pk"))
    existing = {
        values.pop("registration_key"): values
        for values in Cooperative.objects.values("registration_key", *NUMBERS)
    }
    seen: dict[str, int] = {}
    rows = []
    for position, record in enumerate(records, start=2):
        line = record.get(LINE, position)
        reasons = example_reason(record, EXAMPLE)
        if record.get(EXTRA):
            reasons.append(_("The row has more cells than there are columns."))
        data = {"name": record.get("name", ""), "email": record.get("email", "")}
        bad = []  # cells already said to be wrong, which the model need not check again
        try:
            data["phone"] = read_phone(record.get("phone", ""))
        except ValueError as error:
            reasons.append(
                _("%(column)s: “%(value)s” is not %(what)s.")
                % {
                    "column": isolated("phone"),
                    "value": isolated(record["phone"]),
                    "what": error.args[0],
                }
            )
            data["phone"], bad = record["phone"], ["phone"]
        number = record.get("registration_number", "")
        data["registration_number"] = number
        data["commune_id"] = find_commune(communes, record.get("commune", ""), reasons)
        unread = False  # a count that cannot be read is not compared with the others
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
                data[name] = whole_number(text)
            except ValueError:
                reasons.append(
                    _("%(column)s: “%(value)s” is not a whole number.")
                    % {"column": isolated(name), "value": isolated(text)}
                )
                data[name] = None if name == "founded_year" else 0
                unread = True
        craft_ids = find_crafts(crafts, record.get("crafts", ""), reasons)
        reasons += validation_reasons(Cooperative(**data), exclude=["commune", *bad])
        if not unread and data["under_30_members"] > data["women_members"] + data["men_members"]:
            reasons.append(_("There are more members under 30 than members."))
        key = registration_key(number) if number else ""
        if key and key in seen:
            reasons.append(
                _("Registration number already on line %(line)s of the file.") % {"line": seen[key]}
            )
        elif key:
            seen[key] = line
        rows.append(
            Row.checked(
                record,
                line=line,
                key=number,
                name=data["name"],
                reasons=reasons,
                data=data,
                crafts=craft_ids,
                updating=key in existing,
            )
        )
    return Report(rows)
