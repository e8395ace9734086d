"""Reads of spaces, shaped by who asks (STYLE.md: views never fetch a space themselves)."""

import calendar
from dataclasses import fields
from datetime import date, timedelta

from django.db.models import (
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from chamber.models import Craft, User
from chamber.privacy import acts_of
from chamber.templatetags.phones import e164
from spaces import availability
from spaces.matching import UTILITY_BITS, Busy, Policy, SpaceFacts
from spaces.models import (
    ALL_WEEKDAYS,
    PUBLIC_STATUSES,
    RUNNING,
    Allocation,
    AllocationStatus,
    AllocationStatusChange,
    MatchingPolicy,
    Space,
    SpaceDocument,
    SpacePhoto,
    SpaceStatus,
    SpaceStatusChange,
)
from spaces.permissions import can_see_documents

# Markers on a catalogue map: beyond this the map says that it shows part of the result.
MAP_POINTS_LIMIT = 1000


def _with_cover(spaces: QuerySet[Space]) -> QuerySet[Space]:
    """Annotate each space with its cover photo's id, in the same query."""
    cover = SpacePhoto.objects.filter(space=OuterRef("pk"), is_cover=True).values("pk")[:1]
    return spaces.annotate(cover_photo_id=Subquery(cover))


def public_spaces() -> QuerySet[Space]:
    """Available and occupied spaces, as the catalogue lists them (one query a page)."""
    return _with_cover(
        Space.objects.filter(status__in=PUBLIC_STATUSES).select_related("commune__province")
    )


def spaces_visible_to(user: User) -> QuerySet[Space]:
    if user.is_authenticated and user.is_chamber_staff:
        return Space.objects.all()
    visible = Q(status__in=PUBLIC_STATUSES)
    if user.is_authenticated and user.is_president:
        visible |= Q(commune_id=user.commune_id)
    return Space.objects.filter(visible)


def get_space_for(user: User, pk: int) -> Space:
    """The space if `user` may see it (404 otherwise: its existence is not revealed)."""
    return get_object_or_404(spaces_visible_to(user).select_related("commune__province"), pk=pk)


def spaces_of_commune(commune_id: int) -> QuerySet[Space]:
    return _with_cover(Space.objects.filter(commune_id=commune_id)).order_by("-created_at")


def review_queue() -> QuerySet[Space]:
    """Proposals waiting for staff, oldest first."""
    return _with_cover(
        Space.objects.filter(status__in=(SpaceStatus.PROPOSED, SpaceStatus.UNDER_REVIEW))
        .select_related("commune__province", "proposed_by")
        .order_by("created_at", "pk")
    )


def space_point(space: Space) -> list[dict]:
    """One space as a map point (no query)."""
    if space.location is None:
        return []
    return [
        {
            "id": space.pk,
            "name": space.name,
            "lat": float(space.latitude),
            "lng": float(space.longitude),
            "status": space.status,
        }
    ]


def map_points(spaces: QuerySet[Space]) -> list[dict]:
    """Located spaces of a result, as plain data for the map (one query, bounded)."""
    rows = (
        spaces.exclude(latitude=None)
        .order_by()
        .values("pk", "name", "latitude", "longitude", "status")[:MAP_POINTS_LIMIT]
    )
    return [
        {
            "id": row["pk"],
            "name": row["name"],
            "lat": float(row["latitude"]),
            "lng": float(row["longitude"]),
            "status": row["status"],
        }
        for row in rows
    ]


def get_photo_for(user: User, space_pk: int, photo_pk: int) -> SpacePhoto:
    """A photo of a space `user` may see; 404 for anything else."""
    space = get_space_for(user, space_pk)
    return get_object_or_404(space.photos, pk=photo_pk)


def get_document_for(user: User, space_pk: int, document_pk: int):
    """A document of a space, for its commune and the staff only (title deeds, plans)."""
    space = get_space_for(user, space_pk)
    if not can_see_documents(user, space):
        raise Http404
    return get_object_or_404(space.documents, pk=document_pk)


def last_decision(history: list[SpaceStatusChange]) -> SpaceStatusChange | None:
    """The latest decision with a note (approval, rejection, withdrawal), for its commune."""
    decided = (SpaceStatus.AVAILABLE, SpaceStatus.REJECTED, SpaceStatus.WITHDRAWN)
    for change in reversed(history):
        if change.to_status in decided:
            return change if change.note else None
    return None


# --- matching ----------------------------------------------------------------------------


def current_policy() -> Policy:
    """The matching policy staff set in the admin (the defaults if none is stored)."""
    stored = MatchingPolicy.objects.order_by("pk").first()
    if stored is None:
        return Policy()
    return Policy(**{field.name: getattr(stored, field.name) for field in fields(Policy)})


def matchable_spaces(province_id: int | None = None) -> QuerySet[Space]:
    """Spaces the engine may propose: in the catalogue (available, or occupied on some days)."""
    spaces = Space.objects.filter(status__in=PUBLIC_STATUSES).select_related("commune")
    if province_id:
        spaces = spaces.filter(commune__province_id=province_id)
    return spaces


def space_facts(spaces: QuerySet[Space]) -> list[SpaceFacts]:
    """What the engine needs of each space, in three queries whatever their number."""
    spaces = spaces.select_related("commune").prefetch_related(
        Prefetch("crafts", queryset=Craft.objects.only("id", "family")),
        Prefetch(
            "allocations",
            queryset=Allocation.objects.filter(status__in=RUNNING),
            to_attr="active_allocations",
        ),
    )
    facts = []
    for space in spaces:
        crafts = list(space.crafts.all())
        lat, lng = space.location or (space.commune.latitude, space.commune.longitude)
        facts.append(
            SpaceFacts(
                id=space.pk,
                status=space.status,
                commune_id=space.commune_id,
                province_id=space.commune.province_id,
                lat=float(lat),
                lng=float(lng),
                capacity=space.capacity,
                floor_area=space.floor_area_m2,
                condition=space.condition,
                utilities=sum(bit for name, bit in UTILITY_BITS.items() if getattr(space, name)),
                crafts=frozenset(c.pk for c in crafts),
                families=frozenset(c.family for c in crafts),
                busy=tuple(
                    Busy(a.starts_on, a.ends_on, a.weekdays) for a in space.active_allocations
                ),
            )
        )
    return facts


def allocations_of(space: Space) -> QuerySet[Allocation]:
    """A space's allocations, each with its moves (for how it was closed)."""
    moves = AllocationStatusChange.objects.select_related("actor").order_by("at", "pk")
    return (
        space.allocations.select_related("created_by")
        .prefetch_related(Prefetch("history", queryset=moves, to_attr="moves"))
        .order_by("-status", "starts_on")
    )


def closing_of(allocation: Allocation) -> AllocationStatusChange | None:
    """How an allocation that no longer runs was closed: who, when and why (None while it
    runs). Reads the moves prefetched by allocations_of, or asks for them."""
    if allocation.is_running:
        return None
    moves = getattr(allocation, "moves", None)
    if moves is None:
        moves = list(allocation.history.select_related("actor").order_by("at", "pk"))
    return next((move for move in reversed(moves) if move.to_status == allocation.status), None)


def renewal_request_of(allocation: Allocation) -> AllocationStatusChange | None:
    """The renewal asked and not yet answered: who asked, when, why (from prefetched moves)."""
    if allocation.status != AllocationStatus.RENEWAL_REQUESTED:
        return None
    moves = getattr(allocation, "moves", None)
    if moves is None:
        moves = list(allocation.history.select_related("actor").order_by("at", "pk"))
    return next((m for m in reversed(moves) if m.to_status == allocation.status), None)


def get_allocation_for(user: User, pk: int) -> Allocation:
    """An allocation, for staff and the commune of its space; 404 for anyone else."""
    allocation = get_object_or_404(
        Allocation.objects.select_related("space__commune__province"), pk=pk
    )
    if not can_see_documents(user, allocation.space):
        raise Http404
    return allocation


def timeline(allocations: list[Allocation], months: int = 12) -> dict:
    """Rows for a twelve-month strip per allocation, starting this month: each month is
    used or not. Plain data for a table that reads without colour."""
    today = timezone.localdate()
    starts = []
    year, month = today.year, today.month
    for _step in range(months):
        starts.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    rows = []
    for allocation in allocations:
        if not allocation.is_running:
            continue
        used = []
        for first in starts:
            last = date(first.year, first.month, calendar.monthrange(first.year, first.month)[1])
            used.append(allocation.starts_on <= last and first <= allocation.ends_on)
        rows.append({"allocation": allocation, "months": used})
    return {"months": starts, "rows": rows}


def allocation_with_space(pk: int) -> Allocation:
    """For a caller that has already checked who may see it (the cooperative's agreement)."""
    return Allocation.objects.select_related("space__commune__province", "created_by").get(pk=pk)


def free_weekdays(space_id: int, starts_on, ends_on) -> list[int]:
    """Weekdays (0 = Monday) on which no running allocation of the space falls in the period."""
    running = Allocation.objects.filter(
        space_id=space_id, status__in=RUNNING, starts_on__lte=ends_on, ends_on__gte=starts_on
    )
    return availability.weekday_list(
        ALL_WEEKDAYS & ~availability.taken_mask(running, starts_on, ends_on)
    )


def running_allocations(today=None) -> Prefetch:
    """The prefetch that with_availability reads: each space's allocations still to run."""
    today = today or timezone.localdate()
    return Prefetch(
        "allocations",
        queryset=Allocation.objects.filter(status__in=RUNNING, ends_on__gte=today).only(
            "space_id", "starts_on", "ends_on", "weekdays"
        ),
        to_attr="running",
    )


def with_availability(spaces, today=None) -> list[Space]:
    """The spaces (a page of them), each with `.availability`: its weekdays free for the
    coming months and its next free day. One query for the whole page."""
    today = today or timezone.localdate()
    spaces = list(spaces)
    prefetch_related_objects(spaces, running_allocations(today))
    for space in spaces:
        space.availability = availability.availability(space.running, today)
    return spaces


def free_from(spaces: QuerySet[Space], weekdays: int, on, *, every: bool) -> QuerySet[Space]:
    """Spaces with the weekdays of the mask free for the coming months from `on`: all of them
    (`every`), or at least one. One EXISTS per weekday, in the same query."""
    end = on + timedelta(days=availability.HORIZON_DAYS)
    free = []
    for day in availability.weekday_list(weekdays):
        taken = (
            Allocation.objects.filter(
                space=OuterRef("pk"), status__in=RUNNING, starts_on__lte=end, ends_on__gte=on
            )
            .alias(on_day=F("weekdays").bitand(1 << day))
            .filter(on_day__gt=0)
        )
        free.append(~Exists(taken))
    condition = Q()
    for day_free in free:
        condition = (condition & day_free) if every else (condition | day_free)
    return spaces.filter(condition)


def personal_data(user: User) -> dict:
    """What the spaces hold about a person (chamber.privacy): the spaces they proposed, the
    photos and documents they uploaded, and the moves they made."""
    proposed = (
        Space.objects.filter(proposed_by=user)
        .order_by("created_at", "pk")
        .values(
            "id",
            "name",
            "commune",
            "address",
            "status",
            "contact_phone",
            "contact_email",
            "created_at",
        )
    )
    return {
        # The phone as text, E.164 (JSON cannot hold a PhoneNumber).
        "proposed_spaces": [
            {**space, "contact_phone": e164(space["contact_phone"])} for space in proposed
        ],
        "uploaded_photos": list(
            SpacePhoto.objects.filter(uploaded_by=user).values(
                "id", "space", "caption", "created_at"
            )
        ),
        "uploaded_documents": list(
            SpaceDocument.objects.filter(uploaded_by=user).values(
                "id", "space", "title", "created_at"
            )
        ),
        "acts": acts_of(user, SpaceStatusChange, AllocationStatusChange),
    }
