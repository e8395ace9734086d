"""Staff exports, as CSV or Excel, with the figures' filters and headers in the reader's
language (the portal reads every app). Cells that a spreadsheet would run as a formula are
neutralised (an apostrophe in CSV, a text cell in Excel); personal data appears only where
the chamber needs it (staff only)."""

import csv
from io import BytesIO, StringIO

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from cooperatives.models import Cooperative, SpaceApplication
from portal.figures import Scope
from programs.models import Cohort, Enrolment
from spaces.models import Allocation, Space

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


def _name(obj):
    return obj.name if obj is not None else ""


DATASETS = {
    "spaces": (
        _("Spaces"),
        lambda scope: (
            Space.objects.filter(scope.place("commune"), scope.period("created_at"))
            .select_related("commune__province")
            .order_by("pk")
        ),
        [
            (_("Reference"), lambda s: s.pk),
            (_("Name"), lambda s: s.name),
            (_("Province"), lambda s: s.commune.province.name),
            (_("Commune"), lambda s: s.commune.name),
            (_("Kind"), lambda s: str(s.get_kind_display())),
            (_("Status"), lambda s: str(s.get_status_display())),
            (_("Floor area (m²)"), lambda s: s.floor_area_m2),
            (_("Capacity"), lambda s: s.capacity),
            (_("Condition"), lambda s: str(s.get_condition_display())),
            (_("Estimated cost of works (MAD)"), lambda s: s.works_cost_mad),
        ],
    ),
    "cooperatives": (
        _("Cooperatives"),
        lambda scope: (
            Cooperative.objects.filter(scope.place("commune"))
            .select_related("commune__province")
            .order_by("pk")
        ),
        [
            (_("Registration number"), lambda c: c.registration_number),
            (_("Name"), lambda c: c.name),
            (_("Province"), lambda c: c.commune.province.name),
            (_("Commune"), lambda c: c.commune.name),
            (_("Women members"), lambda c: c.women_members),
            (_("Men members"), lambda c: c.men_members),
            (_("Members under 30"), lambda c: c.under_30_members),
            (_("Verified by the chamber"), lambda c: c.verified),
            # the cooperative's own contact, which the chamber uses to call it
            (_("Phone"), lambda c: c.phone),
        ],
    ),
    "applications": (
        _("Applications"),
        lambda scope: (
            SpaceApplication.objects.filter(
                scope.place("cooperative__commune"), scope.period("created_at")
            )
            .select_related("cooperative", "craft", "space", "commune", "province")
            .order_by("pk")
        ),
        [
            (_("Reference"), lambda a: a.pk),
            (_("Cooperative"), lambda a: a.cooperative.name),
            (_("Asked for"), lambda a: a.space.name if a.space else _name(a.commune or a.province)),
            (_("Craft"), lambda a: a.craft.name),
            (_("Beneficiaries"), lambda a: a.beneficiaries),
            (_("Women among them"), lambda a: a.women_beneficiaries),
            (_("Status"), lambda a: str(a.get_status_display())),
            (_("Sent on"), lambda a: a.submitted_at.date() if a.submitted_at else None),
            (_("Reason of the decision"), lambda a: a.decision_note),
        ],
    ),
    "allocations": (
        _("Allocations"),
        lambda scope: (
            Allocation.objects.filter(scope.place("space__commune"), scope.period("starts_on"))
            .select_related("space__commune")
            .order_by("pk")
        ),
        [
            (_("Reference"), lambda a: a.agreement_reference),
            (_("Space"), lambda a: a.space.name),
            (_("Commune"), lambda a: a.space.commune.name),
            (_("Held by"), lambda a: a.holder),
            (_("From"), lambda a: a.starts_on),
            (_("Until"), lambda a: a.ends_on),
            (_("Days"), lambda a: a.weekday_names()),
            (_("Status"), lambda a: str(a.get_status_display())),
        ],
    ),
    "cohorts": (
        _("Cohorts"),
        lambda scope: (
            Cohort.objects.filter(scope.period("starts_on"))
            .select_related("craft", "master", "space")
            .order_by("pk")
        ),
        [
            (_("Reference"), lambda c: c.pk),
            (_("Craft"), lambda c: c.craft.name),
            (_("Master artisan"), lambda c: c.master.name),
            (_("Space"), lambda c: c.space.name if c.space else ""),
            (_("From"), lambda c: c.starts_on),
            (_("Until"), lambda c: c.ends_on),
            (_("Seats"), lambda c: c.seats),
            (_("Certificate"), lambda c: str(c.get_certificate_display())),
        ],
    ),
    "enrolments": (
        _("Enrolments"),
        lambda scope: (
            Enrolment.objects.filter(
                scope.place("apprentice__commune"), scope.period("cohort__starts_on")
            )
            .select_related("apprentice__user", "apprentice__commune", "cohort__craft")
            .order_by("pk")
        ),
        [
            (_("Apprentice"), lambda e: e.apprentice.user.display_name),
            (_("Commune"), lambda e: e.apprentice.commune.name),
            (_("Young woman"), lambda e: e.apprentice.woman),
            (_("Cohort"), lambda e: e.cohort.craft.name),
            (_("Status"), lambda e: str(e.get_status_display())),
            (_("Certificate number"), lambda e: e.certificate_number),
            (_("Six months after the training"), lambda e: str(e.get_outcome_display())),
        ],
    ),
}


def rows(dataset: str, scope: Scope, cell=plain):
    """The header row, then one row per object, each value passed through `cell`."""
    _title, queryset, columns = DATASETS[dataset]
    yield [str(header) for header, _ in columns]
    for obj in queryset(scope).iterator(chunk_size=2000):
        yield [cell(read(obj)) for _, read in columns]


def as_csv(dataset: str, scope: Scope) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel shows Arabic right."""
    buffer = StringIO()
    writer = csv.writer(buffer)
    for row in rows(dataset, scope, cell=neutralise):
        writer.writerow(["" if cell is None else cell for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(dataset: str, scope: Scope) -> bytes:
    """An Excel workbook whose text cells are typed as text: a name beginning with "=" is
    shown as written, never run as a formula, and needs no apostrophe. Right to left when
    the reader reads Arabic."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(DATASETS[dataset][0])[:31])
    sheet.sheet_view.rightToLeft = get_language() == "ar"

    def typed(value):
        if not isinstance(value, str):
            return value
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # openpyxl would otherwise take "=…" for a formula
        return cell

    for row in rows(dataset, scope):
        sheet.append([typed(value) for value in row])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
