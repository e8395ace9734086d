"""Bulk import of spaces from a CSV or Excel file, for the chamber's own inventories of
buildings: check every row and say what an import would do (create, update or refuse, and
why). Nothing here writes: `services.import_spaces` applies a clean report in one
transaction. Reading the file and the report are shared with the cooperatives' import
(chamber/imports.py)."""

import contextlib
from decimal import Decimal, InvalidOperation

from django.utils import translation
from django.utils.text import format_lazy
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
    name_key,
    number_text,
    read_phone,
    validation_reasons,
    whole_number,
)
from chamber.imports import read_file as read_table
from chamber.imports import template_csv as table_template
from chamber.models import Craft
from spaces.models import (
    MOROCCO,
    REGION,
    UTILITIES,
    Condition,
    Ownership,
    Space,
    SpaceKind,
    SpaceStatus,
    inside,
)

CHOICES = {"kind": SpaceKind, "condition": Condition, "ownership": Ownership}
NUMBERS = {"floor_area_m2": None, "capacity": None, "rooms": 1, "works_cost_mad": None}
TEXTS = ("name", "address", "description", "contact_phone", "contact_email")
YES = {"1", "yes", "y", "oui", "o", "x", "true", "vrai", "نعم"}
NO = {"0", "no", "n", "non", "false", "faux", "لا"}


def _codes(choices) -> str:
    return ", ".join(choices.values)


# The template's columns, in its order; `id` is empty for a new space.
COLUMNS = [
    (
        "id",
        gettext_lazy(
            "To update a space: its reference in the portal (the Reference column of the staff "
            "export, or the number in the address of its page); empty for a new space"
        ),
    ),
    ("name", gettext_lazy("Name of the building")),
    ("commune", gettext_lazy("Commune, its name in Arabic or in French, or its HCP code")),
    (
        "kind",
        format_lazy(
            "{}: {}", gettext_lazy("Kind of building, its code or its name"), _codes(SpaceKind)
        ),
    ),
    ("floor_area_m2", gettext_lazy("Floor area in m² (a whole number)")),
    ("capacity", gettext_lazy("How many people it holds (a whole number)")),
    ("rooms", gettext_lazy("Rooms (a whole number; empty: 1)")),
    (
        "condition",
        format_lazy("{}: {}", gettext_lazy("Condition, its code or its name"), _codes(Condition)),
    ),
    (
        "ownership",
        format_lazy("{}: {}", gettext_lazy("Owner, its code or its name"), _codes(Ownership)),
    ),
    ("address", gettext_lazy("Address (may be empty)")),
    (
        "latitude",
        gettext_lazy("Latitude in degrees, e.g. 28.987 (may be empty, with the longitude)"),
    ),
    (
        "longitude",
        gettext_lazy("Longitude in degrees, e.g. -10.057 (may be empty, with the latitude)"),
    ),
    *[
        (name, format_lazy("{}: {}", label, gettext_lazy("yes or no (empty: no)")))
        for name, label in UTILITIES.items()
    ],
    ("works_cost_mad", gettext_lazy("Estimated cost of works in dirhams (may be empty)")),
    ("crafts", gettext_lazy("Codes of the crafts it suits, separated by ; (may be empty)")),
    ("description", gettext_lazy("Description (may be empty)")),
    ("contact_phone", gettext_lazy("A public phone for visits (may be empty)")),
    ("contact_email", gettext_lazy("A public e-mail for visits (may be empty)")),
]
REQUIRED = {"name", "commune", "kind", "floor_area_m2", "capacity", "condition", "ownership"}
# What a new space is given for a column the file leaves out.
DEFAULTS = {
    **dict.fromkeys(TEXTS, ""),
    **NUMBERS,
    **dict.fromkeys(UTILITIES, False),
    "latitude": None,
    "longitude": None,
}


EXAMPLE = {
    "name": "Foyer féminin Asrir",
    "commune": "Asrir",
    "kind": "womens_centre",
    "floor_area_m2": "120",
    "capacity": "25",
    "rooms": "3",
    "condition": "ready",
    "ownership": "commune",
    "latitude": "28.9871",
    "longitude": "-10.0574",
    "has_electricity": "oui",
    "has_water": "oui",
}


def template_csv() -> bytes:
    return table_template(COLUMNS, EXAMPLE)


def read_file(uploaded) -> list[dict]:
    return read_table(
        uploaded,
        columns=COLUMNS,
        required=REQUIRED,
        no_rows=gettext_lazy("The file has its column names but no space."),
    )


def _choice_index() -> dict[str, dict[str, str]]:
    """For kind, condition and ownership: each value by its code and by its name in Arabic
    and in French."""
    index = {}
    for column, choices in CHOICES.items():
        index[column] = {}
        for value, label in zip(choices.values, choices.labels, strict=True):
            names = [value]
            for language in ("ar", "fr"):
                with translation.override(language):
                    names.append(str(label))
            for name in names:
                index[column].setdefault(name_key(name), value)
    return index


def _degrees(text: str) -> Decimal:
    number = Decimal(number_text(text).replace(",", "."))
    if not number.is_finite():
        raise InvalidOperation
    return number.quantize(Decimal("0.000001"))


def _read(record: dict, data: dict, choices: dict, reasons: list) -> set[str]:
    """Put the record's cells into `data` (what the space will hold), adding a reason for
    each cell that cannot be read; return those cells' columns. A column the file leaves out
    keeps what `data` holds."""
    bad = set()

    def wrong(column, text, what):
        bad.add(column)
        reasons.append(
            _("%(column)s: “%(value)s” is not %(what)s.")
            % {"column": isolated(column), "value": isolated(text), "what": what}
        )

    for name in TEXTS:
        if name in record:
            data[name] = record[name]
    if "contact_phone" in record:
        try:
            data["contact_phone"] = read_phone(record["contact_phone"])
        except ValueError as error:
            wrong("contact_phone", record["contact_phone"], error.args[0])
    for name, choice in choices.items():
        if name not in record:
            continue
        text = record[name]
        data[name] = choice.get(name_key(text), "") if text else ""
        if text and not data[name]:
            wrong(name, text, _("one of %(codes)s") % {"codes": isolated(_codes(CHOICES[name]))})
    for name, default in NUMBERS.items():
        if name not in record:
            continue
        text = record[name]
        try:
            data[name] = whole_number(text) if text else default
        except ValueError:
            wrong(name, text, _("a whole number"))
            data[name] = default
    for name in UTILITIES:
        if name not in record:
            continue
        text = name_key(record[name])
        data[name] = text in YES
        if text and text not in YES | NO:
            wrong(name, record[name], _("yes or no"))
    for name in ("latitude", "longitude"):
        if name not in record:
            continue
        try:
            data[name] = _degrees(record[name]) if record[name] else None
        except (InvalidOperation, ValueError):
            wrong(name, record[name], _("a number of degrees"))
            data[name] = None
    lat, lng = data.get("latitude"), data.get("longitude")
    if (lat is None) != (lng is None):
        reasons.append(_("Give both the latitude and the longitude, or neither."))
    elif lat is not None and not inside(MOROCCO, lat, lng):
        reasons.append(_("The point is outside Morocco: check the latitude and the longitude."))
    elif lat is not None and not inside(REGION, lat, lng):
        reasons.append(_("The point is outside the region: check the latitude and the longitude."))
    for name in REQUIRED - {"commune"}:
        if name in record and not record[name]:
            bad.add(name)
            reasons.append(_("%(column)s is missing.") % {"column": isolated(name)})
    return bad


def references(records: list[dict]) -> set[int]:
    """The spaces the file's `id` column names (those that can be read)."""
    ids = set()
    for record in records:
        with contextlib.suppress(ValueError):
            ids.add(whole_number(record.get("id", "")))
    return ids


def communes_named(records: list[dict]) -> set[int]:
    """The communes the file's `commune` column names (those that are known)."""
    index = commune_index()
    return {index[key] for key in (name_key(r.get("commune", "")) for r in records) if key in index}


def _named(values: dict) -> tuple:
    return (values["commune_id"], name_key(values["name"]))


def check(records: list[dict]) -> Report:
    """What importing these rows would do, row by row (line 1 is the column names)."""
    communes = commune_index()
    crafts = dict(Craft.objects.values_list("code", "pk"))
    choices = _choice_index()
    fields = ["commune_id", *DEFAULTS, *CHOICES]
    existing = {
        values["pk"]: values
        for values in Space.objects.filter(pk__in=references(records)).values("pk", *fields)
    }
    # A new row naming a building its commune already has is most likely the same building.
    named = {
        (commune_id, name_key(name)): pk
        for pk, commune_id, name in Space.objects.exclude(
            status__in=(SpaceStatus.REJECTED, SpaceStatus.WITHDRAWN)
        ).values_list("pk", "commune_id", "name")
    }
    seen_ids: dict[int, int] = {}
    seen_names: dict[tuple, int] = {}
    rows = []
    for position, record in enumerate(records, start=2):
        line = record.get(LINE, position)
        reasons = example_reason(record, EXAMPLE)
        if record.get(EXTRA):
            reasons.append(_("The row has more cells than there are columns."))
        space_id = None
        if record.get("id"):
            try:
                space_id = whole_number(record["id"])
            except ValueError:
                reasons.append(
                    _("id: “%(value)s” is not a space's reference.")
                    % {"value": isolated(record["id"])}
                )
            else:
                if space_id not in existing:
                    reasons.append(
                        _("There is no space with the reference %(id)s in the portal.")
                        % {"id": space_id}
                    )
                elif space_id in seen_ids:
                    reasons.append(
                        _("Space %(id)s is already on line %(line)s of the file.")
                        % {"id": space_id, "line": seen_ids[space_id]}
                    )
                else:
                    seen_ids[space_id] = line
        updating = space_id in existing and not reasons
        data = (
            {k: v for k, v in existing[space_id].items() if k != "pk"}
            if updating
            else dict(DEFAULTS)
        )
        if "commune" in record or not updating:
            data["commune_id"] = find_commune(communes, record.get("commune", ""), reasons)
        bad = _read(record, data, choices, reasons)
        craft_ids = find_crafts(crafts, record.get("crafts", ""), reasons)
        reasons += validation_reasons(Space(**data), exclude=["commune", "status", *bad])
        name = (data.get("commune_id"), name_key(data.get("name", "")))
        renamed = not updating or name != _named(existing[space_id])
        if renamed and not reasons and named.get(name, space_id) != space_id:
            reasons.append(
                _(
                    "The commune already has a space of this name (reference %(id)s): write "
                    "its reference in the id column to update it."
                )
                % {"id": named[name]}
            )
        elif not reasons and name in seen_names:
            reasons.append(
                _("The same space is already on line %(line)s of the file.")
                % {"line": seen_names[name]}
            )
        elif not reasons:
            seen_names[name] = line
        rows.append(
            Row.checked(
                record,
                line=line,
                key=str(space_id or ""),
                name=record.get("name", ""),
                reasons=reasons,
                data=data,
                crafts=craft_ids,
                updating=updating,
            )
        )
    return Report(rows)
