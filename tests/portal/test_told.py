"""Every role is told of the decisions that concern it (issue #14), in its language, on its
channels, and in its in-portal list: presidents, cooperatives, apprentices, representatives
and staff."""

from datetime import date, timedelta

import factory
import pytest
import time_machine
from django.core import mail

from chamber.models import Notification
from cooperatives import services as cooperative_services
from programs import services as program_services
from programs.models import Apprentice
from spaces import services as space_services
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.on_day("2026-12-01")]


def kinds_of(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user).order_by("pk").values_list("kind", flat=True)
    )


def params_of(user) -> list[dict]:
    return [n.params for n in Notification.objects.filter(recipient=user).order_by("pk")]


# --- commune presidents and the staff: a proposed space -----------------------------------------


def test_staff_hear_of_a_proposal_and_the_president_of_each_decision(
    users, space_a, django_capture_on_commit_callbacks
):
    staff, president = users("staff"), users("president_a")
    president.language = "fr"
    president.save(update_fields=["language"])
    data = factory.build(dict, FACTORY_CLASS=factories.SpaceFactory, name="Dar Taliba")
    data = {k: v for k, v in data.items() if k not in ("commune", "proposed_by", "status")}
    with django_capture_on_commit_callbacks(execute=True):
        proposed = space_services.propose_space(actor=president, data=data, crafts=[])
    assert kinds_of(staff) == ["spaces/proposed"]
    with django_capture_on_commit_callbacks(execute=True):
        space_services.start_review(proposed.pk, actor=staff)
        space_services.reject_space(proposed.pk, actor=staff, note="Toiture effondrée")
    assert kinds_of(president) == ["spaces/decision", "spaces/decision"]
    assert [p["status"] for p in params_of(president)] == ["under_review", "rejected"]
    refusal = [m for m in mail.outbox if m.to == [president.email]][-1]
    assert "refusée" in refusal.subject or "refus" in refusal.subject.lower()
    assert "Toiture effondrée" in refusal.body  # the reason
    assert f"/fr/spaces/{proposed.pk}/" in refusal.body


def test_the_president_hears_of_an_approval(users, space_a):
    staff, president = users("staff"), users("president_a")
    space_services.start_review(space_a.pk, actor=staff)
    space_services.approve_space(space_a.pk, actor=staff)
    assert [p["status"] for p in params_of(president)] == ["under_review", "available"]


# --- cooperatives -----------------------------------------------------------------------------


def test_a_cooperative_hears_of_every_move_the_chamber_makes(users, application_a):
    coop, staff = users("coop_a"), users("staff")
    cooperative_services.submit_application(application_a.pk, actor=coop)
    assert kinds_of(staff) == ["cooperatives/submitted"]
    assert kinds_of(coop) == []  # its own move: nothing to tell it
    cooperative_services.start_review(application_a.pk, actor=staff)
    cooperative_services.reject_application(application_a.pk, actor=staff, note="Trop loin")
    assert [p["status"] for p in params_of(coop)] == ["under_review", "rejected"]
    assert params_of(coop)[-1]["note"] == "Trop loin"


def test_a_cooperative_without_e_mail_is_told_by_sms_with_a_link(
    users, application_a, sms_outbox, django_capture_on_commit_callbacks
):
    coop = users("coop_a")
    coop.email, coop.phone, coop.phone_verified = "", "+212612345678", True
    coop.save()
    cooperative_services.submit_application(application_a.pk, actor=coop)
    with django_capture_on_commit_callbacks(execute=True):
        cooperative_services.start_review(application_a.pk, actor=users("staff"))
    [message] = sms_outbox
    notification = Notification.objects.get(recipient=coop)
    assert message.to == "+212612345678"
    assert message.text.endswith(f"/n/{notification.pk}")


def test_a_representative_hears_of_the_verification(users, cooperative_a):
    staff = users("staff")
    person = factories.UserFactory(role="cooperative", language="fr")
    representative = factories.RepresentativeFactory(
        user=person, cooperative=cooperative_a, status="pending"
    )
    cooperative_services.verify_representative(representative.pk, actor=staff)
    assert kinds_of(person) == ["cooperatives/representation"]
    assert params_of(person)[0]["status"] == "verified"


# --- apprentices --------------------------------------------------------------------------------


@pytest.fixture
def enrolled(users, cohort, commune_a):
    young = users("apprentice")
    young.language = "fr"
    young.save(update_fields=["language"])
    Apprentice.objects.create(
        user=young, birth_date=date(2006, 5, 1), school_level="primary_6", commune=commune_a
    )
    return program_services.apply_to_cohort(cohort.pk, actor=young)


def test_an_apprentice_hears_of_acceptance_start_and_completion_with_the_certificate(
    users, enrolled, cohort, django_capture_on_commit_callbacks
):
    staff, young = users("staff"), users("apprentice")
    with django_capture_on_commit_callbacks(execute=True):
        program_services.accept_enrolment(enrolled.pk, actor=staff)
    with time_machine.travel(cohort.starts_on), django_capture_on_commit_callbacks(execute=True):
        program_services.start_training(enrolled.pk, actor=staff)
    with time_machine.travel(cohort.ends_on), django_capture_on_commit_callbacks(execute=True):
        program_services.complete_training(enrolled.pk, actor=staff)
    assert [p["status"] for p in params_of(young)] == ["accepted", "in_training", "completed"]
    completed = [m for m in mail.outbox if m.to == [young.email]][-1]
    assert f"/fr/programmes/enrolments/{enrolled.pk}/certificate/" in completed.body


def test_an_apprentice_hears_of_a_refusal_with_the_reason(users, enrolled):
    program_services.refuse_enrolment(enrolled.pk, actor=users("staff"), note="Plus de places")
    [params] = params_of(users("apprentice"))
    assert (params["status"], params["note"]) == ("refused", "Plus de places")


def test_an_apprentice_is_asked_the_outcome_six_months_after_once(users, enrolled, cohort):
    staff, young = users("staff"), users("apprentice")
    program_services.accept_enrolment(enrolled.pk, actor=staff)
    with time_machine.travel(cohort.starts_on):
        program_services.start_training(enrolled.pk, actor=staff)
    with time_machine.travel(cohort.ends_on):
        program_services.complete_training(enrolled.pk, actor=staff)
    assert program_services.ask_outcomes(today=cohort.ends_on + timedelta(days=100)) == 0
    six_months = cohort.ends_on + timedelta(days=183)
    assert program_services.ask_outcomes(today=six_months) == 1
    program_services.ask_outcomes(today=six_months + timedelta(days=1))  # the next day
    assert kinds_of(young).count("programs/outcome_asked") == 1


# --- the in-portal list -------------------------------------------------------------------------


def test_the_person_reads_their_notifications_in_the_portal(
    client, users, enrolled, django_assert_max_num_queries
):
    young = users("apprentice")
    program_services.accept_enrolment(enrolled.pk, actor=users("staff"))
    client.force_login(young)
    page = client.get("/fr/account/notifications/")
    html = page.content.decode()
    assert "Nouveau" in html or "New" in html
    notification = Notification.objects.get(recipient=young)
    assert f'href="/n/{notification.pk}"' in html
    opened = client.get(f"/n/{notification.pk}")
    assert opened.url == f"/fr/programmes/enrolments/{enrolled.pk}/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_the_list_costs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    person = factories.ApprenticeFactory()
    for n in range(30):
        factories.NotificationFactory(recipient=person, key=f"k{n}")
    client.force_login(person)
    with django_assert_max_num_queries(40):
        assert client.get("/fr/account/notifications/").status_code == 200


def test_nobody_opens_another_person_s_notification(client, users):
    notification = factories.NotificationFactory()
    client.force_login(users("coop_a"))
    assert client.get(f"/n/{notification.pk}").status_code == 404
    client.logout()
    assert client.get(f"/n/{notification.pk}").status_code == 302  # to log in first


def test_mark_all_as_read(client):
    person = factories.ApprenticeFactory()
    factories.NotificationFactory(recipient=person)
    client.force_login(person)
    assert client.post("/fr/account/notifications/read/").status_code == 302
    assert not Notification.objects.filter(recipient=person, read_at__isnull=True).exists()


def test_the_young_person_answers_the_outcome_asked_on_their_enrolment(
    client, users, enrolled, cohort
):
    staff, young = users("staff"), users("apprentice")
    program_services.accept_enrolment(enrolled.pk, actor=staff)
    client.force_login(young)
    page = client.get(f"/fr/programmes/enrolments/{enrolled.pk}/").content.decode()
    assert "/now/" not in page  # not before the training is completed
    refused = client.post(f"/fr/programmes/enrolments/{enrolled.pk}/now/", {"outcome": "employed"})
    assert refused.status_code == 403
    with time_machine.travel(cohort.starts_on):
        program_services.start_training(enrolled.pk, actor=staff)
    with time_machine.travel(cohort.ends_on):
        program_services.complete_training(enrolled.pk, actor=staff)
    client.force_login(young)
    page = client.get(f"/fr/programmes/enrolments/{enrolled.pk}/").content.decode()
    assert f'action="/fr/programmes/enrolments/{enrolled.pk}/now/"' in page
    response = client.post(
        f"/fr/programmes/enrolments/{enrolled.pk}/now/", {"outcome": "joined_cooperative"}
    )
    assert response.status_code == 302
    enrolled.refresh_from_db()
    assert enrolled.outcome == "joined_cooperative"
    change = enrolled.outcome_history.get()
    assert change.actor == young and not change.on_behalf
    bad = client.post(f"/fr/programmes/enrolments/{enrolled.pk}/now/", {"outcome": "astronaut"})
    assert bad.status_code == 302
    enrolled.refresh_from_db()
    assert enrolled.outcome == "joined_cooperative"


def test_nobody_answers_for_another_young_person(client, users, enrolled):
    other = factories.ApprenticeFactory()
    factories.ApprenticeProfileFactory(user=other)
    client.force_login(other)
    response = client.post(f"/fr/programmes/enrolments/{enrolled.pk}/now/", {"outcome": "employed"})
    assert response.status_code == 404
