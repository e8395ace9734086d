"""After an approval, the cooperative is told what it was given (issue #13, first part): the
space, its commune and contact, the days and the period, the agreement, on the application's
page, on "my cooperative" and in the decision e-mail, in the reader's language."""

from datetime import date

import pytest
from django.core import mail

from cooperatives import services
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.on_day("2026-12-01")]


@pytest.fixture
def approved(application_a, users, commune_b, django_capture_on_commit_callbacks):
    """Cooperative A's application, given a hall of commune B on Mondays and Wednesdays."""
    services.submit_application(application_a.pk, actor=users("coop_a"))
    space = factories.SpaceFactory(
        commune=commune_b,
        name="Salle des fêtes",
        address="Avenue Hassan II",
        contact_phone="0528 12 34 56",
        contact_email="commune@example.ma",
    )
    users("coop_a").language = "ar"
    users("coop_a").save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_application(
            application_a.pk,
            actor=users("staff"),
            space_id=space.pk,
            starts_on=date(2027, 1, 4),
            ends_on=date(2027, 6, 30),
            weekdays=0b101,
            note="La salle la plus proche",
        )
    application_a.refresh_from_db()
    return application_a


def test_the_application_page_says_which_space_which_days_and_which_period(client_as, approved):
    html = client_as("coop_a").get(f"/fr/cooperatives/applications/{approved.pk}/").content
    html = html.decode()
    for text in (
        "Salle des fêtes",
        "El Ouatia",
        "Avenue Hassan II",
        'href="tel:0528123456"',
        "commune@example.ma",
        "lundi, mercredi",
        "Du 4 janvier 2027 au 30 juin 2027",
        approved.allocation.agreement_reference,
        f"/fr/cooperatives/applications/{approved.pk}/agreement/",
    ):
        assert text in html, text


def test_my_cooperative_lists_the_space_given_beside_each_approved_application(client_as, approved):
    html = client_as("coop_a").get("/ar/cooperatives/mine/").content.decode()
    assert "Salle des fêtes" in html
    assert "الاثنين" in html  # the days, in the reader's language


def test_the_decision_e_mail_says_what_was_given_in_the_recipients_language(approved):
    body = mail.outbox[-1].body
    assert "Salle des fêtes" in body and "Avenue Hassan II" in body
    assert "0528 12 34 56" in body
    assert "الاثنين" in body  # Arabic, the representative's language
    assert approved.allocation.agreement_reference in body
    assert f"/ar/cooperatives/applications/{approved.pk}/agreement/" in body


def test_a_rejected_application_tells_no_space(client_as, application_a, users):
    services.submit_application(application_a.pk, actor=users("coop_a"))
    services.start_review(application_a.pk, actor=users("staff"))
    services.reject_application(application_a.pk, actor=users("staff"), note="Pas de salle")
    html = client_as("coop_a").get(f"/fr/cooperatives/applications/{application_a.pk}/")
    assert "granted-title" not in html.content.decode()
