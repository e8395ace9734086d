"""What cooperatives and the staff are told of applications, representations, agreements and
reports: rows of the outbox (chamber.outbox), written in the decision's transaction by the
services and sent after commit by the task worker, each in its recipient's language.

Each kind's params keep what the event was (the status it reached, the history row, the
periods missing); its context below loads again the objects they name when the notification is
shown or sent, and its words are in emails/cooperatives/<kind>_{subject,body,sms}.txt.
"""

import hashlib

from django.urls import reverse

from chamber import outbox
from chamber.models import Role, User
from cooperatives import approval, reports
from cooperatives.models import (
    ApplicationStatus,
    Representative,
    RepresentativeStatus,
    SpaceApplication,
)
from spaces.models import Allocation, AllocationStatus


def _staff():
    return User.objects.filter(role=Role.STAFF, is_active=True)


def _verified_representatives(cooperative_id: int):
    return Representative.objects.filter(
        cooperative_id=cooperative_id, status=RepresentativeStatus.VERIFIED, user__is_active=True
    ).select_related("user")


# --- an application sent: the staff -----------------------------------------------------------


def _submitted(params: dict) -> dict:
    application = SpaceApplication.objects.select_related("cooperative", "craft").get(
        pk=params["application"]
    )
    return {"application": application}


def notify_staff_of_submission(application: SpaceApplication, *, change_id: int) -> None:
    """Tell every active staff member that an application waits for them."""
    for member in _staff():
        outbox.notify(
            member,
            "cooperatives/submitted",
            key=f"application-{application.pk}-{change_id}-to-{member.pk}",
            params={"application": application.pk},
            link=("cooperatives:application", {"pk": application.pk}),
        )


# --- an application moved by the chamber: its cooperative --------------------------------------


def _decision(params: dict) -> dict:
    application = SpaceApplication.objects.select_related(
        "cooperative", "craft", "allocation__space__commune__province"
    ).get(pk=params["application"])
    status = ApplicationStatus(params["status"])
    approved = status == ApplicationStatus.APPROVED
    allocation = application.allocation if approved else None
    return {
        "application": application,
        "status": status,
        "status_label": status.label,
        "note": params.get("note", ""),
        # what an approval gave: the space, its days and period, the agreement, and what it
        # gives less than asked, in the reader's words
        "allocation": allocation,
        "gaps": approval.described(application.approval_gaps) if approved else [],
        "agreement_link": outbox.site_link(
            reverse("cooperatives:agreement", kwargs={"pk": application.pk})
        ),
    }


def notify_representatives_of_move(application: SpaceApplication, *, change) -> None:
    """Tell the cooperative's verified representatives where their application stands now
    (a move the chamber made: review, approval, refusal, or one made on their behalf)."""
    for representative in _verified_representatives(application.cooperative_id):
        outbox.notify(
            representative.user,
            "cooperatives/decision",
            key=f"application-{application.pk}-{change.pk}-to-{representative.user_id}",
            params={
                "application": application.pk,
                "status": change.to_status,
                "note": change.note if change.to_status != ApplicationStatus.APPROVED else "",
            },
            link=("cooperatives:application", {"pk": application.pk}),
        )


# --- a representation decided: the person -----------------------------------------------------


def _representation(params: dict) -> dict:
    representative = Representative.objects.select_related("user", "cooperative").get(
        pk=params["representative"]
    )
    return {
        "representative": representative,
        "verified": params["status"] == RepresentativeStatus.VERIFIED,
        # a refused request may have joined a cooperative the directory does not publish
        "shows_cooperative": representative.shows_cooperative(),
        "note": params.get("note", ""),
    }


def notify_representative_of_verification(representative: Representative, *, change) -> None:
    outbox.notify(
        representative.user,
        "cooperatives/representation",
        key=f"representative-{representative.pk}-{change.pk}",
        params={
            "representative": representative.pk,
            "status": change.to_status,
            "note": representative.decision_note,
        },
        link=("cooperatives:mine", {}),
    )


# --- an agreement's life (spaces.notices): its cooperative and the staff ------------------------

# Who hears of each event of an agreement: its cooperative, the staff, or both.
AGREEMENT_AUDIENCE = {
    "ending": {"cooperative", "staff"},
    "renewal_requested": {"staff"},
    "renewed": {"cooperative"},
    "active": {"cooperative"},  # a renewal refused
    "ended": {"cooperative"},
    "terminated": {"cooperative"},
}


def _agreement(params: dict) -> dict:
    allocation = Allocation.objects.select_related("space__commune").get(pk=params["allocation"])
    event = params["event"]
    status = AllocationStatus(event) if event in AllocationStatus.values else None
    return {
        "allocation": allocation,
        "event": event,
        "status_label": status.label if status else "",
        "note": params.get("note", ""),
        "to_staff": params.get("to_staff", False),
        "ends_on": params.get("ends_on", ""),
    }


def notify_agreement(allocation_id: int, event: str) -> None:
    """Tell those an agreement's event concerns (spaces.notices calls it in the move's
    transaction): the representatives of the cooperative that holds it, and the staff for an
    ending or a renewal request (for a cohort's or an action's agreement, the staff only)."""
    audience = AGREEMENT_AUDIENCE.get(event, set())
    allocation = Allocation.objects.get(pk=allocation_id)
    application = SpaceApplication.objects.filter(allocation_id=allocation_id).first()
    last = allocation.history.order_by("-at", "-pk").first()
    note = last.note if last and event != "ending" else ""
    # the same event of the same agreement is told once: an ending once per end date
    moment = allocation.ends_on.isoformat() if event == "ending" else (last.pk if last else 0)
    params = {"allocation": allocation_id, "event": event, "note": note}
    if "cooperative" in audience and application is not None:
        for representative in _verified_representatives(application.cooperative_id):
            outbox.notify(
                representative.user,
                "cooperatives/agreement",
                key=f"agreement-{allocation_id}-{event}-{moment}-to-{representative.user_id}",
                params=params,
                link=("cooperatives:application", {"pk": application.pk}),
            )
    if "staff" in audience:
        for member in _staff():
            outbox.notify(
                member,
                "cooperatives/agreement",
                key=f"agreement-{allocation_id}-{event}-{moment}-to-{member.pk}",
                params={**params, "to_staff": True},
                link=("spaces:occupancy", {"pk": allocation.space_id}),
            )


# --- reports past due: the cooperative, and the staff once a day -------------------------------


def _reports_late(params: dict) -> dict:
    application = SpaceApplication.objects.select_related("cooperative", "allocation__space").get(
        pk=params["application"]
    )
    return {
        "application": application,
        "periods": [
            reports.period_label(reports.period_from_key(key, application.report_every))
            for key in params["periods"]
        ],
    }


def remind_reports(application: SpaceApplication, period_keys: list[str]) -> None:
    """Remind the cooperative's representatives of its reports past due."""
    for representative in _verified_representatives(application.cooperative_id):
        outbox.notify(
            representative.user,
            "cooperatives/reports_late",
            key=f"reports-{application.pk}-{period_keys[-1]}-to-{representative.user_id}",
            params={"application": application.pk, "periods": period_keys},
            link=("cooperatives:report", {"pk": application.pk}),
        )


def _report_due(params: dict) -> dict:
    application = SpaceApplication.objects.select_related("allocation__space").get(
        pk=params["application"]
    )
    period = reports.period_from_key(params["period"], application.report_every)
    return {
        "application": application,
        "period": reports.period_label(period),
        "due_on": period.due_on,
    }


def announce_report_due(application: SpaceApplication, period_key: str) -> None:
    """Tell the cooperative's representatives that a period is over and its report due."""
    for representative in _verified_representatives(application.cooperative_id):
        outbox.notify(
            representative.user,
            "cooperatives/report_due",
            key=f"report-due-{application.pk}-{period_key}-to-{representative.user_id}",
            params={"application": application.pk, "period": period_key},
            link=("cooperatives:report", {"pk": application.pk}),
        )


def _reports_missing(params: dict) -> dict:
    return {"count": params["count"], "day": params["day"]}


def tell_staff_of_missing_reports(application_ids: list[int], day: str) -> None:
    """Tell the staff how many cooperatives were reminded of late reports (once per run: a
    second run the same day that reminds others is told too)."""
    run = hashlib.sha256(",".join(map(str, sorted(application_ids))).encode()).hexdigest()[:16]
    for member in _staff():
        outbox.notify(
            member,
            "cooperatives/reports_missing",
            key=f"reports-missing-{day}-{run}-to-{member.pk}",
            params={"count": len(application_ids), "day": day},
            link=("cooperatives:missing-reports", {}),
        )


for kind, context in {
    "cooperatives/submitted": _submitted,
    "cooperatives/decision": _decision,
    "cooperatives/representation": _representation,
    "cooperatives/agreement": _agreement,
    "cooperatives/reports_late": _reports_late,
    "cooperatives/report_due": _report_due,
    "cooperatives/reports_missing": _reports_missing,
}.items():
    outbox.register(kind, context)
