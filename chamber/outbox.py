"""The notification outbox (DESIGN.md §4): what the portal tells people, durable and sent once.

A service that decides something calls `notify(recipient, kind, ...)` inside its transaction:
one Notification row (the person's in-portal list) and one Delivery per channel the person
chose (User.channels) are written with the decision, or not at all. Once it is committed, each
delivery is handed to the task worker (chamber.tasks.deliver, Celery); with no broker the web
process sends it itself, after the response's transaction. A delivery is claimed, sent and
marked sent; a failure waits longer each time (1, 2, 4… minutes) before the next try and, after
OUTBOX_MAX_ATTEMPTS, is marked failed with its reason for the staff to resend. A worker that
dies mid-send leaves its claim to expire, and the sweep (`send_due`, every minute under beat)
sends it again: at least once, and never again once marked sent. The sweep also sends the
retries once their wait is over.

Words are made when shown or sent, in the reader's language: `kind` ("cooperatives/decision")
names the templates `emails/<kind>_subject.txt`, `_body.txt` and `_sms.txt`, and the app that
owns the kind registers (`register`) a function that turns the stored `params` into their
context (the objects they name, loaded again).
"""

import logging
import time
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import TemplateDoesNotExist, render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from chamber import sms
from chamber.models import Channel, Delivery, DeliveryState, Notification, User

logger = logging.getLogger(__name__)

# How long a claimed delivery is a worker's before another may take it.
LEASE = timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)

_contexts: dict[str, Callable[[dict], dict]] = {}


def register(kind: str, context: Callable[[dict], dict] | None = None) -> None:
    """Declare a kind of notification, with the function that makes its templates' context
    from its params (run in the reader's language). Done by each app when it starts."""
    _contexts[kind] = context or (lambda params: {})


def kinds() -> list[str]:
    return sorted(_contexts)


def notify(
    recipient: User,
    kind: str,
    *,
    key: str,
    params: dict | None = None,
    link: tuple[str, dict] | None = None,
) -> Notification | None:
    """Tell `recipient` of something, in the caller's transaction. `key` makes it once only:
    the same key again changes nothing (a repeated reminder, a retried request). `link`: the
    URL name and arguments of the page it is about. An inactive account is told nothing."""
    if kind not in _contexts:
        raise ValueError(f"unknown notification kind {kind!r}")
    if not recipient.is_active:
        return None
    params = dict(params or {})
    if link is not None:
        params["link"] = {"name": link[0], "kwargs": link[1]}
    notification, created = Notification.objects.get_or_create(
        key=key[:200], defaults={"recipient": recipient, "kind": kind, "params": params}
    )
    if not created:
        return notification
    deliveries = [
        Delivery(notification=notification, channel=channel) for channel in recipient.channels()
    ]
    Delivery.objects.bulk_create(deliveries)
    ids = list(Delivery.objects.filter(notification=notification).values_list("pk", flat=True))
    transaction.on_commit(lambda: enqueue(ids))
    return notification


# After the broker failed to answer, it is not asked again for a while: a decision that tells
# twenty people must not wait twenty times for it.
BROKER_PAUSE = 30.0
_broker_down_until = 0.0


def enqueue(delivery_ids: list[int]) -> None:
    """Hand deliveries to the worker. A broker that does not answer loses nothing: the rows
    wait, and the sweep sends them once it is back."""
    global _broker_down_until
    from chamber import tasks  # tasks import this module

    if time.monotonic() < _broker_down_until:
        return
    for pk in delivery_ids:
        try:
            tasks.deliver.delay(pk)
        except Exception:  # the broker is down: the outbox keeps the delivery
            logger.warning("Could not queue delivery %s: the sweep will send it", pk)
            _broker_down_until = time.monotonic() + BROKER_PAUSE
            return


# --- words ----------------------------------------------------------------------------------


def path_of(notification: Notification, language: str) -> str:
    """The path of the page a notification is about, in `language`."""
    target = notification.params.get("link")
    if not target:
        return "/"
    with translation.override(language):
        try:
            return reverse(target["name"], kwargs=target.get("kwargs") or None)
        except NoReverseMatch:  # a page that no longer exists: the site's home
            return "/"


def link_of(notification: Notification, language: str) -> str:
    """The absolute address of the page a notification is about, in `language`."""
    return site_link(path_of(notification, language))


def site_link(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def short_link(notification: Notification) -> str:
    """A short address that opens the notification's page (for an SMS, where every
    character counts): /n/<number>, outside the language prefix."""
    return f"{settings.SITE_URL.rstrip('/')}/n/{notification.pk}"


def words(
    notification: Notification, *, language: str | None = None, parts=("subject", "body", "sms")
) -> dict[str, str]:
    """The notification's subject, body and SMS text (or only the `parts` asked) in
    `language` (by default its recipient's). An object it names that is gone leaves a plain
    subject."""
    recipient = notification.recipient
    language = language or recipient.language or settings.LANGUAGE_CODE
    with translation.override(language):
        try:
            context = _contexts[notification.kind](notification.params)
        except Exception:  # the object is gone, or the kind unknown
            logger.warning("Notification %s: its context could not be made", notification.pk)
            context = None
        base = {
            **notification.params,
            "recipient": recipient,
            "site_url": settings.SITE_URL,
            "link": link_of(notification, language),
        }
        if context is None:
            subject = translation.gettext("A message from the chamber")
            return {"subject": subject, "body": f"{subject}\n\n{base['link']}\n", "sms": subject}
        base.update(context)
        prefix = f"emails/{notification.kind}"
        said = {"subject": " ".join(render_to_string(f"{prefix}_subject.txt", base).split())}
        if "body" in parts:
            said["body"] = render_to_string(f"{prefix}_body.txt", base)
        if "sms" in parts:
            try:
                said["sms"] = " ".join(render_to_string(f"{prefix}_sms.txt", base).split())
            except TemplateDoesNotExist:
                said["sms"] = said["subject"]
    return said


def sms_text(notification: Notification) -> str:
    return sms.plain(f"{words(notification)['sms']} {short_link(notification)}")


# --- sending --------------------------------------------------------------------------------


def _claim(delivery_id: int) -> bool:
    """Take a delivery that is due (waiting, or claimed by a worker whose claim expired):
    one UPDATE, so two workers never both take it."""
    now = timezone.now()
    claimed = Delivery.objects.filter(
        pk=delivery_id,
        state__in=[DeliveryState.PENDING, DeliveryState.SENDING],
        next_attempt_at__lte=now,
    ).update(state=DeliveryState.SENDING, next_attempt_at=now + LEASE, attempts=F("attempts") + 1)
    return bool(claimed)


def _send(delivery: Delivery) -> None:
    notification = delivery.notification
    recipient = notification.recipient
    if delivery.channel == Channel.EMAIL:
        if not recipient.email:
            raise ValueError("the account has no e-mail address any more")
        said = words(notification)
        message = EmailMessage(said["subject"], said["body"], to=[recipient.email])
        domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
        # the same for every try: a mail system that saw it already may drop the repeat
        message.extra_headers["Message-ID"] = f"<{delivery.key}@{domain}>"
        message.send()
    else:
        if not (recipient.phone and recipient.phone_verified):
            raise ValueError("the account has no confirmed phone any more")
        sms.send_sms(recipient.phone.as_e164, sms_text(notification), reference=delivery.key)


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failure: the first retry wait, doubled each time,
    at most six hours."""
    seconds = settings.OUTBOX_FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, 6 * 3600))


def deliver(delivery_id: int) -> str:
    """Send one delivery if it is due: "sent", "retry" (failed, tried again later),
    "failed" (given up, for the staff), or "skipped" (not due, or already sent)."""
    if not _claim(delivery_id):
        return "skipped"
    delivery = Delivery.objects.select_related("notification__recipient").get(pk=delivery_id)
    try:
        _send(delivery)
    except Exception as error:  # mail server down, gateway refusing: said, then retried
        reason = f"{type(error).__name__}: {error}"[:1000]
        logger.warning("Delivery %s failed (try %s): %s", delivery.key, delivery.attempts, reason)
        given_up = delivery.attempts >= settings.OUTBOX_MAX_ATTEMPTS
        Delivery.objects.filter(pk=delivery_id, state=DeliveryState.SENDING).update(
            state=DeliveryState.FAILED if given_up else DeliveryState.PENDING,
            next_attempt_at=timezone.now() + backoff(delivery.attempts),
            last_error=reason,
        )
        return "failed" if given_up else "retry"
    Delivery.objects.filter(pk=delivery_id).update(
        state=DeliveryState.SENT, sent_at=timezone.now(), last_error=""
    )
    return "sent"


def due() -> list[int]:
    """The deliveries to send now: waiting and due, or claimed by a worker long gone."""
    return list(
        Delivery.objects.filter(
            Q(state=DeliveryState.PENDING) | Q(state=DeliveryState.SENDING),
            next_attempt_at__lte=timezone.now(),
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:1000]
    )


def resend(delivery_ids, *, actor: User) -> int:
    """Staff only (the admin's action checks it): try failed deliveries again, now, from
    their first wait. Returns how many."""
    if not actor.is_chamber_staff:
        raise PermissionDenied
    ids = list(
        Delivery.objects.filter(pk__in=delivery_ids, state=DeliveryState.FAILED).values_list(
            "pk", flat=True
        )
    )
    Delivery.objects.filter(pk__in=ids).update(
        state=DeliveryState.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
    transaction.on_commit(lambda: enqueue(ids))
    return len(ids)


# --- the person's list ----------------------------------------------------------------------


def mark_read(notification: Notification) -> None:
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )


def mark_all_read(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
