"""Reads of cooperatives and applications, shaped by who asks."""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from chamber.models import User
from cooperatives.models import (
    ApplicationStatus,
    Cooperative,
    PlanDecision,
    Representative,
    RepresentativeStatus,
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
    """A verified cooperative for anyone; an unverified one for staff and its own people."""
    visible = Q(verified=True)
    if user.is_authenticated and user.is_chamber_staff:
        visible = Q()
    elif (representation := representation_of(user)) is not None:
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
        "space__commune", "commune", "province", "craft"
    )


def get_application_for(user: User, pk: int) -> SpaceApplication:
    """404 for anyone but staff and the cooperative's verified representatives: another
    cooperative's application is not even said to exist."""
    application = get_object_or_404(
        SpaceApplication.objects.select_related(
            "cooperative__commune__province",
            "space__commune__province",
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
