"""One-time form tokens (chamber.submissions): a form that creates something creates it once,
however often its button is pressed, one press after the other or twenty at once."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from chamber.models import SubmittedForm, User
from chamber.submissions import FORM_TOKEN_LIFETIME, forget_submitted_forms, new_token
from cooperatives.models import Cooperative, Representative, SpaceApplication
from programs.models import Apprentice
from spaces.models import Space
from tests import factories
from tests.concurrency import at_the_same_moment
from tests.cooperatives.test_views import apply_data, sign_up_data
from tests.spaces.test_views import PROPOSAL

pytestmark = pytest.mark.django_db


def apprentice_data(commune, **changes):
    return {
        "first_name": "Youssef",
        "last_name": "Amlal",
        "email": "youssef@example.org",
        "language": "fr",
        "username": "youssef",
        "password1": "a-long-password-2026",
        "password2": "a-long-password-2026",
        "birth_date": (timezone.localdate() - timedelta(days=17 * 366)).isoformat(),
        "school_level": "primary_6",
        "commune": commune.pk,
        "form_token": new_token(),
        **changes,
    }


def test_a_proposal_sent_twice_is_created_once_and_the_second_press_goes_to_it(client_as):
    client = client_as("president_a")
    data = {**PROPOSAL, "form_token": new_token()}
    first = client.post("/fr/spaces/propose/", data)
    second = client.post("/fr/spaces/propose/", data)
    space = Space.objects.get()
    assert first.url == second.url == f"/fr/spaces/{space.pk}/media/"
    claim = SubmittedForm.objects.get()
    assert (claim.created, claim.user.username, claim.kind) == (
        space,
        "president_a",
        "spaces:propose",
    )


def test_the_second_press_is_told_nothing_was_created_twice(client_as):
    client = client_as("president_a")
    data = {**PROPOSAL, "form_token": new_token()}
    client.post("/fr/spaces/propose/", data)
    page = client.post("/fr/spaces/propose/", data, follow=True).content.decode()
    assert "rien n’a été créé deux fois" in page or "nothing was created twice" in page


def test_each_page_draws_its_own_token(client_as):
    client = client_as("president_a")
    tokens = {client.get("/fr/spaces/propose/").context["form"]["form_token"].value()}
    tokens.add(client.get("/fr/spaces/propose/").context["form"]["form_token"].value())
    assert len(tokens) == 2 and all(tokens)
    assert 'name="form_token"' in client.get("/fr/spaces/propose/").content.decode()


@pytest.mark.parametrize("token", [None, "", "made-up", "x" * 100])
def test_a_form_without_a_valid_token_creates_nothing_and_keeps_what_was_typed(client_as, token):
    data = {key: value for key, value in PROPOSAL.items() if key != "form_token"}
    if token is not None:
        data["form_token"] = token
    response = client_as("president_a").post("/fr/spaces/propose/", data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.non_field_errors()
    assert not Space.objects.exists()
    assert 'value="Ancienne école de Tighmert"' in response.content.decode()
    # sent again as drawn, it goes through
    fresh = form["form_token"].value()
    assert fresh and fresh != token
    again = client_as("president_a").post("/fr/spaces/propose/", {**data, "form_token": fresh})
    assert again.status_code == 302 and Space.objects.count() == 1


def test_an_expired_token_is_refused(client_as, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    token = new_token()
    time_machine.shift(FORM_TOKEN_LIFETIME + timedelta(minutes=1))
    response = client_as("president_a").post(
        "/fr/spaces/propose/", {**PROPOSAL, "form_token": token}
    )
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert not Space.objects.exists()


def test_a_refused_creation_leaves_its_token_free_for_the_corrected_form(client_as, commune_a):
    space = factories.SpaceFactory(commune=commune_a, status="available")
    client = client_as("coop_a")
    client.post("/fr/cooperatives/apply/", apply_data(commune_a, target="space", space=space.pk))
    data = apply_data(commune_a, target="space", space=space.pk)
    refused = client.post("/fr/cooperatives/apply/", data)  # the service refuses a duplicate
    assert refused.status_code == 200 and refused.context["form"].errors["space"]
    assert SubmittedForm.objects.count() == 1
    corrected = client.post("/fr/cooperatives/apply/", {**data, "target": "commune"})
    application = SpaceApplication.objects.get(space=None)
    assert corrected.url == application.get_absolute_url()


def test_an_application_sent_twice_is_created_once(client_as, commune_a):
    client = client_as("coop_a")
    data = apply_data(commune_a)
    first = client.post("/fr/cooperatives/apply/", data)
    second = client.post("/fr/cooperatives/apply/", data)
    application = SpaceApplication.objects.get()
    assert first.url == second.url == application.get_absolute_url()


def test_an_assisted_application_sent_twice_is_created_once(client_as, cooperative_a, commune_a):
    client = client_as("staff")
    url = f"/fr/cooperatives/{cooperative_a.pk}/apply-for/"
    data = apply_data(commune_a, consent_note="La présidente, par téléphone")
    first = client.post(url, data)
    second = client.post(url, data)
    application = SpaceApplication.objects.get()
    assert first.url == second.url == application.get_absolute_url()


def test_a_cooperative_registered_twice_by_staff_is_created_once(client_as, commune_a):
    client = client_as("staff")
    data = {
        "name": "Nouvelle",
        "registration_number": "2026/0001",
        "commune": commune_a.pk,
        "women_members": "3",
        "men_members": "3",
        "under_30_members": "1",
        "form_token": new_token(),
    }
    first = client.post("/fr/cooperatives/staff/register/", data)
    second = client.post("/fr/cooperatives/staff/register/", data)
    cooperative = Cooperative.objects.get(registration_number="2026/0001")
    assert first.url == second.url == cooperative.get_absolute_url()


def test_a_cooperative_sign_up_sent_twice_makes_one_account(client, commune_a):
    data = sign_up_data(commune_a)
    first = client.post("/fr/cooperatives/join/", data)
    # the second press left the browser with the first one, before its answer logged in
    second = Client().post("/fr/cooperatives/join/", data)
    assert first.url == second.url == "/fr/cooperatives/mine/"
    assert User.objects.filter(username="fatima").count() == 1
    assert Representative.objects.count() == Cooperative.objects.filter(verified=False).count() == 1


def test_an_apprentice_sign_up_sent_twice_makes_one_account(client, commune_a):
    data = apprentice_data(commune_a)
    first = client.post("/fr/programmes/join/", data)
    second = Client().post("/fr/programmes/join/", data)
    assert first.status_code == second.status_code == 302
    assert second.url == "/fr/programmes/mine/"
    assert Apprentice.objects.get().user.username == "youssef"


def test_someone_else_s_token_gives_a_fresh_form_not_their_object(client_as, users):
    claim = factories.SubmittedFormFactory(user=users("president_b"))
    claim.created = factories.SpaceFactory()
    claim.save()
    response = client_as("president_a").post(
        "/fr/spaces/propose/", {**PROPOSAL, "form_token": claim.token}
    )
    assert response.url == "/fr/spaces/propose/"
    assert Space.objects.count() == 1


def test_old_claims_are_forgotten(time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    factories.SubmittedFormFactory()
    time_machine.shift(timedelta(days=4))
    young = factories.SubmittedFormFactory()
    time_machine.shift(FORM_TOKEN_LIFETIME - timedelta(hours=1))
    assert forget_submitted_forms(timedelta(days=3)) == 1
    assert list(SubmittedForm.objects.all()) == [young]
    # never a claim whose token may still be sent
    assert forget_submitted_forms(timedelta(0)) == 0


# --- twenty presses at the same moment (PostgreSQL) ----------------------------------------


def twenty_at_once(clients, url, data):
    """Each client posts `data` in its own thread and connection at the same moment; returns
    the status codes (a server error raises in its thread and leaves its code out)."""
    codes = {}

    def act(n):
        codes[n] = clients[n].post(url, data).status_code

    at_the_same_moment(len(clients), act)
    return codes


def logged_in(user, count=20):
    clients = [Client() for _ in range(count)]
    for client in clients:
        client.force_login(user)
    return clients


def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent presses need PostgreSQL: SQLite writes one at a time")


@pytest.mark.django_db(transaction=True)
def test_twenty_presses_of_one_proposal_create_one_space(users):
    needs_postgresql()
    codes = twenty_at_once(
        logged_in(users("president_a")),
        "/fr/spaces/propose/",
        {**PROPOSAL, "form_token": new_token()},
    )
    assert sorted(codes) == list(range(20)) and set(codes.values()) == {302}
    assert Space.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_twenty_presses_of_one_application_create_one_application(users, commune_a):
    needs_postgresql()
    codes = twenty_at_once(
        logged_in(users("coop_a")), "/fr/cooperatives/apply/", apply_data(commune_a)
    )
    assert sorted(codes) == list(range(20)) and set(codes.values()) == {302}
    assert SpaceApplication.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_twenty_presses_of_one_sign_up_create_one_account(commune_a):
    needs_postgresql()
    clients = [Client() for _ in range(20)]
    codes = twenty_at_once(clients, "/fr/cooperatives/join/", sign_up_data(commune_a))
    assert sorted(codes) == list(range(20)) and set(codes.values()) == {302}
    assert User.objects.filter(username="fatima").count() == 1
    assert Representative.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_twenty_presses_of_one_apprentice_sign_up_create_one_account(commune_a):
    needs_postgresql()
    clients = [Client() for _ in range(20)]
    codes = twenty_at_once(clients, "/fr/programmes/join/", apprentice_data(commune_a))
    assert sorted(codes) == list(range(20)) and set(codes.values()) == {302}
    assert User.objects.filter(username="youssef").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_sign_ups_taking_one_user_name_at_once_answer_on_the_field(commune_a):
    """Two pages (two tokens) with the same user name and e-mail, sent at the same moment:
    one account, and the other press is told on its field, not with a server error."""
    needs_postgresql()
    clients = [Client() for _ in range(6)]
    pages = [sign_up_data(commune_a, registration_number=f"2025/01{n}") for n in range(6)]
    codes = {}

    def act(n):
        codes[n] = clients[n].post("/fr/cooperatives/join/", pages[n]).status_code

    at_the_same_moment(len(clients), act)
    assert sorted(codes) == list(range(6))
    assert sorted(codes.values()) == [200] * 5 + [302]
    assert User.objects.filter(username="fatima").count() == 1
