"""Open data: public datasets with a stable, documented schema (portal).

Each dataset is a queryset of public objects and a list of fields (name, type, description,
reader). The schema is shown on /<lang>/open-data/ and is the same in every language: field
names are English and never change meaning; add fields, never rename or remove one (bump
SCHEMA_VERSION if that ever must happen). No personal data is published."""

import csv
import io

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chamber.models import Craft
from cooperatives.models import Cooperative
from portal.exports import neutralise
from programs.models import ActionStatus, Programme, RoadmapAction
from programs.selectors import achieved
from spaces.models import PUBLIC_STATUSES, UTILITIES, Space

SCHEMA_VERSION = 1
PAGE_SIZE = 500
LICENCE = _(
    "Data of the Chamber of Traditional Crafts of Guelmim-Oued Noun, free to reuse with "
    "attribution (CC BY 4.0). Commune codes and populations: HCP; commune centre points: "
    "© OpenStreetMap contributors (ODbL)."
)


def _decimal(value):
    return None if value is None else float(value)


def _spaces():
    return (
        Space.objects.filter(status__in=PUBLIC_STATUSES)
        .select_related("commune__province")
        .prefetch_related(Prefetch("crafts", queryset=Craft.objects.only("code")))
        .order_by("pk")
    )


def _cooperatives():
    return (
        Cooperative.objects.filter(verified=True)
        .select_related("commune__province")
        .prefetch_related(Prefetch("crafts", queryset=Craft.objects.only("code")))
        .order_by("pk")
    )


def _programmes():
    return [
        (programme, objective)
        for programme in Programme.objects.prefetch_related("objectives").order_by("pk")
        for objective in programme.objectives.all()
    ]


def _roadmap():
    return RoadmapAction.objects.select_related("commune", "programme", "responsible").order_by(
        "pk"
    )


DATASETS = {
    "spaces": {
        "title": _("Spaces open to crafts"),
        "rows": _spaces,
        "fields": [
            ("id", "integer", _("Identifier in the portal"), lambda s: s.pk),
            ("name", "string", _("Name, as the commune wrote it"), lambda s: s.name),
            (
                "commune_code",
                "string",
                _("HCP code of the commune"),
                lambda s: s.commune.official_code,
            ),
            ("commune_name_ar", "string", _("Commune, in Arabic"), lambda s: s.commune.name_ar),
            ("commune_name_fr", "string", _("Commune, in French"), lambda s: s.commune.name_fr),
            ("province_code", "string", _("Province"), lambda s: s.commune.province.code),
            ("kind", "string", _("Kind of building (code)"), lambda s: s.kind),
            ("status", "string", _("available or occupied"), lambda s: s.status),
            ("floor_area_m2", "integer", _("Floor area in m²"), lambda s: s.floor_area_m2),
            ("capacity", "integer", _("People it can host"), lambda s: s.capacity),
            ("condition", "string", _("ready, minor_works or major_works"), lambda s: s.condition),
            (
                "utilities",
                "list of strings",
                _("Utilities it has"),
                lambda s: [name for name in UTILITIES if getattr(s, name)],
            ),
            (
                "crafts",
                "list of strings",
                _("Codes of the crafts it suits"),
                lambda s: [craft.code for craft in s.crafts.all()],
            ),
            ("latitude", "number or null", _("Latitude (WGS 84)"), lambda s: _decimal(s.latitude)),
            (
                "longitude",
                "number or null",
                _("Longitude (WGS 84)"),
                lambda s: _decimal(s.longitude),
            ),
        ],
    },
    "cooperatives": {
        "title": _("Verified cooperatives"),
        "rows": _cooperatives,
        "fields": [
            (
                "registration_number",
                "string",
                _("Number in the register of cooperatives"),
                lambda c: c.registration_number,
            ),
            ("name", "string", _("Name"), lambda c: c.name),
            (
                "commune_code",
                "string",
                _("HCP code of the commune"),
                lambda c: c.commune.official_code,
            ),
            ("province_code", "string", _("Province"), lambda c: c.commune.province.code),
            ("founded_year", "integer or null", _("Year founded"), lambda c: c.founded_year),
            ("women_members", "integer", _("Women members"), lambda c: c.women_members),
            ("men_members", "integer", _("Men members"), lambda c: c.men_members),
            ("members_under_30", "integer", _("Members under 30"), lambda c: c.under_30_members),
            ("women_led", "boolean", _("Women are most of the members"), lambda c: c.is_women_led),
            (
                "crafts",
                "list of strings",
                _("Codes of its crafts"),
                lambda c: [craft.code for craft in c.crafts.all()],
            ),
        ],
    },
    "programmes": {
        "title": _("Programmes' objectives and achievements"),
        "rows": _programmes,
        "fields": [
            ("programme", "string", _("Programme code"), lambda r: r[0].code),
            ("programme_name_ar", "string", _("Programme, in Arabic"), lambda r: r[0].name_ar),
            ("programme_name_fr", "string", _("Programme, in French"), lambda r: r[0].name_fr),
            ("indicator", "string", _("Indicator code"), lambda r: r[1].indicator),
            ("target", "integer", _("Target"), lambda r: r[1].target),
            (
                "achieved",
                "integer",
                _("Counted from the portal's data"),
                lambda r: achieved(r[0], r[1].indicator),
            ),
        ],
    },
    "roadmap": {
        "title": _("Roadmap of the communes"),
        "rows": _roadmap,
        "fields": [
            ("id", "integer", _("Identifier in the portal"), lambda a: a.pk),
            ("title", "string", _("The action"), lambda a: a.title),
            (
                "commune_code",
                "string or null",
                _("HCP code of the commune (null: whole region)"),
                lambda a: a.commune.official_code if a.commune else None,
            ),
            (
                "programme",
                "string or null",
                _("Programme code"),
                lambda a: a.programme.code if a.programme else None,
            ),
            (
                "responsible",
                "string",
                _("Responsible partner (code)"),
                lambda a: a.responsible.code,
            ),
            ("due_on", "date", _("Due date (YYYY-MM-DD)"), lambda a: a.due_on.isoformat()),
            ("status", "string", _("planned, in_progress, done or cancelled"), lambda a: a.status),
            ("progress", "integer", _("Progress in percent"), lambda a: a.progress),
            (
                "late",
                "boolean",
                _("Past its due date and not done"),
                lambda a: (
                    a.due_on < timezone.localdate()
                    and a.status not in (ActionStatus.DONE, ActionStatus.CANCELLED)
                ),
            ),
        ],
    },
}


def records(name: str, rows) -> list[dict]:
    fields = DATASETS[name]["fields"]
    return [{field: read(row) for field, _type, _text, read in fields} for row in rows]


def as_csv(name: str) -> bytes:
    """The whole dataset, lists joined with ";" and cells neutralised against formulas."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([field for field, *_rest in DATASETS[name]["fields"]])
    for record in records(name, DATASETS[name]["rows"]()):
        writer.writerow(
            [neutralise(";".join(v) if isinstance(v, list) else v) for v in record.values()]
        )
    return buffer.getvalue().encode("utf-8")


def page(name: str, number, url: str) -> dict:
    """One page of the dataset as JSON, with links to the previous and the next (`url` is the
    dataset's). A page that cannot be read is the first; one past the end is the last."""
    paginator = Paginator(DATASETS[name]["rows"](), PAGE_SIZE)
    try:
        number = max(1, int(number))
    except (TypeError, ValueError):
        number = 1
    current = paginator.get_page(number)
    return {
        "schema_version": SCHEMA_VERSION,
        "licence": str(LICENCE),
        "count": paginator.count,
        "page": current.number,
        "pages": paginator.num_pages,
        "previous": (
            f"{url}?page={current.previous_page_number()}" if current.has_previous() else None
        ),
        "next": f"{url}?page={current.next_page_number()}" if current.has_next() else None,
        "results": records(name, current.object_list),
    }
