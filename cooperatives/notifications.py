"""E-mails about applications and representations, each in its recipient's language.

Sent after the decision is committed (services call these through transaction.on_commit), and
a failing mail server is logged, never raised: the decision stands whatever happens to mail.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from chamber.models import Role, User
from cooperatives.models import Representative, RepresentativeStatus, SpaceApplication

logger = logging.getLogger(__name__)


def _send(recipient: User, template: str, context: dict) -> bool:
    """Render and send one message in the recipient's language; False if it failed."""
    if not recipient.email:
        return False
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        context = {**context, "recipient": recipient, "site_url": settings.SITE_URL}
        subject = render_to_string(f"emails/cooperatives/{template}_subject.txt", context)
        body = render_to_string(f"emails/cooperatives/{template}_body.txt", context)
    try:
        send_mail(" ".join(subject.split()), body, None, [recipient.email])
    except Exception:  # any mail failure: logged for the staff, the decision is kept
        logger.exception("Could not send %s to user %s", template, recipient.pk)
        return False
    return True


def _link(name: str, pk: int, language: str) -> str:
    with translation.override(language):
        return settings.SITE_URL.rstrip("/") + reverse(name, kwargs={"pk": pk})


def notify_staff_of_submission(application_id: int) -> int:
    """Tell every active staff member that an application waits for them."""
    application = SpaceApplication.objects.select_related("cooperative", "craft").get(
        pk=application_id
    )
    staff = User.objects.filter(role=Role.STAFF, is_active=True).exclude(email="")
    sent = 0
    for member in staff:
        link = _link("cooperatives:application", application.pk, member.language)
        sent += _send(member, "submitted", {"application": application, "link": link})
    return sent


def notify_representatives_of_decision(application_id: int) -> int:
    """Tell the cooperative's verified representatives where their application stands."""
    application = SpaceApplication.objects.select_related("cooperative", "craft").get(
        pk=application_id
    )
    representatives = Representative.objects.filter(
        cooperative_id=application.cooperative_id, status=RepresentativeStatus.VERIFIED
    ).select_related("user")
    sent = 0
    for representative in representatives:
        user = representative.user
        link = _link("cooperatives:application", application.pk, user.language)
        sent += _send(user, "decision", {"application": application, "link": link})
    return sent


def notify_representative_of_verification(representative_id: int) -> int:
    representative = Representative.objects.select_related("user", "cooperative").get(
        pk=representative_id
    )
    return int(_send(representative.user, "representation", {"representative": representative}))
