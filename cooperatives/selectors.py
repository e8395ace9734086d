"""Reads of cooperatives and applications, shaped by who asks."""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from chamber.models import User
from chamber.privacy import acts_of
from cooperatives.models import (
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
