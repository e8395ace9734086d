"""What young people are told of their enrolments: rows of the outbox (chamber.outbox) written
with the move, in their language when shown or sent. Words are in
emails/programs/<kind>_{subject,body,sms}.txt."""

from datetime import timedelta

from django.urls import reverse

from chamber import outbox
from programs.models import Enrolment, EnrolmentStatus

# When the outcome of a training is asked: six months after its end (DESIGN.md §3).
OUTCOME_AFTER = timedelta(days=182)


def _enrolment(params: dict) -> dict:
    enrolment = Enrolment.objects.select_related("cohort__craft", "apprentice__user").get(
        pk=params["enrolment"]
    )
    status = EnrolmentStatus(params["status"])
    certificate = ""
    if status == EnrolmentStatus.COMPLETED and enrolment.has_certificate:
        certificate = outbox.site_link(reverse("programs:certificate", kwargs={"pk": enrolment.pk}))
    return {
        "enrolment": enrolment,
        "cohort": enrolment.cohort,
        "status": status,
        "status_label": status.label,
        "note": params.get("note", ""),
        "certificate_link": certificate,
    }


def notify_apprentice_of_move(enrolment: Enrolment, *, change) -> None:
    """Tell the young person where their enrolment stands: accepted, refused (with the
    reason), training started, completed (with the certificate), or stopped."""
    outbox.notify(
        enrolment.apprentice.user,
        "programs/enrolment",
        key=f"enrolment-{enrolment.pk}-{change.pk}",
        params={"enrolment": enrolment.pk, "status": change.to_status, "note": change.note},
        link=("programs:enrolment", {"pk": enrolment.pk}),
    )


def _outcome_asked(params: dict) -> dict:
    enrolment = Enrolment.objects.select_related("cohort__craft").get(pk=params["enrolment"])
    return {"enrolment": enrolment, "cohort": enrolment.cohort}


def ask_outcome(enrolment: Enrolment) -> None:
    outbox.notify(
        enrolment.apprentice.user,
        "programs/outcome_asked",
        key=f"enrolment-{enrolment.pk}-outcome-asked",
        params={"enrolment": enrolment.pk},
        link=("programs:enrolment", {"pk": enrolment.pk}),
    )


outbox.register("programs/enrolment", _enrolment)
outbox.register("programs/outcome_asked", _outcome_asked)
