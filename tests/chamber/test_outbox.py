"""The outbox (chamber.outbox): a notification is written with the decision, sent after
commit on each channel the person chose, retried with backoff, marked sent once or failed with
its reason, and resent by staff."""

import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from chamber import outbox, sms, tasks
from chamber.models import Delivery, DeliveryState, Notification
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.on_day("2026-12-01")]


class FailingFirst:
    """A mail backend that fails its first `failures` sends (a mail server down)."""

    failures = 0
    calls = 0

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        type(self).calls += 1
        if type(self).calls <= type(self).failures:
            raise ConnectionRefusedError("mail server down")
        mail.outbox.extend(messages)
        return len(messages)


@pytest.fixture
def failing_mail(settings):
    settings.EMAIL_BACKEND = "tests.chamber.test_outbox.FailingFirst"
    FailingFirst.calls = 0
    FailingFirst.failures = 2
    return FailingFirst


def _tell(person, key="k1"):
    return outbox.notify(
        person,
        "programs/outcome_asked",
        key=key,
        params={"enrolment": 0},
        link=("portal:account", {}),
    )


def test_a_notification_is_written_in_the_decision_s_transaction_or_not_at_all():
    person = factories.ApprenticeFactory(email="salma@example.org")
    with pytest.raises(RuntimeError), transaction.atomic():
        _tell(person)
        raise RuntimeError("the decision fails")
    assert not Notification.objects.exists()
    assert not Delivery.objects.exists()


def test_it_is_sent_after_commit_once_and_marked_sent(django_capture_on_commit_callbacks):
    person = factories.ApprenticeFactory(email="salma@example.org")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification = _tell(person)
    assert mail.outbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    [message] = mail.outbox
    [delivery] = notification.deliveries.all()
    assert delivery.state == DeliveryState.SENT and delivery.attempts == 1
    assert message.extra_headers["Message-ID"].startswith(f"<n{notification.pk}-email@")
    assert outbox.deliver(delivery.pk) == "skipped"  # a sent delivery is never sent again
    assert len(mail.outbox) == 1


def test_the_same_key_twice_tells_once(django_capture_on_commit_callbacks):
    person = factories.ApprenticeFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = _tell(person)
        again = _tell(person)
    assert first.pk == again.pk
    assert Notification.objects.count() == 1 and len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("email", "phone", "verified", "notify_by", "channels"),
    [
        ("a@example.org", "", False, "", ["email"]),
        ("", "+212612345678", True, "", ["sms"]),  # SMS by default without e-mail
        ("a@example.org", "+212612345678", True, "both", ["email", "sms"]),
        ("a@example.org", "+212612345678", True, "sms", ["sms"]),
        (
            "a@example.org",
            "+212612345678",
            False,
            "sms",
            ["email"],
        ),  # never to a number unconfirmed
        ("", "+212612345678", False, "", []),  # only the in-portal list
    ],
)
def test_each_person_is_told_on_the_channels_they_chose_and_have(
    email, phone, verified, notify_by, channels
):
    person = factories.ApprenticeFactory(
        email=email, phone=phone, phone_verified=verified, notify_by=notify_by
    )
    notification = _tell(person)
    assert sorted(d.channel for d in notification.deliveries.all()) == channels


def test_a_failing_mail_server_is_retried_with_backoff_then_sent_once(failing_mail):
    person = factories.ApprenticeFactory(email="salma@example.org")
    delivery = Delivery.objects.get(notification=_tell(person))
    assert outbox.deliver(delivery.pk) == "retry"
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PENDING and delivery.attempts == 1
    assert "mail server down" in delivery.last_error
    wait = delivery.next_attempt_at - timezone.now()
    assert timedelta(seconds=50) < wait <= timedelta(seconds=60)
    assert outbox.deliver(delivery.pk) == "skipped"  # not due yet
    with time_machine.travel(timezone.now() + timedelta(minutes=1, seconds=1)):
        assert outbox.due() == [delivery.pk]
        assert outbox.deliver(delivery.pk) == "retry"
    delivery.refresh_from_db()
    assert delivery.next_attempt_at - timezone.now() > timedelta(minutes=1, seconds=50)  # doubled
    with time_machine.travel(timezone.now() + timedelta(minutes=4)):
        assert outbox.deliver(delivery.pk) == "sent"
        assert outbox.due() == []
    assert len(mail.outbox) == 1


def test_a_message_that_keeps_failing_is_marked_failed_and_staff_resend_it(failing_mail, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    failing_mail.failures = 2
    person = factories.ApprenticeFactory(email="salma@example.org")
    delivery = Delivery.objects.get(notification=_tell(person))
    assert outbox.deliver(delivery.pk) == "retry"
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert outbox.deliver(delivery.pk) == "failed"
        assert outbox.due() == []  # given up: waits for the staff
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED
    with pytest.raises(PermissionDenied):
        outbox.resend([delivery.pk], actor=person)
    assert outbox.resend([delivery.pk], actor=factories.StaffFactory()) == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.PENDING, 0)
    assert outbox.deliver(delivery.pk) == "sent"
    assert len(mail.outbox) == 1


def test_staff_resend_failed_messages_from_the_administration(client):
    staff = factories.StaffFactory()
    delivery = factories.DeliveryFactory(state=DeliveryState.FAILED, last_error="refused")
    client.force_login(staff)
    page = client.get("/fr/admin/chamber/delivery/?state__exact=failed")
    assert page.status_code == 200 and "refused" in page.content.decode()
    response = client.post(
        "/fr/admin/chamber/delivery/",
        {"action": "resend", "_selected_action": [delivery.pk]},
    )
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.state != DeliveryState.FAILED


def test_a_claim_left_by_a_dead_worker_is_taken_again_once_it_expires():
    person = factories.ApprenticeFactory(email="salma@example.org")
    delivery = Delivery.objects.get(notification=_tell(person))
    assert outbox._claim(delivery.pk)  # a worker took it, then died before sending
    assert outbox.deliver(delivery.pk) == "skipped"  # another may not take it yet
    assert outbox.due() == []
    with time_machine.travel(timezone.now() + outbox.LEASE + timedelta(seconds=1)):
        assert outbox.due() == [delivery.pk]
        assert outbox.deliver(delivery.pk) == "sent"
    assert len(mail.outbox) == 1


def test_a_broker_that_does_not_answer_loses_nothing(
    monkeypatch, django_capture_on_commit_callbacks
):
    def down(*args, **kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr(tasks.deliver, "delay", down)
    person = factories.ApprenticeFactory(email="salma@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        notification = _tell(person)
    [delivery] = notification.deliveries.all()
    assert delivery.state == DeliveryState.PENDING  # waits for the sweep
    assert tasks.send_due() == 1
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT


def test_words_are_made_in_the_recipient_s_language():
    cohort = factories.CohortFactory()
    young = factories.ApprenticeFactory(language="fr")
    young_ar = factories.ApprenticeFactory(language="ar")
    enrolment = factories.EnrolmentFactory(cohort=cohort, apprentice__user=young)
    for person in (young, young_ar):
        outbox.notify(
            person,
            "programs/outcome_asked",
            key=f"ask-{person.pk}",
            params={"enrolment": enrolment.pk},
            link=("programs:enrolment", {"pk": enrolment.pk}),
        )
    french, arabic = (
        outbox.words(Notification.objects.get(recipient=p)) for p in (young, young_ar)
    )
    assert "Six mois" in french["subject"]
    assert "/fr/programmes/" in french["body"]
    assert "ستة أشهر" in arabic["subject"]
    assert "/ar/programmes/" in arabic["body"]


def test_a_notification_whose_object_is_gone_still_reads():
    notification = factories.NotificationFactory(params={"enrolment": 999999})
    said = outbox.words(notification)
    assert said["subject"] and said["body"]


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("é" * 160, 1),  # é is in the GSM alphabet
        ("€" * 80, 1),  # counts two
        ("€" * 81, 2),
        ("ب" * 70, 1),  # Arabic is UCS-2
        ("ب" * 71, 2),
        ("ب" * 134, 2),
        ("ب" * 135, 3),
    ],
)
def test_sms_segments_are_counted_as_phones_count_them(text, count):
    assert sms.segments(text) == count


def test_an_arabic_sms_with_its_short_link_fits_one_segment(settings):
    settings.SITE_URL = "https://bawaba.ma"
    cohort = factories.CohortFactory()
    young = factories.ApprenticeFactory(language="ar", phone="+212612345678", phone_verified=True)
    enrolment = factories.EnrolmentFactory(cohort=cohort, apprentice__user=young)
    for status in ("accepted", "refused", "in_training", "completed"):
        notification = outbox.notify(
            young,
            "programs/enrolment",
            key=f"e-{status}",
            params={"enrolment": enrolment.pk, "status": status, "note": ""},
            link=("programs:enrolment", {"pk": enrolment.pk}),
        )
        text = outbox.sms_text(notification)
        assert text.endswith(f"https://bawaba.ma/n/{notification.pk}")
        assert not sms.is_gsm(text)
        assert sms.segments(text) == 1, text


class Gateway(BaseHTTPRequestHandler):
    received: list = []
    answer = 200

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        Gateway.received.append(
            (parse_qs(self.rfile.read(length).decode()), self.headers.get("Authorization"))
        )
        self.send_response(Gateway.answer)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway(settings):
    server = HTTPServer(("127.0.0.1", 0), Gateway)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Gateway.received, Gateway.answer = [], 200
    settings.SMS_BACKEND = "chamber.sms.HttpBackend"
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_port}/send"
    settings.SMS_GATEWAY_TOKEN = "secret-token"
    settings.SMS_GATEWAY_TO_PARAM = "destination"
    settings.SMS_GATEWAY_TEXT_PARAM = "message"
    settings.SMS_GATEWAY_SENDER = "CHAMBRE"
    yield Gateway
    server.shutdown()


def test_the_http_gateway_receives_the_parameters_its_settings_name(gateway):
    sms.send_sms("+212612345678", "مرحبا", reference="n1-sms")
    [(fields, authorization)] = gateway.received
    assert fields["destination"] == ["+212612345678"]
    assert fields["message"] == ["مرحبا"]
    assert fields["from"] == ["CHAMBRE"]
    assert fields["reference"] == ["n1-sms"]
    assert authorization == "Bearer secret-token"


def test_a_gateway_that_refuses_is_retried_by_the_outbox(gateway):
    gateway.answer = 503
    person = factories.ApprenticeFactory(email="", phone="+212612345678", phone_verified=True)
    delivery = Delivery.objects.get(notification=_tell(person))
    assert outbox.deliver(delivery.pk) == "retry"
    delivery.refresh_from_db()
    assert "503" in delivery.last_error
    gateway.answer = 200
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert outbox.deliver(delivery.pk) == "sent"
    assert len(gateway.received) == 2


def test_a_subject_is_not_escaped_as_html(client_as, users, application_a):
    from cooperatives import services
    from cooperatives.models import Cooperative

    Cooperative.objects.filter(pk=application_a.cooperative_id).update(name="Coop L'Avenir & Fils")
    users("staff").language = "fr"
    users("staff").save(update_fields=["language"])
    services.submit_application(application_a.pk, actor=users("coop_a"))
    notification = Notification.objects.get(recipient=users("staff"))
    assert "L'Avenir & Fils" in outbox.words(notification)["subject"]
    page = client_as("staff").get("/fr/account/notifications/").content.decode()
    assert "L&#x27;Avenir &amp; Fils" in page  # escaped once, by the page


def test_a_broker_that_fails_is_not_asked_again_by_the_same_decision(monkeypatch):
    calls = []

    def down(*args, **kwargs):
        calls.append(args)
        raise ConnectionError("redis down")

    monkeypatch.setattr(tasks.deliver, "delay", down)
    monkeypatch.setattr(outbox, "_broker_down_until", 0.0)
    people = [factories.ApprenticeFactory(email=f"p{n}@example.org") for n in range(5)]
    for person in people:
        outbox.enqueue([_tell(person, key=f"k-{person.pk}").deliveries.get().pk])
    assert len(calls) == 1  # one wait for the broker, not five
    assert Delivery.objects.filter(state=DeliveryState.PENDING).count() == 5


def test_a_gateway_s_redirect_is_not_followed(gateway):
    gateway.answer = 302
    with pytest.raises(sms.SmsError):
        sms.send_sms("+212612345678", "code 123456")
    assert len(gateway.received) == 1


def test_without_a_gateway_nobody_is_offered_sms(settings):
    settings.SMS_BACKEND = "chamber.sms.NoGateway"
    person = factories.ApprenticeFactory(email="", phone="+212612345678", phone_verified=True)
    assert person.channels() == []
    settings.SMS_BACKEND = "chamber.sms.MemoryBackend"
    assert person.channels() == ["sms"]


def test_french_typography_does_not_turn_an_sms_into_ucs_2():
    text = sms.plain("Votre demande d’espace : « approuvée » — à bientôt…")
    assert sms.is_gsm(text)
    assert "d'espace" in text


def test_an_arabic_code_sms_carries_no_invisible_isolates(sms_outbox):
    person = factories.UserFactory(phone="+212612345678", language="ar")
    from chamber import phone_codes

    phone_codes.send_code(person, "confirm")
    [message] = sms_outbox
    assert not set(message.text) & {"\u2066", "\u2067", "\u2068", "\u2069"}
    assert message.text.split()[0].isdigit()
