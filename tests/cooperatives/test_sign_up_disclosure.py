"""The cooperative sign-up says of other cooperatives only what the directory publishes: a
number of a cooperative not yet verified is answered as a number the portal does not know."""

import pytest

from chamber.models import User
from cooperatives.models import Cooperative, RepresentativeStatus
from tests import factories
from tests.cooperatives.test_views import sign_up_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def unpublished(commune_b):
    return factories.CooperativeFactory(
        name="Coopérative en attente", registration_number="2024/0777", verified=False
    )


def registration_errors(client, data):
    response = client.post("/fr/cooperatives/join/", data)
    return response.status_code, response.context["form"].errors.get("registration_number")


def test_asking_for_an_unpublished_cooperative_is_answered_as_for_an_unknown_number(
    client, commune_a, unpublished
):
    unknown = registration_errors(
        client, sign_up_data(commune_a, which="existing", registration_number="2024/0778")
    )
    hidden = registration_errors(
        client, sign_up_data(commune_a, which="existing", registration_number="2024/0777")
    )
    assert unknown == hidden and unknown[0] == 200
    assert not User.objects.filter(username="fatima").exists()


def test_a_new_cooperative_with_an_unpublished_number_joins_it_for_staff_to_check(
    client, commune_a, unpublished
):
    response = client.post(
        "/fr/cooperatives/join/", sign_up_data(commune_a, registration_number="2024/777")
    )
    assert response.status_code == 302 and response.url == "/fr/cooperatives/mine/"
    representation = User.objects.get(username="fatima").representation
    assert representation.cooperative == unpublished
    assert representation.status == RepresentativeStatus.PENDING
    assert Cooperative.objects.filter(registration_key="2024/777").count() == 1
    # and nothing of that cooperative is shown before staff check the request
    assert "Coopérative en attente" not in client.get("/fr/cooperatives/mine/").content.decode()
    assert "Coopérative en attente" not in client.get("/fr/account/").content.decode()
    assert "Coopérative en attente" not in client.get("/fr/account/my-data.json").content.decode()
    assert client.get(f"/fr/cooperatives/{unpublished.pk}/").status_code == 404


def test_the_answer_to_an_unpublished_number_is_the_answer_to_a_new_one(
    client, commune_a, unpublished
):
    from django.test import Client

    new = Client().post(
        "/fr/cooperatives/join/",
        sign_up_data(
            commune_a, username="a", email="a@example.org", registration_number="2024/0900"
        ),
    )
    hidden = Client().post(
        "/fr/cooperatives/join/",
        sign_up_data(
            commune_a, username="b", email="b@example.org", registration_number="2024/0777"
        ),
    )
    assert (new.status_code, new.url) == (hidden.status_code, hidden.url)


def test_a_published_cooperative_is_still_named_as_registered(client, commune_a, cooperative_a):
    status, errors = registration_errors(
        client, sign_up_data(commune_a, registration_number=cooperative_a.registration_number)
    )
    assert "déjà enregistrée" in " ".join(errors)


def test_a_taken_user_name_is_said_on_its_field_only(client, commune_a, users):
    taken = users("coop_a").username
    response = client.post("/fr/cooperatives/join/", sign_up_data(commune_a, username=taken))
    form = response.context["form"]
    assert set(form.errors) == {"username"}
    assert not form.non_field_errors()


def test_a_refused_request_still_says_nothing_of_the_unpublished_cooperative(
    client, commune_a, unpublished, users, mailoutbox, django_capture_on_commit_callbacks
):
    from cooperatives import services

    client.post("/fr/cooperatives/join/", sign_up_data(commune_a, registration_number="2024/777"))
    representation = User.objects.get(username="fatima").representation
    with django_capture_on_commit_callbacks(execute=True):
        services.refuse_representative(
            representation.pk, actor=users("staff"), note="Inconnue de la coopérative"
        )
    page = client.get("/fr/cooperatives/mine/").content.decode()
    assert "Inconnue de la coopérative" in page
    for text in (page, client.get("/fr/account/").content.decode(), mailoutbox[-1].body):
        assert "Coopérative en attente" not in text
        assert "2024/0777" not in text
