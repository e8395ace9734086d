"""The workflow kernel (STYLE.md, "Statuses"): one mover for every status of the portal.

A model with a status declares, in a table, the statuses each status may become: `MOVES`, for
its status field (`status`, unless the model names another in `STATUS_FIELD`). It keeps the
history of its moves in a model derived from `chamber.models.StatusChange` that points to it
with the related name `history`. A second status field of the same model (an enrolment's
`outcome`) has its own table, `OUTCOME_MOVES`, and history, `outcome_history`.

`move()` refuses any move the table does not allow, with a message for the person who asked,
and records every move it makes: who, when, from, to, why, and whether staff acted on behalf
of the object's holder (the cooperative, the commune, the young person). A note the portal
writes itself is passed in English, marked with gettext_noop, and put into words when shown
(the `said` filter, chamber/templatetags/workflow.py): never stored translated. Services call it in
their transaction, on a row they locked; nothing else writes a status field. A new object's
first status is recorded by `record_creation()`; a change that is not a move but must be
audited (staff changing a cooperative's answers) by `record_note()`.
"""

from collections.abc import Iterable

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from chamber.models import StatusChange


class TransitionError(Exception):
    """A move, or an act, that the workflow refuses; its message is meant for the person
    who asked, and views show it as it is."""


def status_field(model_or_obj, field: str | None = None) -> str:
    return field or getattr(model_or_obj, "STATUS_FIELD", "status")


def _names(model, field: str) -> tuple[str, str]:
    """The names of the moves table and of the history relation of a status field."""
    if field == status_field(model):
        return "MOVES", "history"
    return f"{field.upper()}_MOVES", f"{field}_history"


def moves_table(model, field: str | None = None) -> dict:
    field = status_field(model, field)
    return getattr(model, _names(model, field)[0])


def history_model(model, field: str | None = None) -> type[StatusChange]:
    field = status_field(model, field)
    return model._meta.get_field(_names(model, field)[1]).related_model


def allowed_moves(obj, field: str | None = None) -> set:
    """The statuses `obj` may become from where it stands (who may make each is the app's
    permissions' business)."""
    table = moves_table(type(obj), field)
    return set(table.get(getattr(obj, status_field(obj, field)), ()))


def label(model, value, field: str | None = None) -> str:
    """A status in the reader's words."""
    field = status_field(model, field)
    choices = dict(model._meta.get_field(field).flatchoices) or dict(
        history_model(model, field)._meta.get_field("to_status").flatchoices
    )
    return str(choices.get(value, value if value not in ("", None) else "—"))


def refusal(obj, to, field: str | None = None) -> TransitionError:
    """The refusal of moving `obj` to `to`, in the reader's words (the model's MOVE_REFUSED,
    which names what it is, or a message that does not)."""
    model = type(obj)
    field = status_field(model, field)
    said = getattr(model, "MOVE_REFUSED", None) if field == status_field(model) else None
    return TransitionError(
        (said or _("This is “%(current)s”: it cannot become “%(target)s”."))
        % {"current": label(model, getattr(obj, field), field), "target": label(model, to, field)}
    )


def ensure_allowed(obj, to, field: str | None = None) -> None:
    """TransitionError unless `obj` may become `to` (for a service that must refuse before
    it does anything else)."""
    field = status_field(type(obj), field)
    if to not in moves_table(type(obj), field).get(getattr(obj, field), ()):
        raise refusal(obj, to, field)


def require_reason(note: str, message: str) -> str:
    """The reason a decision needs (a refusal, a rejection, a withdrawal for cause): the
    note without its surrounding blanks, or TransitionError with `message`, which says who
    will read it."""
    note = (note or "").strip()
    if not note:
        raise TransitionError(message)
    return note


def move(
    obj,
    to,
    *,
    actor,
    note: str = "",
    on_behalf: bool = False,
    field: str | None = None,
    also: Iterable[str] = (),
    at=None,
) -> StatusChange:
    """Move `obj`'s status to `to` and record it; TransitionError if its table refuses.

    `also` names fields the caller set on `obj` with the move (who reviewed, when it was
    decided), saved in the same UPDATE. `actor` is None only for the portal's own moves
    (the nightly end of allocations). Returns the history row."""
    model = type(obj)
    field = status_field(model, field)
    current = getattr(obj, field)
    ensure_allowed(obj, to, field)
    setattr(obj, field, to)
    automatic = [f.name for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]
    obj.save(update_fields=list(dict.fromkeys([field, *also, *automatic])))
    row = _row(obj, field, current, actor=actor, note=note, on_behalf=on_behalf, at=at)
    row.save()
    return row


def _row(obj, field, from_status, *, actor, note, on_behalf, at) -> StatusChange:
    """A history row (not saved) for `obj`, whose `field` now holds the status it moved to."""
    model = type(obj)
    relation = model._meta.get_field(_names(model, field)[1])
    return relation.related_model(
        **{relation.field.name: obj},
        from_status=from_status,
        to_status=getattr(obj, field),
        actor=actor,
        note=(note or "").strip(),
        on_behalf=on_behalf,
        at=at or timezone.now(),
    )


def _nothing(model, field):
    """What a history holds as the status before the first: empty text, or NULL for a
    yes-or-no status."""
    column = history_model(model, field)._meta.get_field("from_status")
    return None if isinstance(column, models.BooleanField) else ""


def record_creation(
    objs, *, actor, note: str = "", on_behalf: bool = False, field: str | None = None, at=None
) -> None:
    """Record the first status of new objects (one, or many at once for an import)."""
    objs = objs if isinstance(objs, list | tuple) else [objs]
    if not objs:
        return
    model = type(objs[0])
    field = status_field(model, field)
    start = _nothing(model, field)
    details = {"actor": actor, "note": note, "on_behalf": on_behalf, "at": at}
    rows = [_row(obj, field, start, **details) for obj in objs]
    history_model(model, field).objects.bulk_create(rows, batch_size=1000)


def record_note(obj, *, actor, note: str, on_behalf: bool = False) -> StatusChange:
    """A row in the history that moves nothing: an audited change of what the status
    covers (staff changing a draft's answers for its cooperative)."""
    field = status_field(type(obj))
    row = _row(
        obj, field, getattr(obj, field), actor=actor, note=note, on_behalf=on_behalf, at=None
    )
    row.save()
    return row
