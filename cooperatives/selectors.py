"""Reads of cooperatives and applications, shaped by who asks."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from chamber.models import User
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
