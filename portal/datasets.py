"""The portal's datasets: one registry for the staff exports and for open data.

Each dataset says where its rows come from — every row of a scope for staff
(`rows(scope)`), the public ones for open data (`published()`) — and its columns, each
declared once: its stable field name, its header in the reader's language, its value, and
who reads it. Staff read every column marked `staff` (personal data included: the chamber
needs it); open data publishes the columns marked `public`, never personal data.

Open data's field names are English and never change meaning: add fields, never rename or
remove one (bump SCHEMA_VERSION if that ever must happen). How a dataset is written (CSV,
Excel, JSON pages) is in portal.exports.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from chamber.models import Craft
from chamber.templatetags.phones import national
from cooperatives.models import ActivityReport, Cooperative, SpaceApplication
from portal import figures
from portal.figures import Scope
from programs.models import Cohort, Enrolment, Programme
from programs.selectors import achieved, roadmap_actions
from spaces import availability
from spaces import selectors as space_selectors
from spaces.models import PUBLIC_STATUSES, UTILITIES, Allocation, Space

# Open data's names of the days of the week (a free day is never put into words there).
WEEKDAY_CODES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

SCHEMA_VERSION = 1
PAGE_SIZE = 500
LICENCE = _(
    "Data of the Chamber of Traditional Crafts of Guelmim-Oued Noun, free to reuse with "
    "attribution (CC BY 4.0). Commune codes and populations: HCP; commune centre points: "
    "© OpenStreetMap contributors (ODbL)."
)


@dataclass(frozen=True)
class Column:
    """`read` gives the value open data publishes; `shown` what staff read in an export when
    it differs (a status's label in their language rather than its code)."""

    name: str
    label: Promise
    read: Callable
    type: str = "string"
    meaning: Promise | None = None  # open data's description, when the header says too little
    shown: Callable | None = None
    staff: bool = True
    public: bool = True

    @property
    def description(self) -> Promise:
        return self.meaning or self.label

    def export_value(self, row):
        return (self.shown or self.read)(row)


def staff_only(*args, **kwargs) -> Column:
    """A column for the staff export only: personal data, or what reusers do not need."""
    return Column(*args, public=False, **kwargs)


def public_only(*args, **kwargs) -> Column:
    """A column open data publishes and the staff export leaves out (codes for machines)."""
    return Column(*args, staff=False, **kwargs)


@dataclass(frozen=True)
class Dataset:
    title: Promise
    columns: tuple[Column, ...]
    # Every row in a scope, for the staff export; None: not exported.
    rows: Callable[[Scope], Iterable] | None = None
    # The rows anyone may read, for open data; None: not published.
    published: Callable[[], Iterable] | None = None
    public_title: Promise | None = None

    @property
    def staff_columns(self) -> list[Column]:
        return [column for column in self.columns if column.staff]

    @property
    def public_columns(self) -> list[Column]:
        return [column for column in self.columns if column.public]

    # The open data page lists (name, type, description) of each published field.
    @property
    def fields(self) -> list[tuple[str, str, Promise]]:
        return [(c.name, c.type, c.description) for c in self.public_columns]


def _name(obj) -> str:
    return obj.name if obj is not None else ""


def _decimal(value):
    return None if value is None else float(value)


def _codes(crafts) -> list[str]:
    return [craft.code for craft in crafts.all()]


_CRAFT_CODES = Prefetch("crafts", queryset=Craft.objects.only("code"))


def _spaces(scope: Scope):
    return (
        Space.objects.filter(scope.place("commune"), scope.period("created_at"))
        .select_related("commune__province")
        .prefetch_related(_CRAFT_CODES, space_selectors.running_allocations())
        .order_by("pk")
    )


def _availability(space) -> availability.Availability:
    """A space's free days from today (its running allocations are prefetched)."""
    if not hasattr(space, "_availability"):
        space._availability = availability.availability(space.running, timezone.localdate())
    return space._availability


def _cooperatives(scope: Scope):
    return (
        Cooperative.objects.filter(scope.place("commune"))
        .select_related("commune__province")
        .prefetch_related(_CRAFT_CODES)
        .order_by("pk")
    )


SPACES = Dataset(
    title=_("Spaces"),
    public_title=_("Spaces open to crafts"),
    rows=_spaces,
    published=lambda: _spaces(Scope()).filter(status__in=PUBLIC_STATUSES),
    columns=(
        Column("id", _("Reference"), lambda s: s.pk, "integer", _("Identifier in the portal")),
        Column("name", _("Name"), lambda s: s.name, meaning=_("Name, as the commune wrote it")),
        staff_only("province_name", _("Province"), lambda s: s.commune.province.name),
        staff_only("commune_name", _("Commune"), lambda s: s.commune.name),
        public_only(
            "commune_code", _("HCP code of the commune"), lambda s: s.commune.official_code
        ),
        public_only("commune_name_ar", _("Commune, in Arabic"), lambda s: s.commune.name_ar),
        public_only("commune_name_fr", _("Commune, in French"), lambda s: s.commune.name_fr),
        public_only("province_code", _("Province"), lambda s: s.commune.province.code),
        Column(
            "kind",
            _("Kind"),
            lambda s: s.kind,
            meaning=_("Kind of building (code)"),
            shown=lambda s: str(s.get_kind_display()),
        ),
        Column(
            "status",
            _("Status"),
            lambda s: s.status,
            meaning=_("available or occupied"),
            shown=lambda s: str(s.get_status_display()),
        ),
        Column(
            "floor_area_m2",
            _("Floor area (m²)"),
            lambda s: s.floor_area_m2,
            "integer",
            _("Floor area in m²"),
        ),
        Column("capacity", _("Capacity"), lambda s: s.capacity, "integer", _("People it can host")),
        Column(
            "condition",
            _("Condition"),
            lambda s: s.condition,
            meaning=_("ready, minor_works or major_works"),
            shown=lambda s: str(s.get_condition_display()),
        ),
        staff_only(
            "works_cost_mad", _("Estimated cost of works (MAD)"), lambda s: s.works_cost_mad
        ),
        public_only(
            "utilities",
            _("Utilities it has"),
            lambda s: [name for name in UTILITIES if getattr(s, name)],
            "list of strings",
        ),
        public_only(
            "crafts",
            _("Codes of the crafts it suits"),
            lambda s: _codes(s.crafts),
            "list of strings",
        ),
        public_only(
            "latitude", _("Latitude (WGS 84)"), lambda s: _decimal(s.latitude), "number or null"
        ),
        public_only(
            "longitude", _("Longitude (WGS 84)"), lambda s: _decimal(s.longitude), "number or null"
        ),
        Column(
            "free_weekdays",
            _("Days of the week free"),
            lambda s: [WEEKDAY_CODES[day] for day in _availability(s).free_days()],
            "list of strings",
            _("Days free every week for the coming three months: monday … sunday"),
            shown=lambda s: _availability(s).free_day_names(),
        ),
        Column(
            "next_free_day",
            _("Next free day"),
            lambda s: _availability(s).next_free_day.isoformat(),
            "date",
            _("First date on which a day of the week is free (ISO 8601)"),
        ),
    ),
)

COOPERATIVES = Dataset(
    title=_("Cooperatives"),
    public_title=_("Verified cooperatives"),
    rows=_cooperatives,
    published=lambda: _cooperatives(Scope()).filter(verified=True),
    columns=(
        Column(
            "registration_number",
            _("Registration number"),
            lambda c: c.registration_number,
            meaning=_("Number in the register of cooperatives"),
        ),
        Column("name", _("Name"), lambda c: c.name),
        staff_only("province_name", _("Province"), lambda c: c.commune.province.name),
        staff_only("commune_name", _("Commune"), lambda c: c.commune.name),
        public_only(
            "commune_code", _("HCP code of the commune"), lambda c: c.commune.official_code
        ),
        public_only("province_code", _("Province"), lambda c: c.commune.province.code),
        public_only("founded_year", _("Year founded"), lambda c: c.founded_year, "integer or null"),
        Column("women_members", _("Women members"), lambda c: c.women_members, "integer"),
        Column("men_members", _("Men members"), lambda c: c.men_members, "integer"),
        Column("members_under_30", _("Members under 30"), lambda c: c.under_30_members, "integer"),
        staff_only("verified", _("Verified by the chamber"), lambda c: c.verified, "boolean"),
        # The cooperative's own contact, which the chamber uses to call it: never published.
        # As text in the national format (06 12 34 56 78), which a spreadsheet keeps as it is.
        staff_only("phone", _("Phone"), lambda c: national(c.phone)),
        public_only(
            "women_led", _("Women are most of the members"), lambda c: c.is_women_led, "boolean"
        ),
        public_only(
            "crafts", _("Codes of its crafts"), lambda c: _codes(c.crafts), "list of strings"
        ),
    ),
)

APPLICATIONS = Dataset(
    title=_("Applications"),
    rows=lambda scope: (
        SpaceApplication.objects.filter(
            scope.place("cooperative__commune"), scope.period("created_at")
        )
        .select_related("cooperative", "craft", "space", "commune", "province")
        .order_by("pk")
    ),
    columns=(
        staff_only("id", _("Reference"), lambda a: a.pk),
        staff_only("cooperative", _("Cooperative"), lambda a: a.cooperative.name),
        staff_only(
            "asked_for",
            _("Asked for"),
            lambda a: a.space.name if a.space else _name(a.commune or a.province),
        ),
        staff_only("craft", _("Craft"), lambda a: a.craft.name),
        staff_only("beneficiaries", _("Beneficiaries"), lambda a: a.beneficiaries),
        staff_only("women_beneficiaries", _("Women among them"), lambda a: a.women_beneficiaries),
        staff_only("status", _("Status"), lambda a: str(a.get_status_display())),
        staff_only(
            "submitted_on",
            _("Sent on"),
            lambda a: a.submitted_at.date() if a.submitted_at else None,
        ),
        staff_only("decision_note", _("Reason of the decision"), lambda a: a.decision_note),
    ),
)

ALLOCATIONS = Dataset(
    title=_("Allocations"),
    rows=lambda scope: (
        Allocation.objects.filter(scope.place("space__commune"), scope.period("starts_on"))
        .select_related("space__commune")
        .order_by("pk")
    ),
    columns=(
        staff_only("agreement_reference", _("Reference"), lambda a: a.agreement_reference),
        staff_only("space", _("Space"), lambda a: a.space.name),
        staff_only("commune", _("Commune"), lambda a: a.space.commune.name),
        staff_only("holder", _("Held by"), lambda a: a.holder),
        staff_only("starts_on", _("From"), lambda a: a.starts_on),
        staff_only("ends_on", _("Until"), lambda a: a.ends_on),
        staff_only("weekdays", _("Days"), lambda a: a.weekday_names()),
        staff_only("status", _("Status"), lambda a: str(a.get_status_display())),
    ),
)

COHORTS = Dataset(
    title=_("Cohorts"),
    rows=lambda scope: (
        Cohort.objects.filter(scope.period("starts_on"))
        .select_related("craft", "master", "space")
        .order_by("pk")
    ),
    columns=(
        staff_only("id", _("Reference"), lambda c: c.pk),
        staff_only("craft", _("Craft"), lambda c: c.craft.name),
        staff_only("master", _("Master artisan"), lambda c: c.master.name),
        staff_only("space", _("Space"), lambda c: c.space.name if c.space else ""),
        staff_only("starts_on", _("From"), lambda c: c.starts_on),
        staff_only("ends_on", _("Until"), lambda c: c.ends_on),
        staff_only("seats", _("Seats"), lambda c: c.seats),
        staff_only("certificate", _("Certificate"), lambda c: str(c.get_certificate_display())),
    ),
)

ENROLMENTS = Dataset(
    title=_("Enrolments"),
    rows=lambda scope: (
        Enrolment.objects.filter(
            scope.place("apprentice__commune"), scope.period("cohort__starts_on")
        )
        .select_related("apprentice__user", "apprentice__commune", "cohort__craft")
        .order_by("pk")
    ),
    columns=(
        staff_only("apprentice", _("Apprentice"), lambda e: e.apprentice.user.display_name),
        staff_only("commune", _("Commune"), lambda e: e.apprentice.commune.name),
        staff_only("woman", _("Young woman"), lambda e: e.apprentice.woman),
        staff_only("cohort", _("Cohort"), lambda e: e.cohort.craft.name),
        staff_only("status", _("Status"), lambda e: str(e.get_status_display())),
        staff_only("certificate_number", _("Certificate number"), lambda e: e.certificate_number),
        staff_only(
            "outcome", _("Six months after the training"), lambda e: str(e.get_outcome_display())
        ),
    ),
)


def _objectives():
    return [
        (programme, objective)
        for programme in Programme.objects.prefetch_related("objectives").order_by("pk")
        for objective in programme.objectives.all()
    ]


PROGRAMMES = Dataset(
    title=_("Programmes' objectives and achievements"),
    published=_objectives,
    columns=(
        public_only("programme", _("Programme code"), lambda r: r[0].code),
        public_only("programme_name_ar", _("Programme, in Arabic"), lambda r: r[0].name_ar),
        public_only("programme_name_fr", _("Programme, in French"), lambda r: r[0].name_fr),
        public_only("indicator", _("Indicator code"), lambda r: r[1].indicator),
        public_only("target", _("Target"), lambda r: r[1].target, "integer"),
        public_only(
            "achieved",
            _("Counted from the portal's data"),
            lambda r: achieved(r[0], r[1].indicator),
            "integer",
        ),
    ),
)

ROADMAP = Dataset(
    title=_("Roadmap of the communes"),
    published=lambda: roadmap_actions(timezone.localdate()).order_by("pk"),
    columns=(
        public_only("id", _("Identifier in the portal"), lambda a: a.pk, "integer"),
        public_only("title", _("The action"), lambda a: a.title),
        public_only(
            "commune_code",
            _("HCP code of the commune (null: whole region)"),
            lambda a: a.commune.official_code if a.commune else None,
            "string or null",
        ),
        public_only(
            "programme",
            _("Programme code"),
            lambda a: a.programme.code if a.programme else None,
            "string or null",
        ),
        public_only("responsible", _("Responsible partner (code)"), lambda a: a.responsible.code),
        public_only("due_on", _("Due date (YYYY-MM-DD)"), lambda a: a.due_on.isoformat(), "date"),
        public_only("status", _("planned, in_progress, done or cancelled"), lambda a: a.status),
        public_only("progress", _("Progress in percent"), lambda a: a.progress, "integer"),
        public_only(
            "late",
            _("Past its due date and not done"),
            lambda a: a.late,
            "boolean",
        ),
    ),
)


def _reports(scope: Scope):
    return (
        ActivityReport.objects.filter(
            scope.place("application__allocation__space__commune"), scope.period("period_start")
        )
        .select_related(
            "application__cooperative",
            "application__allocation__space__commune__province",
            "application__craft",
        )
        .order_by("period_start", "pk")
    )


ACTIVITY_REPORTS = Dataset(
    title=_("Activity reports"),
    rows=_reports,
    columns=(
        Column("cooperative", _("Cooperative"), lambda r: r.application.cooperative.name),
        Column(
            "commune",
            _("Commune"),
            lambda r: r.application.allocation.space.commune.name,
        ),
        Column("space", _("Space"), lambda r: r.application.allocation.space.name),
        Column(
            "agreement",
            _("Agreement"),
            lambda r: r.application.allocation.agreement_reference,
        ),
        Column("craft", _("Craft"), lambda r: r.application.craft.name),
        Column("period_start", _("Period from"), lambda r: r.period_start),
        Column("period_end", _("Period until"), lambda r: r.period_end),
        Column("income_mad", _("Income earned (MAD)"), lambda r: r.income_mad, "integer"),
        Column("women_workers", _("Women who worked"), lambda r: r.women_workers, "integer"),
        Column("men_workers", _("Men who worked"), lambda r: r.men_workers, "integer"),
        Column("days_used", _("Days the space was used"), lambda r: r.days_used, "integer"),
        Column("days_given", _("Days the agreement gave"), lambda r: r.days_given, "integer"),
        Column("filed_late", _("Filed after its due date"), lambda r: r.filed_late, "boolean"),
        Column(
            "on_behalf",
            _("Filed by the chamber for the cooperative"),
            lambda r: r.on_behalf,
            "boolean",
        ),
    ),
)

ACTIVITY_INCOME = Dataset(
    title=_("Income of the activities by commune and month"),
    public_title=_("Income of the activities by commune and month"),
    published=figures.income_by_commune,
    columns=(
        Column("commune_code", _("HCP code of the commune"), lambda r: r["commune_code"]),
        Column("commune_name_ar", _("Commune, in Arabic"), lambda r: r["commune_name_ar"]),
        Column("commune_name_fr", _("Commune, in French"), lambda r: r["commune_name_fr"]),
        Column("province_code", _("Province"), lambda r: r["province_code"]),
        Column("month", _("Month"), lambda r: r["month"], "string", _("Month, as YYYY-MM")),
        Column(
            "cooperatives",
            _("Cooperatives"),
            lambda r: r["cooperatives"],
            "integer",
            _("Cooperatives whose reports are added up: 3 or more"),
        ),
        Column("reports", _("Reports"), lambda r: r["reports"], "integer"),
        Column(
            "income_mad",
            _("Income earned (MAD)"),
            lambda r: r["income_mad"],
            "integer",
            _("Income the activities of the commune earned in the month, in dirhams"),
        ),
        Column("days_used", _("Days the space was used"), lambda r: r["days_used"], "integer"),
        Column("days_given", _("Days the agreement gave"), lambda r: r["days_given"], "integer"),
    ),
)

DATASETS: dict[str, Dataset] = {
    "spaces": SPACES,
    "cooperatives": COOPERATIVES,
    "applications": APPLICATIONS,
    "allocations": ALLOCATIONS,
    "cohorts": COHORTS,
    "enrolments": ENROLMENTS,
    "programmes": PROGRAMMES,
    "roadmap": ROADMAP,
    "activity_reports": ACTIVITY_REPORTS,
    "activity_income": ACTIVITY_INCOME,
}


def exported() -> dict[str, Dataset]:
    """What staff can export, with the figures' filters."""
    return {key: dataset for key, dataset in DATASETS.items() if dataset.rows}


def published() -> dict[str, Dataset]:
    """What open data publishes."""
    return {key: dataset for key, dataset in DATASETS.items() if dataset.published}
