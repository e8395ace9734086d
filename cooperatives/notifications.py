"""E-mails about applications and representations, each in its recipient's language.

Sent after the decision is committed (services call these through transaction.on_commit), and
a failing mail server is logged, never raised: the decision stands whatever happens to mail.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from chamber.models import Role, User
from cooperatives import approval, reports
from cooperatives.models import Representative, RepresentativeStatus, SpaceApplication
from spaces.models import Allocation

logger = logging.getLogger(__name__)


def _message(recipient: User, template: str, context: dict) -> EmailMessage:
    """One message, written in the recipient's language."""
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        context = {**context, "recipient": recipient, "site_url": settings.SITE_URL}
        subject = render_to_string(f"emails/cooperatives/{template}_subject.txt", context)
        body = render_to_string(f"emails/cooperatives/{template}_body.txt", context)
    return EmailMessage(" ".join(subject.split()), body, to=[recipient.email])


def _send(template: str, messages: list[EmailMessage]) -> int:
    """Send over one connection (a slow server costs one timeout, not one per person);
    a failure is logged, never raised. Returns how many were sent."""
    if not messages:
        return 0
    try:
        return get_connection().send_messages(messages) or 0
    except Exception:  # any mail failure: logged for the staff, the decision is kept
        logger.exception("Could not send %s to %d recipients", template, len(messages))
        return 0


def _in_language(recipient: User, words, *args):
    """What `words(*args)` says, in the recipient's language."""
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        return words(*args)


def _link(name: str, language: str, **kwargs) -> str:
    with translation.override(language):
        return settings.SITE_URL.rstrip("/") + reverse(name, kwargs=kwargs or None)


def notify_staff_of_submission(application_id: int) -> int:
    """Tell every active staff member that an application waits for them."""
    application = SpaceApplication.objects.select_related("cooperative", "craft").get(
        pk=application_id
    )
    staff = User.objects.filter(role=Role.STAFF, is_active=True).exclude(email="")
    messages = [
        _message(
            member,
            "submitted",
            {
                "application": application,
                "link": _link("cooperatives:application", member.language, pk=application.pk),
            },
        )
        for member in staff
    ]
    return _send("submitted", messages)


def notify_representatives_of_decision(application_id: int) -> int:
    """Tell the cooperative's verified representatives where their application stands."""
    application = SpaceApplication.objects.select_related(
        "cooperative", "craft", "allocation__space__commune__province"
    ).get(pk=application_id)
    representatives = _verified_representatives(application.cooperative_id)
    messages = [
        _message(
            representative.user,
            "decision",
            {
                "application": application,
                # what an approval gave: the space, its days and period, the agreement, and
                # what it gives less than asked, in the recipient's words
                "allocation": application.allocation,
                "gaps": _in_language(
                    representative.user, approval.described, application.approval_gaps
                ),
                "link": _link(
                    "cooperatives:application", representative.user.language, pk=application.pk
                ),
                "agreement_link": _link(
                    "cooperatives:agreement", representative.user.language, pk=application.pk
                ),
            },
        )
        for representative in representatives
    ]
    return _send("decision", messages)


def notify_representative_of_verification(representative_id: int) -> int:
    representative = Representative.objects.select_related("user", "cooperative").get(
        pk=representative_id
    )
    user = representative.user
    if not user.email:
        return 0
    link = _link("cooperatives:mine", user.language)
    context = {
        "representative": representative,
        "verified": representative.status == RepresentativeStatus.VERIFIED,
        # a refused request may have joined a cooperative the directory does not publish
        "shows_cooperative": representative.shows_cooperative(),
        "link": link,
    }
    message = _message(user, "representation", context)
    return _send("representation", [message])


# Who hears of each event of an agreement (spaces.notices): its cooperative, the staff, or both.
AGREEMENT_AUDIENCE = {
    "ending": {"cooperative", "staff"},
    "renewal_requested": {"staff"},
    "renewed": {"cooperative"},
    "active": {"cooperative"},  # a renewal refused
    "ended": {"cooperative"},
    "terminated": {"cooperative"},
}


def notify_agreement(allocation_id: int, event: str) -> int:
    """Tell those an agreement's event concerns (spaces.notices calls it after commit): the
    representatives of the cooperative that holds it, in their language, and the staff for an
    ending or a renewal request (for a cohort's or an action's agreement, the staff only)."""
    audience = AGREEMENT_AUDIENCE.get(event, set())
    allocation = Allocation.objects.select_related("space__commune").get(pk=allocation_id)
    application = SpaceApplication.objects.filter(allocation_id=allocation_id).first()
    last = allocation.history.order_by("-at", "-pk").first()
    note = last.note if last and event != "ending" else ""
    messages = []
    if "cooperative" in audience and application is not None:
        for representative in _verified_representatives(application.cooperative_id):
            user = representative.user
            link = _link("cooperatives:application", user.language, pk=application.pk)
            context = {"allocation": allocation, "event": event, "note": note, "link": link}
            messages.append(_message(user, "agreement", context))
    if "staff" in audience:
        for member in User.objects.filter(role=Role.STAFF, is_active=True).exclude(email=""):
            link = _link("spaces:occupancy", member.language, pk=allocation.space_id)
            context = {
                "allocation": allocation,
                "event": event,
                "note": note,
                "link": link,
                "to_staff": True,
            }
            messages.append(_message(member, "agreement", context))
    return _send("agreement", messages)


def _verified_representatives(cooperative_id: int):
    return (
        Representative.objects.filter(
            cooperative_id=cooperative_id, status=RepresentativeStatus.VERIFIED
        )
        .exclude(user__email="")
        .select_related("user")
    )


def remind_reports(application_id: int, period_keys: list[str]) -> int:
    """Remind the cooperative's representatives of its reports past due, in their language."""
    application = SpaceApplication.objects.select_related("allocation__space").get(
        pk=application_id
    )
    messages = []
    for representative in _verified_representatives(application.cooperative_id):
        user = representative.user
        periods = _in_language(
            user,
            lambda: [
                reports.period_label(reports.period_from_key(key, application.report_every))
                for key in period_keys
            ],
        )
        context = {
            "application": application,
            "periods": periods,
            "link": _link("cooperatives:report", user.language, pk=application.pk),
        }
        messages.append(_message(user, "reports_late", context))
    return _send("reports_late", messages)
