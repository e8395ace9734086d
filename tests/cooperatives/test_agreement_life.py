"""The agreement's life (issue #13): the cooperative asks for a renewal, staff renew, refuse,
end or terminate it, thirty days' notice, each move recorded and told."""

from datetime import date

import pytest
import time_machine
from django.core import mail

from cooperatives import services
from spaces import services as space_services
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.on_day("2026-12-01")]
END = date(2027, 6, 30)


@pytest.fixture
def approved(application_a, users, commune_a, django_capture_on_commit_callbacks):
    """Cooperative A's application, given a hall on Mondays and Wednesdays until 30 June."""
    services.submit_application(application_a.pk, actor=users("coop_a"))
    space = factories.SpaceFactory(commune=commune_a, name="Salle des fêtes")
    users("staff").email = "staff@chambre.ma"
    users("staff").save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_application(
            application_a.pk,
            actor=users("staff"),
            space_id=space.pk,
            starts_on=date(2027, 1, 4),
            ends_on=END,
            weekdays=0b101,
            note="La salle la plus proche",
        )
    application_a.refresh_from_db()
    mail.outbox.clear()
    return application_a


def ask(client, application, reason="Les ventes ont doublé."):
    return client.post(
        f"/fr/cooperatives/applications/{application.pk}/renewal/", {"reason": reason}
    )


def answer(client, allocation, action, **fields):
    data = {f"{action}-{allocation.pk}-{name}": value for name, value in fields.items()}
    return client.post(f"/fr/spaces/allocations/{allocation.pk}/renewal/{action}/", data)


def test_the_cooperative_asks_for_a_renewal_and_the_staff_are_told(
    client_as, approved, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client_as("coop_a"), approved)
    assert response.status_code == 302
    approved.allocation.refresh_from_db()
    assert approved.allocation.status == "renewal_requested"
    [message] = mail.outbox
    assert message.to == ["staff@chambre.ma"]
    assert "Les ventes ont doublé." in message.body
    html = client_as("staff").get(f"/fr/spaces/{approved.allocation.space_id}/occupancy/")
    assert "Les ventes ont doublé." in html.content.decode()


@pytest.mark.parametrize("reason", ["", "   ", "x" * 301])
def test_a_renewal_asked_without_a_fitting_reason_is_explained_on_the_field(
    client_as, approved, reason
):
    response = ask(client_as("coop_a"), approved, reason)
    assert response.status_code == 400
    assert response.context["renewal_form"].errors["reason"]
    approved.allocation.refresh_from_db()
    assert approved.allocation.status == "active"


def test_another_cooperative_cannot_ask_for_the_renewal(client_as, approved):
    assert ask(client_as("coop_b"), approved).status_code == 404
    approved.allocation.refresh_from_db()
    assert approved.allocation.status == "active"


def test_a_renewal_already_asked_cannot_be_asked_again(client_as, approved):
    ask(client_as("coop_a"), approved)
    page = client_as("coop_a").get(approved.get_absolute_url()).content.decode()
    assert "/renewal/" not in page
    response = ask(client_as("coop_a"), approved, "Encore")
    assert response.status_code == 400


def test_staff_renew_and_the_cooperative_is_told_in_its_language(
    client_as, approved, users, django_capture_on_commit_callbacks
):
    users("coop_a").language = "ar"
    users("coop_a").save(update_fields=["language"])
    ask(client_as("coop_a"), approved)
    allocation = approved.allocation
    with django_capture_on_commit_callbacks(execute=True):
        response = answer(client_as("staff"), allocation, "renew", ends_on="2027-12-31")
    assert response.status_code == 302
    allocation.refresh_from_db()
    assert (allocation.status, allocation.ends_on) == ("renewed", date(2027, 12, 31))
    [message] = [m for m in mail.outbox if m.to == [users("coop_a").email]]
    assert "31 دجنبر 2027" in message.body or "31 ديسمبر 2027" in message.body
    page = client_as("coop_a").get(f"/fr/cooperatives/applications/{approved.pk}/")
    assert "Renouvelée" in page.content.decode()


def test_a_renewal_that_overlaps_another_allocation_is_explained_on_the_end(
    client_as, approved, users
):
    allocation = approved.allocation
    space_services.allocate_space(
        allocation.space_id,
        actor=users("staff"),
        starts_on=date(2027, 9, 1),
        ends_on=date(2027, 12, 31),
        weekdays=0b1,
        purpose="apprenticeship_cohort",
        holder="Cohorte de tissage",
    )
    response = answer(client_as("staff"), allocation, "renew", ends_on="2027-12-31", note="Oui")
    assert response.status_code == 400
    form = next(r["renew_form"] for r in response.context["rows"] if r["allocation"] == allocation)
    assert "Cohorte de tissage" in form.errors["ends_on"][0]
    assert form["note"].value() == "Oui"
    allocation.refresh_from_db()
    assert allocation.ends_on == END


@pytest.mark.parametrize("ends_on", ["2027-02-30", "demain", "", "2027-06-30", "2027-01-01"])
def test_a_renewal_end_that_cannot_be_is_explained_on_the_field(client_as, approved, ends_on):
    allocation = approved.allocation
    response = answer(client_as("staff"), allocation, "renew", ends_on=ends_on)
    assert response.status_code == 400
    allocation.refresh_from_db()
    assert (allocation.status, allocation.ends_on) == ("active", END)


def test_staff_refuse_a_renewal_with_a_reason_the_cooperative_reads(
    client_as, approved, users, django_capture_on_commit_callbacks
):
    ask(client_as("coop_a"), approved)
    allocation = approved.allocation
    response = answer(client_as("staff"), allocation, "decline", note="")
    assert response.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        answer(client_as("staff"), allocation, "decline", note="La salle est promise.")
    allocation.refresh_from_db()
    assert allocation.status == "active"
    [message] = mail.outbox
    assert "La salle est promise." in message.body


def test_the_end_is_announced_thirty_days_before_once(
    approved, users, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert space_services.announce_ending_agreements(today=date(2027, 5, 30)) == 0
        assert space_services.announce_ending_agreements(today=date(2027, 5, 31)) == 1
        assert space_services.announce_ending_agreements(today=date(2027, 6, 1)) == 0
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted([users("coop_a").email, "staff@chambre.ma"])
    assert all("30 juin 2027" in m.subject or "30 يونيو 2027" in m.subject for m in mail.outbox)


def test_a_renewed_end_is_announced_in_its_turn(approved, users):
    space_services.announce_ending_agreements(today=date(2027, 6, 1))
    space_services.renew_allocation(
        approved.allocation_id, actor=users("staff"), ends_on=date(2027, 12, 31)
    )
    assert space_services.announce_ending_agreements(today=date(2027, 12, 1)) == 1


def test_a_terminated_agreement_is_told_to_the_cooperative_with_the_reason(
    approved, users, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        space_services.close_allocation(
            approved.allocation_id, actor=users("staff"), to="terminated", note="Travaux urgents."
        )
    [message] = mail.outbox
    assert message.to == [users("coop_a").email]
    assert "Travaux urgents." in message.body


def test_a_draft_has_no_renewal_to_ask(client_as, application_a):
    page = client_as("coop_a").get(f"/fr/cooperatives/applications/{application_a.pk}/")
    assert "/renewal/" not in page.content.decode()


def test_the_dashboard_shows_a_hall_whose_days_come_back_with_the_applications_that_fit(
    client_as, approved, users, cooperative_b, application_data, commune_a
):
    # another cooperative waits for a space of the commune, from July, two days a week
    waiting = services.create_application(
        actor=users("staff"),
        cooperative_id=cooperative_b.pk,
        data=application_data(commune=commune_a, starts_on=date(2027, 7, 5), days_per_week=2),
        consent_note="Par téléphone",
    )
    services.submit_application(waiting.pk, actor=users("staff"))
    with time_machine.travel(date(2027, 6, 10)):
        page = client_as("staff").get("/fr/figures/dashboard/")
    [hall] = page.context["freeing"]
    assert hall.space == approved.allocation.space
    assert hall.free_from == date(2027, 7, 1)
    assert [a.pk for a in hall.fit] == [waiting.pk]
    assert "1 juillet 2027" in page.content.decode()


def test_an_application_for_another_space_of_the_commune_does_not_fit(
    approved, users, cooperative_b, application_data, commune_a
):
    from cooperatives import planning

    elsewhere = factories.SpaceFactory(commune=commune_a, name="Autre salle")
    other = services.create_application(
        actor=users("staff"),
        cooperative_id=cooperative_b.pk,
        data=application_data(space=elsewhere, commune=None),
        consent_note="Par téléphone",
    )
    services.submit_application(other.pk, actor=users("staff"))
    hall = approved.allocation.space
    found = planning.fitting_applications([hall, elsewhere])
    assert found[hall.pk] == []
    assert [a.pk for a in found[elsewhere.pk]] == [other.pk]
