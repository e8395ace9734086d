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
        contact_phone="0528 87 10 10",
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
        'href="tel:+212528871010"',
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
    assert "05 28 87 10 10" in body
    assert "الاثنين" in body  # Arabic, the representative's language
    assert approved.allocation.agreement_reference in body
    assert f"/ar/cooperatives/applications/{approved.pk}/agreement/" in body


def test_a_rejected_application_tells_no_space(client_as, application_a, users):
    services.submit_application(application_a.pk, actor=users("coop_a"))
    services.start_review(application_a.pk, actor=users("staff"))
    services.reject_application(application_a.pk, actor=users("staff"), note="Pas de salle")
    html = client_as("coop_a").get(f"/fr/cooperatives/applications/{application_a.pk}/")
    assert "granted-title" not in html.content.decode()


def approval_page(client, application, space, **fields):
    return client.post(
        f"/fr/cooperatives/applications/{application.pk}/approve/",
        {
            "space": space.pk,
            "starts_on": "2027-01-04",
            "ends_on": "2027-06-30",
            "weekdays": ["0"],
            "note": "La seule salle libre",
            **fields,
        },
    )


@pytest.fixture
def sent(application_a, users):
    services.submit_application(application_a.pk, actor=users("coop_a"))
    return application_a


def test_staff_are_warned_before_giving_less_than_asked_and_nothing_is_saved(
    client_as, sent, commune_b
):
    space = factories.SpaceFactory(commune=commune_b, name="Salle lointaine")
    response = approval_page(client_as("staff"), sent, space)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["confirm_gaps"]
    gaps = " ".join(form.gaps)
    assert "1 jour par semaine attribué, pour 3 demandés." in gaps
    assert "30 juin 2027" in gaps  # the period ends earlier than asked
    assert "El Ouatia" in gaps and "Asrir" in gaps and " km" in gaps
    html = response.content.decode()
    assert "La seule salle libre</textarea>" in html  # what was typed is kept
    sent.refresh_from_db()
    assert sent.allocation is None and sent.status == "submitted"


def test_the_gaps_confirmed_are_kept_with_the_decision_and_told(
    client_as, sent, commune_b, users, django_capture_on_commit_callbacks
):
    space = factories.SpaceFactory(commune=commune_b, name="Salle lointaine")
    with django_capture_on_commit_callbacks(execute=True):
        response = approval_page(client_as("staff"), sent, space, confirm_gaps="on")
    assert response.status_code == 302
    sent.refresh_from_db()
    codes = [gap["code"] for gap in sent.approval_gaps]
    assert codes == ["fewer_days", "ends_earlier", "starts_later", "other_commune"]
    assert sent.decision_note == "La seule salle libre"  # the staff's answer, with them
    page = client_as("coop_a").get(f"/fr/cooperatives/applications/{sent.pk}/").content.decode()
    assert "1 jour par semaine attribué, pour 3 demandés." in page
    assert "Moins que demandé" in page
    body = mail.outbox[-1].body  # in the representative's language
    language = users("coop_a").language
    assert (commune_b.name_ar if language == "ar" else commune_b.name_fr) in body
    assert ("كلم" if language == "ar" else " km") in body


def test_an_allocation_on_the_terms_asked_needs_no_confirmation(client_as, sent, commune_a):
    space = factories.SpaceFactory(commune=commune_a)
    asked_start = sent.starts_on.isoformat()
    response = approval_page(
        client_as("staff"),
        sent,
        space,
        starts_on=asked_start,
        ends_on="2028-12-31",
        weekdays=["0", "1", "2"],
    )
    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.approval_gaps == []
