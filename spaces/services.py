"""Workflows that change spaces: propose, edit, withdraw, review, photos and documents.

Each function is one transaction, locks the space it decides on, checks who acts, and records
every status move (who, when, from, to, why) in SpaceStatusChange. Callers catch
TransitionError (a refusal to explain to the person) and ValidationError (a bad upload).
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from chamber.models import User
from spaces.models import Space, SpaceDocument, SpacePhoto, SpaceStatus, SpaceStatusChange
from spaces.permissions import can_edit_space, can_propose_space, can_review_space, is_president_of
from spaces.uploads import check_pdf, reencode_image


class TransitionError(Exception):
    """A move the workflow refuses; its message is meant for the person who asked."""


def _move(space: Space, to: str, *, actor: User, note: str = "") -> None:
    if to not in Space.MOVES[space.status]:
        raise TransitionError(
            _("This space is “%(current)s”: it cannot become “%(target)s”.")
            % {
                "current": SpaceStatus(space.status).label,
                "target": SpaceStatus(to).label,
            }
        )
    from_status = space.status
    space.status = to
    fields = ["status", "updated_at"]
    if to in (SpaceStatus.AVAILABLE, SpaceStatus.REJECTED):
        space.reviewed_by = actor
        fields.append("reviewed_by")
    space.save(update_fields=fields)
    SpaceStatusChange.objects.create(
        space=space, from_status=from_status, to_status=to, actor=actor, note=note
    )


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
    SpaceStatusChange.objects.create(
        space=space, from_status="", to_status=SpaceStatus.PROPOSED, actor=actor
    )
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


def _decide(space_id: int, to: str, *, actor: User, note: str) -> Space:
    space = _locked(space_id)
    if not can_review_space(actor, space):
        raise PermissionDenied
    _move(space, to, actor=actor, note=note.strip())
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
    if not note.strip() and can_review_space(actor):
        raise TransitionError(_("Give the reason for the rejection: the commune will read it."))
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
    check_pdf(upload)  # ValidationError for the person
    document = SpaceDocument(space=space, title=title, size=upload.size, uploaded_by=actor)
    document.file.save("document.pdf", upload, save=False)
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
