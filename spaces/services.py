"""Workflows that change spaces: propose, edit, withdraw, review, photos and documents, and
the allocations that occupy spaces.

Each function is one transaction, locks the space it decides on, checks who acts, and moves
statuses through the one mover (chamber.workflow), which records who, when, from, to and why.
Callers catch TransitionError (a refusal to explain to the person) and ValidationError (a bad
upload).
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from chamber import workflow
from chamber.models import Commune, User
from chamber.workflow import TransitionError
from spaces import availability, imports, notices, notifications
from spaces.models import (
    ALL_WEEKDAYS,
    PUBLIC_STATUSES,
    RUNNING,
    Allocation,
    AllocationStatus,
    Space,
    SpaceDocument,
    SpacePhoto,
    SpaceStatus,
)
from spaces.permissions import (
    REVIEW_DECISIONS,
    can_edit_space,
    can_propose_space,
    can_review_space,
    is_president_of,
)
from spaces.uploads import clean_pdf, reencode_image


def _move(space: Space, to: str, *, actor: User | None, note: str = ""):
    """A space's move; the staff member who decides on a proposal is kept with it."""
    also = []
    if space.status == SpaceStatus.UNDER_REVIEW and to != SpaceStatus.WITHDRAWN:
        space.reviewed_by = actor
        also.append("reviewed_by")
    return workflow.move(space, to, actor=actor, note=note, also=also)


def _locked(space_id: int) -> Space:
    return Space.objects.select_for_update().get(pk=space_id)


def ensure_editable(actor: User, space: Space) -> None:
    """PermissionDenied for someone who may never edit this space; TransitionError, with the
    reason, for its commune once the proposal has left the `proposed` status."""
    if can_edit_space(actor, space):
        return
    if is_president_of(actor, space):
        raise TransitionError(
            _("This proposal is “%(status)s”: the commune can no longer change it.")
            % {"status": SpaceStatus(space.status).label}
        )
    raise PermissionDenied


@transaction.atomic
def propose_space(*, actor: User, data: dict, crafts) -> Space:
    """A commune president proposes a building of their own commune (never another's: the
    commune comes from the account, not from the form)."""
    if not can_propose_space(actor):
        raise PermissionDenied
    space = Space.objects.create(
        commune_id=actor.commune_id, proposed_by=actor, status=SpaceStatus.PROPOSED, **data
    )
    space.crafts.set(crafts)
    workflow.record_creation(space, actor=actor)
    notifications.notify_staff_of_proposal(space)
    return space


@transaction.atomic
def update_space(space_id: int, *, actor: User, data: dict, crafts) -> Space:
    space = _locked(space_id)
    ensure_editable(actor, space)
    for name, value in data.items():
        setattr(space, name, value)
    space.save(update_fields=[*data, "updated_at"])
    space.crafts.set(crafts)
    return space


@transaction.atomic
def withdraw_space(space_id: int, *, actor: User, note: str = "") -> Space:
    """The commune takes back its proposal while it is proposed or under review."""
    space = _locked(space_id)
    if not is_president_of(actor, space):
        raise PermissionDenied
    _move(space, SpaceStatus.WITHDRAWN, actor=actor, note=note)
    return space


# A review's decisions, by the status each gives and the one it must start from: an occupied
# space becomes available again when its allocations end, never by a decision.
DECIDED_FROM = {status: start for start, status in REVIEW_DECISIONS.values()}


def _decide(space_id: int, to: str, *, actor: User, note: str) -> Space:
    space = _locked(space_id)
    if not can_review_space(actor):
        raise PermissionDenied
    if space.status != DECIDED_FROM[to]:
        raise workflow.refusal(space, to)
    change = _move(space, to, actor=actor, note=note)
    notifications.notify_commune_of_decision(space, change=change)
    return space


@transaction.atomic
def start_review(space_id: int, *, actor: User, note: str = "") -> Space:
    """Staff take a proposal for review; from then on the commune cannot change it."""
    return _decide(space_id, SpaceStatus.UNDER_REVIEW, actor=actor, note=note)


@transaction.atomic
def approve_space(space_id: int, *, actor: User, note: str = "") -> Space:
    """Staff only. A space under review becomes available in the public catalogue."""
    return _decide(space_id, SpaceStatus.AVAILABLE, actor=actor, note=note)


@transaction.atomic
def reject_space(space_id: int, *, actor: User, note: str) -> Space:
    """Staff only, with a reason (`note`) that the commune reads."""
    if not can_review_space(actor):
        raise PermissionDenied
    note = workflow.require_reason(
        note, _("Give the reason for the rejection: the commune will read it.")
    )
    return _decide(space_id, SpaceStatus.REJECTED, actor=actor, note=note)


def _delete_files_after_commit(*files) -> None:
    names = [(f.storage, f.name) for f in files if f]
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in names])


def add_photo(space_id: int, *, actor: User, upload, caption: str = "") -> SpacePhoto:
    """Re-encode and attach a photo; the first photo of a space becomes its cover.

    The slow re-encoding happens before the transaction, so that it never holds a lock (on
    SQLite, a write lock on the whole database); who may add is checked again under the lock."""
    ensure_editable(actor, Space.objects.get(pk=space_id))
    clean = reencode_image(upload)  # ValidationError for the person
    with transaction.atomic():
        return _attach_photo(space_id, actor, clean, caption)


def _attach_photo(space_id, actor, clean, caption) -> SpacePhoto:
    space = _locked(space_id)
    ensure_editable(actor, space)
    photo = SpacePhoto(
        space=space,
        caption=caption,
        uploaded_by=actor,
        is_cover=not space.photos.filter(is_cover=True).exists(),
    )
    photo.image.save("photo.jpg", clean.image, save=False)
    photo.thumbnail.save("photo.jpg", clean.thumbnail, save=False)
    try:
        photo.save()
    except Exception:
        photo.image.delete(save=False)
        photo.thumbnail.delete(save=False)
        raise
    return photo


@transaction.atomic
def set_cover_photo(photo_id: int, *, actor: User) -> SpacePhoto:
    photo = SpacePhoto.objects.select_related("space").get(pk=photo_id)
    space = _locked(photo.space_id)
    ensure_editable(actor, space)
    space.photos.filter(is_cover=True).exclude(pk=photo.pk).update(is_cover=False)
    if not photo.is_cover:
        photo.is_cover = True
        photo.save(update_fields=["is_cover"])
    return photo


@transaction.atomic
def delete_photo(photo_id: int, *, actor: User) -> None:
    photo = SpacePhoto.objects.get(pk=photo_id)
    space = _locked(photo.space_id)
    ensure_editable(actor, space)
    photo.delete()
    _delete_files_after_commit(photo.image, photo.thumbnail)
    if photo.is_cover:
        following = space.photos.order_by("created_at", "pk").first()
        if following:
            following.is_cover = True
            following.save(update_fields=["is_cover"])


@transaction.atomic
def add_document(space_id: int, *, actor: User, upload, title: str) -> SpaceDocument:
    space = _locked(space_id)
    ensure_editable(actor, space)
    clean = clean_pdf(upload)  # ValidationError for the person
    document = SpaceDocument(space=space, title=title, size=clean.size, uploaded_by=actor)
    document.file.save("document.pdf", clean, save=False)
    try:
        document.save()
    except Exception:
        document.file.delete(save=False)
        raise
    return document


@transaction.atomic
def delete_document(document_id: int, *, actor: User) -> None:
    document = SpaceDocument.objects.get(pk=document_id)
    space = _locked(document.space_id)
    ensure_editable(actor, space)
    document.delete()
    _delete_files_after_commit(document.file)


# --- allocations -------------------------------------------------------------------------


MAX_ALLOCATION_DAYS = 5 * 366


class AllocationConflict(TransitionError):
    """The space is already taken on one of these days during the period."""


def _reference(space: Space) -> str:
    """GON-<year>-<space>-<rank of the allocation for this space>; the space is locked."""
    rank = space.allocations.count() + 1
    return f"GON-{timezone.now().year}-{space.pk:04d}-{rank:03d}"


@transaction.atomic
def allocate_space(
    space_id: int,
    *,
    actor: User,
    starts_on,
    ends_on,
    weekdays: int,
    purpose: str,
    holder: str,
    craft=None,
    activity: str = "",
    note: str = "",
) -> Allocation:
    """Staff only. Gives the space to an activity on these days of the week for the period.

    The space row is locked first, so concurrent approvals for one space run one after the
    other: the first gets it, the others are refused with the clash (AllocationConflict). On
    PostgreSQL, exclusion constraints refuse an overlap even if this check were bypassed.
    An available space becomes occupied."""
    if not can_review_space(actor):
        raise PermissionDenied
    if ends_on < starts_on:
        raise TransitionError(_("The end of the period comes before its start."))
    if (ends_on - starts_on).days > MAX_ALLOCATION_DAYS:
        raise TransitionError(_("An allocation lasts five years at most: renew it after."))
    if not 1 <= weekdays <= ALL_WEEKDAYS:
        raise TransitionError(_("Choose at least one day of the week."))
    space = _locked(space_id)
    if space.status not in (SpaceStatus.AVAILABLE, SpaceStatus.OCCUPIED):
        raise TransitionError(
            _("This space is “%(status)s”: it cannot be allocated.")
            % {"status": SpaceStatus(space.status).label}
        )
    _ensure_free(space, starts_on, ends_on, weekdays)
    try:
        with transaction.atomic():
            allocation = Allocation.objects.create(
                space=space,
                starts_on=starts_on,
                ends_on=ends_on,
                weekdays=weekdays,
                purpose=purpose,
                holder=holder,
                craft=craft,
                activity=activity,
                note=note,
                created_by=actor,
                agreement_reference=_reference(space),
            )
    except IntegrityError:  # the database's own guard (PostgreSQL exclusion constraints)
        raise AllocationConflict(
            _("This space has just been allocated on some of these days: reload and check.")
        ) from None
    workflow.record_creation(allocation, actor=actor, note=note)
    refresh_status(space, actor=actor, note=allocation.agreement_reference)
    return allocation


def _ensure_free(space: Space, starts_on, ends_on, weekdays: int, *, but=None) -> None:
    """AllocationConflict, naming the clash, if a running allocation of the (locked) space
    other than `but` uses one of these days in the period."""
    others = space.allocations.filter(status__in=RUNNING)
    if but is not None:
        others = others.exclude(pk=but.pk)
    for other in others:
        if other.shares_time_with(starts_on, ends_on, weekdays):
            raise AllocationConflict(
                _(
                    "This space is already allocated to %(holder)s from %(start)s to %(end)s "
                    "on some of these days."
                )
                % {
                    "holder": other.holder,
                    "start": formats.date_format(other.starts_on),
                    "end": formats.date_format(other.ends_on),
                }
            )


def refresh_status(space: Space, *, actor, note: str = "", today=None) -> None:
    """A public space (locked) is occupied when no weekday is free for the coming months,
    available otherwise (DESIGN.md §3): a hall booked Monday to Wednesday stays available."""
    if space.status not in PUBLIC_STATUSES:
        return
    today = today or timezone.localdate()
    running = space.allocations.filter(status__in=RUNNING, ends_on__gte=today)
    full = availability.free_mask(running, today) == 0
    if full and space.status == SpaceStatus.AVAILABLE:
        _move(space, SpaceStatus.OCCUPIED, actor=actor, note=note)
    elif not full and space.status == SpaceStatus.OCCUPIED:
        _move(space, SpaceStatus.AVAILABLE, actor=actor, note=note)


def _close(allocation: Allocation, space: Space, to: str, *, actor, note: str) -> None:
    """Close a locked allocation (who and why in its history); its days are free again."""
    allocation.closed_at = timezone.now()
    workflow.move(
        allocation, to, actor=actor, note=note, also=["closed_at"], at=allocation.closed_at
    )
    refresh_status(space, actor=actor, note=allocation.agreement_reference)
    notices.announce(allocation.pk, to)


def _locked_allocation(allocation_id: int) -> tuple[Allocation, Space]:
    """The allocation and its space, both locked, the space first (as allocate_space)."""
    space_id = Allocation.objects.values_list("space_id", flat=True).get(pk=allocation_id)
    space = _locked(space_id)
    return Allocation.objects.select_for_update().get(pk=allocation_id), space


@transaction.atomic
def close_allocation(allocation_id: int, *, actor: User, to: str, note: str = "") -> Allocation:
    """Staff only. An allocation ends (its period is over) or is terminated (stopped early),
    with who did it and why in its history; a terminated one needs the reason."""
    if not can_review_space(actor):
        raise PermissionDenied
    if to not in (AllocationStatus.ENDED, AllocationStatus.TERMINATED):
        raise ValueError(to)
    allocation, space = _locked_allocation(allocation_id)
    if to == AllocationStatus.TERMINATED:
        note = workflow.require_reason(
            note, _("Say why the allocation is stopped early: it is kept with the agreement.")
        )
    _close(allocation, space, to, actor=actor, note=note)
    return allocation


@transaction.atomic
def request_renewal(
    allocation_id: int, *, actor: User, reason: str, on_behalf: bool = False
) -> Allocation:
    """The holder of a running agreement asks for it to go on, with a line of reason.

    Spaces do not know who holds an agreement: the caller (cooperatives.services) has
    checked that `actor` does, or that staff ask on the holder's behalf."""
    reason = workflow.require_reason(
        reason, _("Say in a line why the activity should go on: the chamber reads it.")
    )
    allocation, _space = _locked_allocation(allocation_id)
    workflow.move(
        allocation,
        AllocationStatus.RENEWAL_REQUESTED,
        actor=actor,
        note=reason,
        on_behalf=on_behalf,
    )
    notices.announce(allocation.pk, AllocationStatus.RENEWAL_REQUESTED)
    return allocation


@transaction.atomic
def renew_allocation(allocation_id: int, *, actor: User, ends_on, note: str = "") -> Allocation:
    """Staff only. The agreement goes on until `ends_on`: same space, same days, checked
    against the other allocations of the space like a new one. Its history keeps the end it
    had and the one it has now."""
    if not can_review_space(actor):
        raise PermissionDenied
    allocation, space = _locked_allocation(allocation_id)
    workflow.ensure_allowed(allocation, AllocationStatus.RENEWED)
    previous = allocation.ends_on
    if ends_on <= previous:
        raise TransitionError(
            _("A renewal ends after the present end, %(end)s.")
            % {"end": formats.date_format(previous)}
        )
    if (ends_on - previous).days > MAX_ALLOCATION_DAYS:
        raise TransitionError(_("A renewal lasts five years at most."))
    _ensure_free(space, previous, ends_on, allocation.weekdays, but=allocation)
    allocation.ends_on = ends_on
    said = f"{previous.isoformat()} → {ends_on.isoformat()}"
    try:
        with transaction.atomic():
            workflow.move(
                allocation,
                AllocationStatus.RENEWED,
                actor=actor,
                note="\n".join(filter(None, [said, note.strip()])),
                also=["ends_on"],
            )
    except IntegrityError:  # PostgreSQL's exclusion constraints
        raise AllocationConflict(
            _("This space has just been allocated on some of these days: reload and check.")
        ) from None
    refresh_status(space, actor=actor, note=allocation.agreement_reference)
    notices.announce(allocation.pk, AllocationStatus.RENEWED)
    return allocation


@transaction.atomic
def decline_renewal(allocation_id: int, *, actor: User, note: str) -> Allocation:
    """Staff only. A renewal request is refused, with the reason its holder reads; the
    agreement runs to its end as it was."""
    if not can_review_space(actor):
        raise PermissionDenied
    note = workflow.require_reason(
        note, _("Say why the renewal is refused: the cooperative reads it.")
    )
    allocation, _space = _locked_allocation(allocation_id)
    if allocation.status != AllocationStatus.RENEWAL_REQUESTED:
        raise workflow.refusal(allocation, AllocationStatus.ACTIVE)
    workflow.move(allocation, AllocationStatus.ACTIVE, actor=actor, note=note)
    notices.announce(allocation.pk, AllocationStatus.ACTIVE)
    return allocation


# Agreements are announced this many days before they end (issue #13).
NOTICE_DAYS = 30


def announce_ending_agreements(*, today=None) -> int:
    """Announce, once per end date, every running agreement that ends within NOTICE_DAYS
    (a renewal moves the end, and the new one is announced in its turn). Run daily; a day
    missed is caught up the next. Returns how many were announced."""
    today = today or timezone.localdate()
    count = 0
    due = Allocation.objects.filter(
        status__in=RUNNING,
        ends_on__gte=today,
        ends_on__lte=today + timedelta(days=NOTICE_DAYS),
    ).exclude(end_notice_for=F("ends_on"))
    for allocation_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            allocation = Allocation.objects.select_for_update().get(pk=allocation_id)
            if allocation.end_notice_for == allocation.ends_on:
                continue
            allocation.end_notice_for = allocation.ends_on
            allocation.save(update_fields=["end_notice_for"])
            notices.announce(allocation.pk, "ending")
            count += 1
    return count


def end_past_allocations(*, today=None) -> int:
    """End every running allocation whose period is over, and set each public space's
    status from the days it has free for the coming months (which change with the date).
    Run daily (`manage.py end_past_allocations`); no person acts, so the history says so."""
    today = today or timezone.localdate()
    ended = 0
    for allocation_id in Allocation.objects.filter(
        status__in=RUNNING, ends_on__lt=today
    ).values_list("pk", flat=True):
        with transaction.atomic():
            allocation, space = _locked_allocation(allocation_id)
            if not allocation.is_running:
                continue  # closed by staff meanwhile
            _close(
                allocation,
                space,
                AllocationStatus.ENDED,
                actor=None,
                note=gettext_noop("The period of the allocation is over."),
            )
            ended += 1
    # Spaces that are occupied, or that a running allocation may fill as the date moves on.
    for space_id in (
        Space.objects.filter(status__in=PUBLIC_STATUSES)
        .filter(Q(status=SpaceStatus.OCCUPIED) | Q(allocations__status__in=RUNNING))
        .values_list("pk", flat=True)
        .distinct()
    ):
        with transaction.atomic():
            refresh_status(
                _locked(space_id),
                actor=None,
                note=gettext_noop("The days free for the coming months changed."),
                today=today,
            )
    return ended


# --- bulk import -------------------------------------------------------------------------


@transaction.atomic
def import_spaces(*, actor: User, records: list[dict]) -> dict[str, int]:
    """Create or update the spaces of a checked file, all or nothing. The rows are checked
    again inside the transaction: if a row would now be refused, nothing is imported.

    A new space is the chamber's own record of a building: it enters the catalogue as
    available, reviewed by the person importing, with that move in its history. An update
    changes the file's columns only (the crafts only if the file has them), never the status.
    """
    if not can_review_space(actor):
        raise PermissionDenied
    # Lock what the check decides on before checking: the communes the file names (two
    # imports must not both add the same building to one) and the spaces it updates.
    communes = imports.communes_named(records)
    list(Commune.objects.select_for_update(no_key=True).filter(pk__in=communes).order_by("pk"))
    # Ordered by key: the model's ordering would join, and lock, the spaces' communes too.
    locked = (
        Space.objects.select_for_update(of=("self",))
        .order_by("pk")
        .in_bulk(imports.references(records))
    )
    report = imports.check(records)
    if not report.clean:
        raise ValidationError(_("Some rows would be refused now; check the file again."))
    now = timezone.now()
    updates = [row for row in report.rows if row.action == "update"]
    columns = report.rows[0].columns
    fields = [
        field.attname
        for field in Space._meta.concrete_fields
        if field.name in columns and not field.primary_key
    ]
    # One UPDATE per row: bulk_update's CASE over every column is slower past a few hundred.
    for row in updates:
        space = locked[int(row.key)]
        for name in fields:
            setattr(space, name, row.data[name])
        space.save(update_fields=[*fields, "updated_at"])

    created = [
        (
            Space(
                **row.data,
                status=SpaceStatus.AVAILABLE,
                reviewed_by=actor,
                created_at=now,
            ),
            row.crafts,
        )
        for row in report.rows
        if row.action == "create"
    ]
    # PostgreSQL and SQLite (3.35+) return the new keys, which the links below need.
    Space.objects.bulk_create([space for space, _crafts in created], batch_size=500)
    workflow.record_creation(
        [space for space, _crafts in created],
        actor=actor,
        note=gettext_noop("Imported from a file by the chamber."),
        at=now,
    )
    through = Space.crafts.through
    recrafted = (
        [(locked[int(row.key)], row.crafts) for row in updates] if "crafts" in columns else []
    )
    through.objects.filter(space__in=[space for space, _crafts in recrafted]).delete()
    through.objects.bulk_create(
        [
            through(space_id=space.pk, craft_id=craft)
            for space, crafts in created + recrafted
            for craft in crafts
        ],
        batch_size=1000,
    )
    return {"created": len(created), "updated": len(updates)}
