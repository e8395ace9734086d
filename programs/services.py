"""Workflows of the programmes: apprentices' sign-up and enrolments, hosting a cohort or an
action in a space. Each is one transaction on a locked row, checks who acts, and records every
move of an enrolment. Callers catch TransitionError and ValidationError."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from chamber.models import Role, User
from programs.models import (
    SEAT_STATUSES,
    Apprentice,
    Cohort,
    Enrolment,
    EnrolmentStatus,
    EnrolmentStatusChange,
    Outcome,
    SafeguardingAction,
    SchoolLevel,
    eligibility_problems,
)
from programs.permissions import can_manage_programmes
from spaces import services as space_services
from spaces.models import AllocationPurpose


class TransitionError(Exception):
    """A move the workflow refuses; its message is meant for the person who asked."""


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


def _move(enrolment: Enrolment, to: str, *, actor: User, note: str = "") -> None:
    if to not in Enrolment.MOVES[enrolment.status]:
        raise TransitionError(
            _("This enrolment is “%(current)s”: it cannot become “%(target)s”.")
            % {
                "current": EnrolmentStatus(enrolment.status).label,
                "target": EnrolmentStatus(to).label,
            }
        )
    from_status = enrolment.status
    enrolment.status = to
    enrolment.save(update_fields=["status"])
    EnrolmentStatusChange.objects.create(
        enrolment=enrolment, from_status=from_status, to_status=to, actor=actor, note=note
    )


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
    EnrolmentStatusChange.objects.create(
        enrolment=enrolment, to_status=EnrolmentStatus.APPLIED, actor=actor
    )
    return enrolment


def _staff_move(enrolment_id: int, to: str, *, actor: User, note: str = "") -> Enrolment:
    if not can_manage_programmes(actor):
        raise PermissionDenied
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment_id)
    _move(enrolment, to, actor=actor, note=note.strip())
    return enrolment


@transaction.atomic
def accept_enrolment(enrolment_id: int, *, actor: User, note: str = "") -> Enrolment:
    """Staff accept an applicant while seats remain. The cohort row is locked first, so two
    acceptances at once never fill one seat twice."""
    if not can_manage_programmes(actor):
        raise PermissionDenied
    cohort_id, status = Enrolment.objects.values_list("cohort_id", "status").get(pk=enrolment_id)
    if status != EnrolmentStatus.APPLIED:
        raise TransitionError(
            _("This enrolment is “%(current)s”: it cannot become “%(target)s”.")
            % {
                "current": EnrolmentStatus(status).label,
                "target": EnrolmentStatus.ACCEPTED.label,
            }
        )
    cohort = Cohort.objects.select_for_update().get(pk=cohort_id)
    taken = cohort.enrolments.filter(status__in=SEAT_STATUSES).count()
    if taken >= cohort.seats:
        raise TransitionError(
            _("All %(seats)s seats of this cohort are taken.") % {"seats": cohort.seats}
        )
    return _staff_move(enrolment_id, EnrolmentStatus.ACCEPTED, actor=actor, note=note)


@transaction.atomic
def refuse_enrolment(enrolment_id: int, *, actor: User, note: str) -> Enrolment:
    if can_manage_programmes(actor) and not note.strip():
        raise TransitionError(_("Give the reason: the young person will read it."))
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
    enrolment = _staff_move(enrolment_id, EnrolmentStatus.COMPLETED, actor=actor, note=note)
    enrolment.completed_on = timezone.localdate()
    enrolment.certificate_number = (
        f"GON-APP-{enrolment.completed_on:%Y}-{enrolment.cohort_id:04d}-{enrolment.pk:05d}"
    )
    enrolment.save(update_fields=["completed_on", "certificate_number"])
    return enrolment


@transaction.atomic
def drop_enrolment(enrolment_id: int, *, actor: User, note: str) -> Enrolment:
    if can_manage_programmes(actor) and not note.strip():
        raise TransitionError(_("Give the reason why the apprentice stopped."))
    return _staff_move(enrolment_id, EnrolmentStatus.DROPPED, actor=actor, note=note)


@transaction.atomic
def record_outcome(enrolment_id: int, *, actor: User, outcome: str) -> Enrolment:
    """Six months after the end: employed, self-employed, in a cooperative, or looking."""
    if not can_manage_programmes(actor):
        raise PermissionDenied
    if outcome not in Outcome.values:
        raise TransitionError(_("Choose an outcome."))
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment_id)
    if enrolment.status != EnrolmentStatus.COMPLETED:
        raise TransitionError(_("An outcome is recorded for a completed training only."))
    enrolment.outcome = outcome
    enrolment.save(update_fields=["outcome"])
    return enrolment


def _allocate(space_id, *, actor, host, purpose, holder, note=""):
    """Give `host` (a cohort or an action) its space for its period through an allocation (a
    shared hall keeps its other days); refused with the clash if the days are taken."""
    if host.allocation_id:
        raise TransitionError(_("This already has its space."))
    try:
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
    except space_services.TransitionError as refusal:
        raise TransitionError(str(refusal)) from None
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
        note=_("Apprenticeship: most of the time in the workshop (law 12-00)."),
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
