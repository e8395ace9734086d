"""Workflows of cooperatives: sign-up and verification of representatives, profiles, and the
life of a space application (draft → submitted → under review → approved | rejected, or
withdrawn), its approval with an allocation, and the plan staff steer. Each function is one
transaction on a locked row, checks who acts, and moves statuses through the one mover
(chamber.workflow), which records who, when, from, to, why and on whose behalf.

Callers catch TransitionError (a refusal to explain) and ValidationError (a rule broken by
the data, with its field).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext

from chamber import workflow
from chamber.models import Role, User
from chamber.workflow import TransitionError
from cooperatives import approval, imports, notifications, reports, selectors
from cooperatives.models import (
    OPEN_STATUSES,
    ActivityReport,
    ApplicationStatus,
    Cooperative,
    PlanDecision,
    PlanDecisionKind,
    Representative,
    RepresentativeStatus,
    SpaceApplication,
    SpaceInterest,
    registration_key,
)
from cooperatives.permissions import (
    can_apply_for,
    can_ask_renewal,
    can_edit_cooperative,
    can_file_report,
    can_review_applications,
    can_see_application,
    interest_of,
)
from spaces import services as space_services
from spaces.models import PUBLIC_STATUSES, AllocationPurpose, Space

PLAN_REASON = gettext_lazy("Say why: the next person to read the plan needs it.")
DUPLICATE = gettext_lazy(
    "This cooperative already has an open application for this space: follow it, or "
    "withdraw it first."
)


# --- representatives ---------------------------------------------------------------------


@transaction.atomic
def sign_up_representative(
    *,
    user: User,
    password: str,
    cooperative: Cooperative | None,
    new_cooperative: dict | None,
    crafts=(),
    function: str = "",
) -> Representative:
    """A person asks to represent an existing cooperative, or a new one they register.

    The account can apply for nothing until staff verify the representation (and, for a new
    cooperative, the cooperative)."""
    user.role = Role.COOPERATIVE
    user.set_password(password)
    user.save()
    if cooperative is None:
        cooperative = Cooperative.objects.create(verified=False, **new_cooperative)
        cooperative.crafts.set(crafts)
        workflow.record_creation(cooperative, actor=user)
    representative = Representative.objects.create(
        user=user, cooperative=cooperative, function=function
    )
    workflow.record_creation(representative, actor=user)
    return representative


def _decide_representative(representative_id, status, *, actor, note) -> Representative:
    representative = (
        Representative.objects.select_for_update()
        .select_related("cooperative")
        .get(pk=representative_id)
    )
    representative.decided_by = actor
    representative.decided_at = timezone.now()
    representative.decision_note = note.strip()
    change = workflow.move(
        representative,
        status,
        actor=actor,
        note=note,
        also=["decided_by", "decided_at", "decision_note"],
    )
    notifications.notify_representative_of_verification(representative, change=change)
    return representative


@transaction.atomic
def verify_representative(representative_id: int, *, actor: User, note: str = "") -> Representative:
    """Staff confirm that this person speaks for the cooperative; an unverified cooperative is
    verified with them (staff checked its registration at the same time)."""
    if not can_review_applications(actor):
        raise PermissionDenied
    representative = _decide_representative(
        representative_id, RepresentativeStatus.VERIFIED, actor=actor, note=note
    )
    cooperative = Cooperative.objects.select_for_update().get(pk=representative.cooperative_id)
    if not cooperative.verified:
        _verify(cooperative, actor=actor, note=gettext_noop("Verified with its representative."))
    return representative


def _verify(cooperative: Cooperative, *, actor: User, note: str = "") -> None:
    cooperative.verified_by = actor
    cooperative.verified_at = timezone.now()
    workflow.move(cooperative, True, actor=actor, note=note, also=["verified_by", "verified_at"])


@transaction.atomic
def refuse_representative(representative_id: int, *, actor: User, note: str) -> Representative:
    """Staff refuse a request, with the reason the person reads."""
    if not can_review_applications(actor):
        raise PermissionDenied
    note = workflow.require_reason(
        note, _("Give the reason for the refusal: the person will read it.")
    )
    return _decide_representative(
        representative_id, RepresentativeStatus.REFUSED, actor=actor, note=note
    )


# --- cooperatives ------------------------------------------------------------------------


@transaction.atomic
def update_cooperative(cooperative_id: int, *, actor: User, data: dict, crafts) -> Cooperative:
    cooperative = Cooperative.objects.select_for_update().get(pk=cooperative_id)
    if not can_edit_cooperative(actor, cooperative):
        raise PermissionDenied
    for name, value in data.items():
        setattr(cooperative, name, value)
    cooperative.save(update_fields=list(data))
    cooperative.crafts.set(crafts)
    return cooperative


@transaction.atomic
def add_cooperative(cooperative: Cooperative, *, actor: User) -> Cooperative:
    """Staff enter a cooperative in the admin (built by its form, not yet saved): it starts
    unverified, like one that signs up, and is verified with its first representative."""
    if not can_review_applications(actor):
        raise PermissionDenied
    cooperative.verified = False
    cooperative.save()
    workflow.record_creation(cooperative, actor=actor, on_behalf=True)
    return cooperative


@transaction.atomic
def link_representative(representative: Representative, *, actor: User) -> Representative:
    """Staff tie an account to a cooperative in the admin: a request that waits for
    verification on the staff page, like one sent through sign-up."""
    if not can_review_applications(actor):
        raise PermissionDenied
    representative.status = RepresentativeStatus.PENDING
    representative.save()
    workflow.record_creation(representative, actor=actor, on_behalf=True)
    return representative


@transaction.atomic
def register_cooperative(*, actor: User, data: dict, crafts) -> Cooperative:
    """Staff register a cooperative that is not online (assisted filing); it is verified."""
    if not can_review_applications(actor):
        raise PermissionDenied
    cooperative = Cooperative.objects.create(
        **data, verified=True, verified_by=actor, verified_at=timezone.now(), registered_by=actor
    )
    cooperative.crafts.set(crafts)
    workflow.record_creation(
        cooperative, actor=actor, note=gettext_noop("Registered by the chamber."), on_behalf=True
    )
    return cooperative


# --- applications ------------------------------------------------------------------------


# The cooperative's own moves: staff making one act on its behalf (assisted filing).
COOPERATIVE_MOVES = (
    ApplicationStatus.DRAFT,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.WITHDRAWN,
)


def _move(application, to, *, actor, note="") -> None:
    """An application's move, with the dates and the decision's reason it sets."""
    also = []
    now = timezone.now()
    if to == ApplicationStatus.SUBMITTED:
        application.submitted_at = now
        also.append("submitted_at")
    if to in (ApplicationStatus.APPROVED, ApplicationStatus.REJECTED):
        application.decided_at = now
        application.decision_note = note.strip()
        also += ["decided_at", "decision_note"]
    change = workflow.move(
        application,
        to,
        actor=actor,
        note=note,
        on_behalf=actor.is_chamber_staff and to in COOPERATIVE_MOVES,
        also=also,
    )
    # the outbox rows are written with the move: the staff hear of an application sent, the
    # cooperative of every move the chamber makes
    if to == ApplicationStatus.SUBMITTED:
        notifications.notify_staff_of_submission(application, change_id=change.pk)
    if actor.is_chamber_staff:
        notifications.notify_representatives_of_move(application, change=change)


def _locked(application_id: int) -> SpaceApplication:
    return SpaceApplication.objects.select_for_update().get(pk=application_id)


def _check_rules(data: dict, *, cooperative_id: int, exclude_pk: int | None = None) -> None:
    """Business rules on what is asked, each said on its field."""
    errors = {}
    starts_on = data.get("starts_on")
    if starts_on and starts_on < timezone.localdate():
        errors["starts_on"] = _("The start cannot be in the past.")
    space = data.get("space")
    if space is not None:
        if space.status not in PUBLIC_STATUSES:
            errors["space"] = _("This space is not open to applications.")
        duplicate = SpaceApplication.objects.filter(
            cooperative_id=cooperative_id, space=space, status__in=OPEN_STATUSES
        ).exclude(pk=exclude_pk)
        if duplicate.exists():
            errors["space"] = DUPLICATE
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_application(
    *, actor: User, cooperative_id: int, data: dict, consent_note: str = ""
) -> SpaceApplication:
    """A draft application of a verified cooperative, by its representative, or by staff for
    it with the representative's consent recorded (assisted filing)."""
    cooperative = Cooperative.objects.select_for_update().get(pk=cooperative_id)
    if not can_apply_for(actor, cooperative):
        raise PermissionDenied
    if actor.is_chamber_staff and not consent_note.strip():
        raise ValidationError(
            {"consent_note": _("Record who in the cooperative agreed, when and how.")}
        )
    _check_rules(data, cooperative_id=cooperative.pk)
    try:
        with transaction.atomic():
            application = SpaceApplication.objects.create(
                cooperative=cooperative, filed_by=actor, consent_note=consent_note.strip(), **data
            )
    except IntegrityError:  # two tabs racing for the same space: the constraint decides
        raise ValidationError({"space": DUPLICATE}) from None
    workflow.record_creation(
        application, actor=actor, note=consent_note, on_behalf=actor.is_chamber_staff
    )
    return application


@transaction.atomic
def update_application(application_id: int, *, actor: User, data: dict) -> SpaceApplication:
    application = _locked(application_id)
    if not can_see_application(actor, application):
        raise PermissionDenied
    if not application.is_editable:
        raise TransitionError(_("Only a draft can be changed; this application has been sent."))
    _check_rules(data, cooperative_id=application.cooperative_id, exclude_pk=application.pk)
    for name, value in data.items():
        setattr(application, name, value)
    application.save(update_fields=list(data))
    if actor.is_chamber_staff:
        # Staff changing a cooperative's answers is recorded, like every act for it.
        workflow.record_note(
            application,
            actor=actor,
            on_behalf=True,
            note=gettext_noop("Answers changed by the chamber for the cooperative."),
        )
    return application


@transaction.atomic
def submit_application(application_id: int, *, actor: User) -> SpaceApplication:
    """Send a draft to the chamber; staff are told by e-mail."""
    application = _locked(application_id)
    if not can_apply_for(actor, application.cooperative):
        raise PermissionDenied
    fields = ["starts_on", "space"]
    _check_rules(
        {name: getattr(application, name) for name in fields},
        cooperative_id=application.cooperative_id,
        exclude_pk=application.pk,
    )
    _move(application, ApplicationStatus.SUBMITTED, actor=actor)
    return application


@transaction.atomic
def withdraw_application(application_id: int, *, actor: User, note: str = "") -> SpaceApplication:
    """The cooperative (or staff for it) takes back an application before any decision."""
    application = _locked(application_id)
    if not can_see_application(actor, application):
        raise PermissionDenied
    _move(application, ApplicationStatus.WITHDRAWN, actor=actor, note=note)
    return application


def _staff_decision(application_id, to, *, actor, note) -> SpaceApplication:
    if not can_review_applications(actor):
        raise PermissionDenied
    application = _locked(application_id)
    _move(application, to, actor=actor, note=note)
    return application


@transaction.atomic
def start_review(application_id: int, *, actor: User, note: str = "") -> SpaceApplication:
    """Staff take a submitted application; the cooperative is told by e-mail."""
    return _staff_decision(application_id, ApplicationStatus.UNDER_REVIEW, actor=actor, note=note)


@transaction.atomic
def reject_application(application_id: int, *, actor: User, note: str) -> SpaceApplication:
    """Staff refuse an application under review, with a reason the cooperative reads."""
    if not can_review_applications(actor):
        raise PermissionDenied
    note = workflow.require_reason(
        note, _("Give the reason for the rejection: the cooperative will read it.")
    )
    return _staff_decision(application_id, ApplicationStatus.REJECTED, actor=actor, note=note)


@transaction.atomic
def apply_again(application_id: int, *, actor: User) -> SpaceApplication:
    """A new draft with the same answers as a rejected or withdrawn application, to change
    what the reason asks, or nothing, and send again."""
    previous = _locked(application_id)
    if previous.is_open:
        raise TransitionError(_("This application is still open: follow it instead."))
    data = {name: getattr(previous, name) for name in SpaceApplication.ANSWERS}
    if data["starts_on"] < timezone.localdate():
        data["starts_on"] = timezone.localdate()
    return create_application(
        actor=actor,
        cooperative_id=previous.cooperative_id,
        data=data,
        consent_note=previous.consent_note if actor.is_chamber_staff else "",
    )


# --- approval and the plan ---------------------------------------------------------------


@transaction.atomic
def approve_application(
    application_id: int,
    *,
    actor: User,
    space_id: int,
    starts_on,
    ends_on,
    weekdays: int,
    note: str = "",
) -> SpaceApplication:
    """Staff only. Gives a space to an application: its allocation is created and the
    application approved in one transaction, so a refusal (the space taken meanwhile, the
    application withdrawn) leaves nothing half-written. A sent application is taken for
    review first (two recorded moves)."""
    if not can_review_applications(actor):
        raise PermissionDenied
    if not note.strip():
        raise ValidationError({"note": _("Say why this space: the decision is recorded with it.")})
    application = _locked(application_id)
    if application.status == ApplicationStatus.APPROVED:
        raise TransitionError(_("This application is already approved."))
    if application.status == ApplicationStatus.SUBMITTED:
        _move(application, ApplicationStatus.UNDER_REVIEW, actor=actor)
    workflow.ensure_allowed(application, ApplicationStatus.APPROVED)
    allocation = space_services.allocate_space(
        space_id,
        actor=actor,
        starts_on=starts_on,
        ends_on=ends_on,
        weekdays=weekdays,
        purpose=AllocationPurpose.COOPERATIVE_ACTIVITY,
        holder=application.cooperative.name,
        craft=application.craft,
        activity=application.description[:300],
        note=note.strip(),
    )
    application.allocation = allocation
    application.approval_gaps = approval.gaps(
        application, allocation.space, starts_on, ends_on, weekdays
    )
    application.save(update_fields=["allocation", "approval_gaps"])
    _move(application, ApplicationStatus.APPROVED, actor=actor, note=note.strip())
    PlanDecision.objects.filter(application=application, closed_at__isnull=True).update(
        closed_at=timezone.now(),
        closed_by=actor,
        close_reason=gettext_noop("Application approved."),
    )
    return application


@transaction.atomic
def ask_renewal(application_id: int, *, actor: User, reason: str) -> SpaceApplication:
    """The cooperative asks, with a line of reason, for its agreement to go on (staff may
    ask on its behalf, recorded as such); staff are told after commit."""
    application = _locked(application_id)
    if not can_see_application(actor, application):
        raise PermissionDenied
    if not can_ask_renewal(actor, application):
        raise TransitionError(_("This agreement cannot be renewed now."))
    space_services.request_renewal(
        application.allocation_id,
        actor=actor,
        reason=reason,
        on_behalf=actor.is_chamber_staff,
    )
    return application


# --- interest in a space ---------------------------------------------------------------


@transaction.atomic
def toggle_interest(space_id: int, *, actor: User) -> bool:
    """A verified cooperative marks a space of the catalogue it would like to use, or takes
    its mark back if it had one. Returns whether it is marked now."""
    cooperative = interest_of(actor)
    if cooperative is None:
        raise PermissionDenied
    space = Space.objects.select_for_update().get(pk=space_id)
    if not space.is_public:
        raise TransitionError(_("This space is not open to applications."))
    taken_back, _count = SpaceInterest.objects.filter(space=space, cooperative=cooperative).delete()
    if not taken_back:
        SpaceInterest.objects.create(space=space, cooperative=cooperative, marked_by=actor)
    return not taken_back


# --- activity reports --------------------------------------------------------------------


def _report_rules(application, period, data: dict, *, today) -> None:
    """Business rules on a report, each said on its field (ValidationError)."""
    errors = {}
    allocation = application.allocation
    open_periods = {
        p.key: p for p in reports.periods(allocation, application.report_every, until=today)
    }
    if period is None or period.key not in open_periods:
        errors["period"] = _(
            "This period is outside the agreement, or has not begun: choose one in the list."
        )
    elif application.reports.filter(period_start=period.starts_on).exists():
        errors["period"] = _(
            "This period is reported already: the chamber corrects a report on request."
        )
    else:
        given = reports.days_given(allocation, period)
        if data["days_used"] > given:
            errors["days_used"] = ngettext(
                "The agreement gives the space on %(given)s day in this period.",
                "The agreement gives the space on %(given)s days in this period.",
                given,
            ) % {"given": given}
    cooperative = application.cooperative
    if data["women_workers"] > cooperative.women_members:
        errors["women_workers"] = _(
            "The cooperative's profile has %(count)s women members: correct the profile first "
            "if more women are members now."
        ) % {"count": cooperative.women_members}
    if data["men_workers"] > cooperative.men_members:
        errors["men_workers"] = _(
            "The cooperative's profile has %(count)s men members: correct the profile first "
            "if more men are members now."
        ) % {"count": cooperative.men_members}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def file_report(
    application_id: int, *, actor: User, period_key: str, data: dict, photo=None
) -> ActivityReport:
    """The cooperative (or staff on its behalf, recorded as such) reports on one month or
    quarter of its agreement. `photo` is a re-encoded image (spaces.uploads) or None.
    ValidationError names the field of a rule broken; nothing is saved then."""
    # Only the application's row is locked (PostgreSQL locks no row of an outer join).
    application = (
        SpaceApplication.objects.select_for_update(of=("self",))
        .select_related("allocation", "cooperative")
        .get(pk=application_id)
    )
    if not can_file_report(actor, application):
        raise PermissionDenied
    today = timezone.localdate()
    period = reports.period_from_key(period_key, application.report_every)
    _report_rules(application, period, data, today=today)
    report = ActivityReport(
        application=application,
        period_start=period.starts_on,
        period_end=period.ends_on,
        days_given=reports.days_given(application.allocation, period),
        filed_late=today > period.due_on,
        filed_by=actor,
        on_behalf=actor.is_chamber_staff,
        **data,
    )
    if photo is not None:
        report.photo.save("photo.jpg", photo, save=False)
    try:
        report.save()
    except Exception:
        if report.photo:
            report.photo.delete(save=False)
        raise
    return report


def remind_missing_reports(*, today=None) -> int:
    """Tell each cooperative of a report now due (once, when its period is over), and remind
    it of its reports past due, once for each report that falls late (the latest period
    reminded is kept). Run daily; returns how many were reminded of late reports."""
    today = today or timezone.localdate()
    for application, period in selectors.due_reports(today):
        with transaction.atomic():
            notifications.announce_report_due(application, period.key)
    reminded = []
    for application, missing in selectors.missing_reports(today):
        latest = missing[-1].period.starts_on
        if application.reminded_through and application.reminded_through >= latest:
            continue
        with transaction.atomic():
            locked = _locked(application.pk)
            if locked.reminded_through and locked.reminded_through >= latest:
                continue
            locked.reminded_through = latest
            locked.save(update_fields=["reminded_through"])
            notifications.remind_reports(locked, [row.period.key for row in missing])
            reminded.append(application.pk)
    if reminded:
        with transaction.atomic():
            notifications.tell_staff_of_missing_reports(reminded, today.isoformat())
    return len(reminded)


@transaction.atomic
def set_report_every(application_id: int, *, actor: User, every: str) -> SpaceApplication:
    """Staff only. How often an approved application reports: every month or quarter.
    The change is kept in the application's history."""
    if not can_review_applications(actor):
        raise PermissionDenied
    application = _locked(application_id)
    if every not in reports.ReportEvery.values:
        raise ValueError(every)
    if application.report_every != every and application.reports.exists():
        # Its reports cover months (or quarters): another period would count them again.
        raise TransitionError(
            _("Reports are filed already: the reporting period stays as it is for this agreement.")
        )
    if application.report_every != every:
        application.report_every = every
        application.save(update_fields=["report_every"])
        workflow.record_note(
            application,
            actor=actor,
            note=gettext_noop("Activity reports: every month.")
            if every == reports.ReportEvery.MONTH
            else gettext_noop("Activity reports: every quarter."),
        )
    return application


@transaction.atomic
def steer_plan(
    application_id: int, space_id: int, *, actor: User, kind: str, reason: str
) -> PlanDecision:
    """Staff lock a pair into the plan or exclude it, with their reason. Only a waiting
    application and a space the engine may propose can be steered; both rows are locked, so
    two staff members cannot lock one space to two applications at once."""
    if not can_review_applications(actor):
        raise PermissionDenied
    reason = workflow.require_reason(reason, PLAN_REASON)
    application = _locked(application_id)
    space = Space.objects.select_for_update().get(pk=space_id)
    if application.status not in (ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW):
        raise TransitionError(_("Only a waiting application can be steered in the plan."))
    if space.status not in PUBLIC_STATUSES:
        raise TransitionError(_("This space is not in the catalogue: the plan cannot use it."))
    open_decisions = PlanDecision.objects.filter(closed_at__isnull=True)
    if kind == PlanDecisionKind.LOCK and (
        open_decisions.filter(kind=PlanDecisionKind.LOCK)
        .filter(Q(application=application) | Q(space=space))
        .exclude(application=application, space=space)
        .exists()
    ):
        raise TransitionError(
            _("This application or this space is already locked to another: unlock it first.")
        )
    decision, _created = open_decisions.update_or_create(
        application=application,
        space=space,
        defaults={"kind": kind, "reason": reason, "actor": actor},
    )
    return decision


@transaction.atomic
def forget_plan_decision(decision_id: int, *, actor: User, reason: str) -> None:
    """Staff take a lock or an exclusion back, saying why; the decision stays on record."""
    if not can_review_applications(actor):
        raise PermissionDenied
    reason = workflow.require_reason(reason, PLAN_REASON)
    PlanDecision.objects.filter(pk=decision_id, closed_at__isnull=True).update(
        closed_at=timezone.now(), closed_by=actor, close_reason=reason
    )


# --- bulk import -------------------------------------------------------------------------


@transaction.atomic
def import_cooperatives(*, actor: User, records: list[dict]) -> dict[str, int]:
    """Create or update the cooperatives of a checked file, all or nothing. The rows are
    checked again inside the transaction: if anything changed since the dry run and a row
    would now be refused, nothing is imported."""
    if not can_review_applications(actor):
        raise PermissionDenied
    report = imports.check(records)
    if not report.clean:
        raise ValidationError(_("Some rows would be refused now; check the file again."))
    now = timezone.now()
    existing = {
        c.registration_key: c
        for c in Cooperative.objects.select_for_update().filter(
            registration_key__in=[registration_key(r.key) for r in report.rows]
        )
    }
    created, updated, recrafted = [], [], []
    for row in report.rows:
        key = registration_key(row.key)
        cooperative = existing.get(key)
        if cooperative is None:
            cooperative = Cooperative(
                **row.data,
                registration_key=key,
                verified=True,
                verified_by=actor,
                verified_at=now,
                registered_by=actor,
            )
            created.append((cooperative, row.crafts))
        else:
            # A column the file leaves out keeps what the portal already holds.
            for name, value in row.data.items():
                if name.removesuffix("_id") in row.columns:
                    setattr(cooperative, name, value)
            cooperative.save()
            updated.append(cooperative)
            if "crafts" in row.columns:
                recrafted.append((cooperative, row.crafts))
    # PostgreSQL and SQLite (3.35+) return the new keys, which the crafts links and the
    # histories need.
    Cooperative.objects.bulk_create([c for c, _crafts in created], batch_size=500)
    workflow.record_creation(
        [c for c, _crafts in created],
        actor=actor,
        note=gettext_noop("Imported from a file by the chamber."),
        on_behalf=True,  # the chamber registers them, as register_cooperative does
        at=now,
    )
    through = Cooperative.crafts.through
    through.objects.filter(cooperative__in=[c for c, _crafts in recrafted]).delete()
    through.objects.bulk_create(
        [
            through(cooperative_id=c.pk, craft_id=craft)
            for c, crafts in created + recrafted
            for craft in crafts
        ],
        batch_size=1000,
    )
    return {"created": len(created), "updated": len(updated)}


def erase_personal_data(user: User) -> None:
    """Anonymise what a representative wrote about themselves when staff erase them
    (chamber.services.erase_person, which holds the transaction and checks who acts). The
    request itself stays, as the history of who spoke for the cooperative; the cooperative's
    own contact is the cooperative's, not the person's."""
    Representative.objects.filter(user=user).update(function="")
