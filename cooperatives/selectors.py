"""Reads of cooperatives and applications, shaped by who asks."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import ngettext

from chamber.models import Commune, Province, User
from chamber.privacy import acts_of
from cooperatives import reports
from cooperatives.models import (
    ActivityReport,
    ApplicationStatus,
    ApplicationStatusChange,
    Cooperative,
    CooperativeStatusChange,
    PlanDecision,
    Representative,
    RepresentativeStatus,
    RepresentativeStatusChange,
    SpaceApplication,
    SpaceInterest,
)
from cooperatives.permissions import can_see_application, representation_of
from spaces.models import RUNNING


def public_cooperatives() -> QuerySet[Cooperative]:
    """Verified cooperatives, as the public directory lists them (no contact details)."""
    return (
        Cooperative.objects.filter(verified=True)
        .select_related("commune__province")
        .prefetch_related("crafts")
        .order_by("name")
    )


def get_cooperative_for(user: User, pk: int) -> Cooperative:
    """A verified cooperative for anyone; an unverified one for staff and its verified people
    (a pending request may have joined a cooperative not yet published: it reads nothing of
    it until staff have checked the request)."""
    visible = Q(verified=True)
    if user.is_authenticated and user.is_chamber_staff:
        visible = Q()
    elif (representation := representation_of(user)) is not None and (
        representation.status == RepresentativeStatus.VERIFIED
    ):
        visible |= Q(pk=representation.cooperative_id)
    return get_object_or_404(
        Cooperative.objects.select_related("commune__province"), visible, pk=pk
    )


def representation_for(user: User) -> Representative | None:
    representation = representation_of(user)
    if representation is None:
        return None
    return Representative.objects.select_related("cooperative__commune__province").get(
        pk=representation.pk
    )


def applications_of(cooperative_id: int) -> QuerySet[SpaceApplication]:
    return SpaceApplication.objects.filter(cooperative_id=cooperative_id).select_related(
        "space__commune", "commune", "province", "craft", "allocation__space__commune"
    )


def get_application_for(user: User, pk: int) -> SpaceApplication:
    """404 for anyone but staff and the cooperative's verified representatives: another
    cooperative's application is not even said to exist."""
    application = get_object_or_404(
        SpaceApplication.objects.select_related(
            "cooperative__commune__province",
            "space__commune__province",
            "allocation__space__commune__province",
            "commune",
            "province",
            "craft",
            "filed_by",
        ),
        pk=pk,
    )
    if not can_see_application(user, application):
        raise Http404
    return application


def application_queue() -> QuerySet[SpaceApplication]:
    """Applications waiting for staff, oldest submission first."""
    return (
        SpaceApplication.objects.filter(
            status__in=(ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW)
        )
        .select_related("cooperative__commune__province", "space", "commune", "province", "craft")
        .order_by("submitted_at", "pk")
    )


def representatives_to_verify() -> QuerySet[Representative]:
    return (
        Representative.objects.filter(status=RepresentativeStatus.PENDING)
        .select_related("user", "cooperative__commune__province")
        .order_by("created_at", "pk")
    )


def get_representative_for(user: User, pk: int) -> Representative:
    """A request to represent a cooperative, for staff; 404 for anything else."""
    if not (user.is_authenticated and user.is_chamber_staff):
        raise Http404
    return get_object_or_404(Representative.objects, pk=pk)


def plan_decisions() -> QuerySet[PlanDecision]:
    """The locks and exclusions in force."""
    return (
        PlanDecision.objects.filter(closed_at__isnull=True)
        .select_related("application__cooperative", "application__craft", "space", "actor")
        .order_by("-created_at")
    )


def personal_data(user: User) -> dict:
    """What the cooperatives hold about a person (chamber.privacy): their request to represent
    a cooperative, the applications they filed or moved, and the moves they made."""
    representation = None
    if (request := Representative.objects.filter(user=user).first()) is not None:
        representation = {
            "registration_number": request.cooperative.registration_number,
            "status": request.status,
            "function": request.function,
            "created_at": request.created_at,
            "decided_at": request.decided_at,
            "decision_note": request.decision_note,
        }
        if request.shows_cooperative():
            representation.update(
                cooperative=request.cooperative_id, cooperative_name=request.cooperative.name
            )
    applications = (
        SpaceApplication.objects.filter(Q(filed_by=user) | Q(history__actor=user))
        .distinct()
        .order_by("created_at", "pk")
        .values(
            "id",
            "cooperative",
            *SpaceApplication.ANSWERS,
            "status",
            "decision_note",
            "consent_note",
            "created_at",
            "submitted_at",
            "decided_at",
        )
    )
    return {
        "representation": representation,
        "applications": list(applications),
        "activity_reports": list(
            ActivityReport.objects.filter(filed_by=user)
            .order_by("created_at", "pk")
            .values(
                "id",
                "application",
                "period_start",
                "period_end",
                "income_mad",
                "women_workers",
                "men_workers",
                "days_used",
                "products",
                "comment",
                "created_at",
            )
        ),
        "spaces_of_interest": list(
            SpaceInterest.objects.filter(marked_by=user).values(
                "space", "cooperative", "created_at"
            )
        ),
        "acts": acts_of(
            user, CooperativeStatusChange, RepresentativeStatusChange, ApplicationStatusChange
        ),
    }


# --- activity reports --------------------------------------------------------------------


@dataclass
class ReportRow:
    """One period of an agreement, as its reports table shows it."""

    period: reports.Period
    given: int  # days the agreement gives the space in it
    report: ActivityReport | None
    today: date

    @property
    def state(self) -> str:
        """filed, missing (past its due date), due (ended, within the grace days), open."""
        if self.report is not None:
            return "filed"
        if self.period.due_on < self.today:
            return "missing"
        return "due" if self.period.ends_on < self.today else "open"

    @property
    def label(self) -> str:
        return reports.period_label(self.period)


def report_rows(application: SpaceApplication, today: date | None = None) -> list[ReportRow]:
    """Every period of an approved application's agreement that has begun, with its report
    (one query; none for an application without an agreement)."""
    allocation = application.allocation
    if allocation is None:
        return []
    today = today or timezone.localdate()
    filed = {r.period_start: r for r in application.reports.select_related("filed_by")}
    return [
        ReportRow(
            period, reports.days_given(allocation, period), filed.get(period.starts_on), today
        )
        for period in reports.open_periods(allocation, application.report_every, today)
    ]


def reporting_applications() -> QuerySet[SpaceApplication]:
    """Approved applications with an agreement, their reports prefetched (two queries)."""
    return (
        SpaceApplication.objects.filter(status=ApplicationStatus.APPROVED, allocation__isnull=False)
        .select_related("cooperative", "allocation__space__commune")
        .prefetch_related("reports")
        .order_by("allocation__ends_on", "pk")
    )


def missing_reports(today: date | None = None) -> list[tuple[SpaceApplication, list[ReportRow]]]:
    """Each agreement with its reports missing past their due date, the oldest end first,
    with the under-used flag set on each application (`application.under_used`)."""
    today = today or timezone.localdate()
    found = []
    for application in reporting_applications():
        filed = {r.period_start: r for r in application.reports.all()}
        allocation = application.allocation
        application.under_used = reports.under_used(filed.values())
        missing = [
            ReportRow(period, reports.days_given(allocation, period), None, today)
            for period in reports.open_periods(allocation, application.report_every, today)
            if period.starts_on not in filed and period.due_on < today
        ]
        if missing:
            found.append((application, missing))
    return found


def due_reports(today: date | None = None) -> list[tuple[SpaceApplication, reports.Period]]:
    """Each agreement with a report now due: its period is over, its due date not yet past,
    and it is not filed (the cooperative is told once, before it falls late)."""
    today = today or timezone.localdate()
    found = []
    for application in reporting_applications():
        filed = {r.period_start for r in application.reports.all()}
        for period in reports.open_periods(application.allocation, application.report_every, today):
            if period.ends_on < today <= period.due_on and period.starts_on not in filed:
                found.append((application, period))
    return found


def under_used_allocations(allocation_ids) -> set[int]:
    """Of these allocations, those whose space is under-used (cooperatives.reports): two
    queries whatever their number."""
    applications = (
        SpaceApplication.objects.filter(allocation_id__in=list(allocation_ids))
        .select_related("allocation")
        .prefetch_related("reports")
    )
    return {a.allocation_id for a in applications if reports.under_used(a.reports.all())}


def under_used_spaces(space_ids) -> set[int]:
    """Of these spaces, those a running agreement under-uses (three queries)."""
    running = SpaceApplication.objects.filter(
        allocation__space_id__in=list(space_ids), allocation__status__in=RUNNING
    ).values_list("allocation_id", "allocation__space_id")
    by_allocation = dict(running)
    return {by_allocation[pk] for pk in under_used_allocations(by_allocation)}


def get_report_for(user: User, application_pk: int, report_pk: int) -> ActivityReport:
    """A report of an application `user` may see (404 otherwise)."""
    application = get_application_for(user, application_pk)
    return get_object_or_404(application.reports, pk=report_pk)


# --- demand ------------------------------------------------------------------------------


@dataclass
class Demand:
    """What waits for premises in one commune (or anywhere in a province)."""

    commune: Commune | None
    province: Province
    applications: int
    cooperatives: int
    women_members: int
    beneficiaries: int


def demand() -> list[Demand]:
    """The applications waiting for a space (sent or under review), by the commune they ask
    for (a province when they ask for any commune of it), the most first: their cooperatives
    and those cooperatives' women members, counted once each. Three queries."""
    waiting = SpaceApplication.objects.filter(
        status__in=(ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW)
    ).annotate(place=Coalesce("space__commune_id", "commune_id"))
    rows = waiting.values_list(
        "place",
        "province_id",
        "cooperative_id",
        "cooperative__women_members",
        "beneficiaries",
    )
    groups: dict[tuple, dict] = {}
    for place, province_id, cooperative_id, women, beneficiaries in rows:
        group = groups.setdefault(
            (place, None if place else province_id),
            {"applications": 0, "cooperatives": {}, "beneficiaries": 0},
        )
        group["applications"] += 1
        group["cooperatives"][cooperative_id] = women
        group["beneficiaries"] += beneficiaries
    communes = Commune.objects.select_related("province").in_bulk(
        [place for place, _province in groups if place]
    )
    provinces = Province.objects.in_bulk([province for _place, province in groups if province])
    found = []
    for (place, province_id), group in groups.items():
        commune = communes.get(place) if place else None
        found.append(
            Demand(
                commune=commune,
                province=commune.province if commune else provinces[province_id],
                applications=group["applications"],
                cooperatives=len(group["cooperatives"]),
                women_members=sum(group["cooperatives"].values()),
                beneficiaries=group["beneficiaries"],
            )
        )
    return sorted(found, key=lambda d: (-d.applications, -d.women_members, str(d.commune or "")))


def demand_points(rows: list[Demand]) -> list[dict]:
    """The communes of the demand as map points, sized by what waits (no query)."""
    return [
        {
            "id": row.commune.pk,
            "name": ngettext(
                "%(commune)s: %(count)s application waiting",
                "%(commune)s: %(count)s applications waiting",
                row.applications,
            )
            % {"commune": row.commune.name, "count": row.applications},
            "lat": float(row.commune.latitude),
            "lng": float(row.commune.longitude),
            "status": "demand",
            "radius": min(6 + 3 * row.applications, 24),
        }
        for row in rows
        if row.commune is not None and row.commune.latitude is not None
    ]


def interested_count(space_id: int) -> int:
    return SpaceInterest.objects.filter(space_id=space_id).count()


def is_interested(cooperative_id: int, space_id: int) -> bool:
    return SpaceInterest.objects.filter(cooperative_id=cooperative_id, space_id=space_id).exists()
