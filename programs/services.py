"""Workflows of the programmes: apprentices' sign-up and enrolments, their outcome, hosting a
cohort or an action in a space, and the roadmap's actions. Each is one transaction on a locked
row, checks who acts, and moves statuses through the one mover (chamber.workflow), which
records every move. Callers catch TransitionError and ValidationError."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from chamber import workflow
from chamber.models import Role, User
from chamber.workflow import TransitionError
from programs import notifications
from programs.models import (
    SEAT_STATUSES,
    ActionStatus,
    Apprentice,
    Cohort,
    Enrolment,
    EnrolmentStatus,
    Outcome,
    RoadmapAction,
    SafeguardingAction,
    SchoolLevel,
    eligibility_problems,
)
from programs.permissions import can_manage_programmes, can_record_outcome
from spaces import services as space_services
from spaces.models import AllocationPurpose

# A roadmap action that leaves one of these needs a reason, as one that enters `cancelled`.
CLOSED_ACTION_STATUSES = (ActionStatus.DONE, ActionStatus.CANCELLED)
ACTION_REASON = gettext_lazy("Say why: the commune reads the roadmap.")


def action_move_needs_reason(current: str, status: str) -> bool:
    """Cancelling an action, or taking up a done or cancelled one, says why."""
    return status != current and (
        status == ActionStatus.CANCELLED or current in CLOSED_ACTION_STATUSES
    )


class NotEligible(TransitionError):
    """The young person does not meet the rules of DESIGN.md §5 for this cohort."""


def reasons(problems) -> str:
    said = []
    for code, params in problems:
        if code == "too_young":
            said.append(_("You will be %(age)s at the start: the minimum is 15.") % params)
        elif code == "too_old":
            said.append(_("You will be %(age)s at the start: the maximum is 30.") % params)
        elif code == "school_level":
            said.append(
                _("This certificate asks for at least: %(level)s.")
                % {"level": SchoolLevel(params["needed"]).label}
            )
    return " ".join(said)


@transaction.atomic
def sign_up_apprentice(*, user: User, password: str, profile: dict) -> Apprentice:
    if profile["birth_date"] > timezone.localdate():
        raise ValidationError({"birth_date": _("The date of birth cannot be in the future.")})
    user.role = Role.APPRENTICE
    user.set_password(password)
    user.save()
    return Apprentice.objects.create(user=user, **profile)


@transaction.atomic
def apply_to_cohort(cohort_id: int, *, actor: User) -> Enrolment:
    """A young person applies to an open cohort; refused with the reason if not eligible."""
    apprentice = getattr(actor, "apprentice", None) if actor.is_authenticated else None
    if apprentice is None:
        raise PermissionDenied
    cohort = Cohort.objects.select_for_update().get(pk=cohort_id)
    if not cohort.open_for_applications or cohort.starts_on < timezone.localdate():
        raise TransitionError(_("This cohort does not take applications any more."))
    problems = eligibility_problems(
        apprentice.birth_date, apprentice.school_level, cohort.starts_on, cohort.certificate
    )
    if problems:
        raise NotEligible(reasons(problems))
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(cohort=cohort, apprentice=apprentice)
    except IntegrityError:
        raise TransitionError(_("You have already applied to this cohort.")) from None
    workflow.record_creation(enrolment, actor=actor)
    return enrolment


def _staff_move(enrolment_id: int, to: str, *, actor: User, note: str = "") -> Enrolment:
    if not can_manage_programmes(actor):
        raise PermissionDenied
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment_id)
    change = workflow.move(enrolment, to, actor=actor, note=note)
    notifications.notify_apprentice_of_move(enrolment, change=change)
    return enrolment


@transaction.atomic
def accept_enrolment(enrolment_id: int, *, actor: User, note: str = "") -> Enrolment:
    """Staff accept an applicant while seats remain. The cohort row is locked first, so two
    acceptances at once never fill one seat twice."""
    if not can_manage_programmes(actor):
        raise PermissionDenied
    cohort_id = Enrolment.objects.values_list("cohort_id", flat=True).get(pk=enrolment_id)
    cohort = Cohort.objects.select_for_update().get(pk=cohort_id)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment_id)
    workflow.ensure_allowed(enrolment, EnrolmentStatus.ACCEPTED)  # before counting seats
    taken = cohort.enrolments.filter(status__in=SEAT_STATUSES).count()
    if taken >= cohort.seats:
        raise TransitionError(
            _("All %(seats)s seats of this cohort are taken.") % {"seats": cohort.seats}
        )
    return _staff_move(enrolment_id, EnrolmentStatus.ACCEPTED, actor=actor, note=note)


@transaction.atomic
def refuse_enrolment(enrolment_id: int, *, actor: User, note: str) -> Enrolment:
    if not can_manage_programmes(actor):
        raise PermissionDenied
    note = workflow.require_reason(note, _("Give the reason: the young person will read it."))
    return _staff_move(enrolment_id, EnrolmentStatus.REFUSED, actor=actor, note=note)


def _cohort_dates(enrolment_id: int):
    return Enrolment.objects.values_list("cohort__starts_on", "cohort__ends_on").get(
        pk=enrolment_id
    )


@transaction.atomic
def start_training(enrolment_id: int, *, actor: User, note: str = "") -> Enrolment:
    """From the cohort's first day (a certificate must never precede its training)."""
    starts_on, _ends_on = _cohort_dates(enrolment_id)
    if can_manage_programmes(actor) and timezone.localdate() < starts_on:
        raise TransitionError(
            _("The cohort starts on %(date)s: the training cannot start before.")
            % {"date": formats.date_format(starts_on)}
        )
    return _staff_move(enrolment_id, EnrolmentStatus.IN_TRAINING, actor=actor, note=note)


@transaction.atomic
def complete_training(enrolment_id: int, *, actor: User, note: str = "") -> Enrolment:
    """The apprentice completed the training, at its end: a certificate number is given."""
    _starts_on, ends_on = _cohort_dates(enrolment_id)
    if can_manage_programmes(actor) and timezone.localdate() < ends_on:
        raise TransitionError(
            _("The cohort ends on %(date)s: the training cannot be completed before.")
            % {"date": formats.date_format(ends_on)}
        )
    if not can_manage_programmes(actor):
        raise PermissionDenied
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment_id)
    enrolment.completed_on = timezone.localdate()
    enrolment.certificate_number = (
        f"GON-APP-{enrolment.completed_on:%Y}-{enrolment.cohort_id:04d}-{enrolment.pk:05d}"
    )
    change = workflow.move(
        enrolment,
        EnrolmentStatus.COMPLETED,
        actor=actor,
        note=note,
        also=["completed_on", "certificate_number"],
    )
    notifications.notify_apprentice_of_move(enrolment, change=change)
    return enrolment


@transaction.atomic
def drop_enrolment(enrolment_id: int, *, actor: User, note: str) -> Enrolment:
    if not can_manage_programmes(actor):
        raise PermissionDenied
    note = workflow.require_reason(note, _("Give the reason why the apprentice stopped."))
    return _staff_move(enrolment_id, EnrolmentStatus.DROPPED, actor=actor, note=note)


@transaction.atomic
def record_outcome(enrolment_id: int, *, actor: User, outcome: str, note: str = "") -> Enrolment:
    """Six months after the end: employed, self-employed, in a cooperative, or looking; said
    by the staff or by the young person (programs.permissions.can_record_outcome). A
    correction is a move of its own, in the outcome's history. The same outcome again
    changes nothing."""
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment_id)
    if not can_record_outcome(actor, enrolment):
        raise PermissionDenied
    if outcome not in Outcome.values:
        raise TransitionError(_("Choose an outcome."))
    if enrolment.status != EnrolmentStatus.COMPLETED:
        raise TransitionError(_("An outcome is recorded for a completed training only."))
    if enrolment.outcome != outcome:
        workflow.move(enrolment, outcome, actor=actor, note=note, field="outcome")
    return enrolment


def _allocate(space_id, *, actor, host, purpose, holder, note=""):
    """Give `host` (a cohort or an action) its space for its period through an allocation (a
    shared hall keeps its other days); refused with the clash if the days are taken."""
    if host.allocation_id:
        raise TransitionError(_("This already has its space."))
    allocation = space_services.allocate_space(
        space_id,
        actor=actor,
        starts_on=host.starts_on,
        ends_on=host.ends_on,
        weekdays=host.weekdays,
        purpose=purpose,
        holder=holder,
        craft=host.craft,
        note=note,
    )
    host.allocation = allocation
    return allocation


@transaction.atomic
def host_cohort(cohort_id: int, *, actor: User, space_id: int, weekdays: int) -> Cohort:
    """Staff host a cohort in a space on these weekdays for its whole period."""
    if not can_manage_programmes(actor):
        raise PermissionDenied
    cohort = Cohort.objects.select_for_update().select_related("craft", "master").get(pk=cohort_id)
    cohort.weekdays = weekdays
    _allocate(
        space_id,
        actor=actor,
        host=cohort,
        purpose=AllocationPurpose.APPRENTICESHIP_COHORT,
        holder=_("Apprenticeship cohort, master %(name)s") % {"name": cohort.master.name},
        # Kept in English, put into words when shown (the agreement, the history).
        note=gettext_noop("Apprenticeship: most of the time in the workshop (law 12-00)."),
    )
    cohort.space_id = space_id
    cohort.save(update_fields=["space", "allocation"])
    return cohort


@transaction.atomic
def host_action(action_id: int, *, actor: User, space_id: int, weekdays: int):
    """Staff host a safeguarding action (a workshop, an exhibition…) in a space."""
    if not can_manage_programmes(actor):
        raise PermissionDenied
    action = (
        SafeguardingAction.objects.select_for_update().select_related("craft").get(pk=action_id)
    )
    action.weekdays = weekdays
    _allocate(
        space_id,
        actor=actor,
        host=action,
        purpose=AllocationPurpose.SAFEGUARDING_ACTION,
        holder=action.title,
    )
    action.save(update_fields=["allocation"])
    return action


# --- roadmap -----------------------------------------------------------------------------


@transaction.atomic
def update_roadmap_action(
    action_id: int, *, actor: User, status: str, progress: int, note: str = ""
) -> RoadmapAction:
    """Staff move a roadmap action and set its progress. A done action is at 100%; a
    cancelled, reopened or revived action says why."""
    if not can_manage_programmes(actor):
        raise PermissionDenied
    action = RoadmapAction.objects.select_for_update().get(pk=action_id)
    action.progress = 100 if status == ActionStatus.DONE else progress
    if status == action.status:
        action.save(update_fields=["progress"])
        return action
    workflow.ensure_allowed(action, status)
    if action_move_needs_reason(action.status, status):
        note = workflow.require_reason(note, ACTION_REASON)
    # Status and progress in one UPDATE: a done action is never below 100% (its constraint).
    workflow.move(action, status, actor=actor, note=note, also=["progress"])
    return action


@transaction.atomic
def add_roadmap_action(action: RoadmapAction, *, actor: User) -> RoadmapAction:
    """Staff add an action (built by a form, not yet saved) to a commune's roadmap or the
    region's, with its first status in its history."""
    if not can_manage_programmes(actor):
        raise PermissionDenied
    if action.status == ActionStatus.DONE:
        action.progress = 100
    action.save()
    workflow.record_creation(action, actor=actor)
    return action


def ask_outcomes(*, today=None) -> int:
    """Ask each young person, six months after their training ended, what they do now (once:
    the notification's key). Run daily; returns how many were asked."""
    today = today or timezone.localdate()
    due = Enrolment.objects.filter(
        status=EnrolmentStatus.COMPLETED,
        outcome="",
        completed_on__lte=today - notifications.OUTCOME_AFTER,
        # a month's window: a portal that was off for a while still asks, a late one never
        completed_on__gt=today - notifications.OUTCOME_AFTER - timedelta(days=31),
        apprentice__user__is_active=True,
    ).select_related("apprentice__user")
    asked = 0
    for enrolment in due:
        with transaction.atomic():
            notifications.ask_outcome(enrolment)
        asked += 1
    return asked


def erase_personal_data(user: User) -> None:
    """Anonymise a young person's profile when staff erase them (chamber.services.erase_person,
    which holds the transaction, checks who acts and empties the account's phone). The date of
    birth keeps its year only, so that age groups still add up; commune, school level and
    whether a young woman stay, being what the programme's figures count. Enrolments and their
    histories stay."""
    for apprentice in Apprentice.objects.select_for_update().filter(user=user):
        apprentice.birth_date = apprentice.birth_date.replace(month=1, day=1)
        apprentice.save(update_fields=["birth_date"])
