"""Demand, made visible (issue #13): where cooperatives wait for premises, by commune, and
the cooperatives interested in a space, counted for the staff and its commune."""

import pytest

from cooperatives import services
from cooperatives.models import SpaceInterest
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.on_day("2026-12-01")]


@pytest.fixture
def waiting(users, cooperative_a, application_data, commune_a):
    """Cooperative A (10 women) waits for two spaces of commune A; a draft does not count."""
    for _ in range(2):
        application = services.create_application(
            actor=users("coop_a"), cooperative_id=cooperative_a.pk, data=application_data()
        )
        services.submit_application(application.pk, actor=users("coop_a"))
    services.create_application(
        actor=users("coop_a"), cooperative_id=cooperative_a.pk, data=application_data()
    )


def test_the_demand_page_counts_applications_and_women_members_once(client, waiting, commune_a):
    response = client.get("/fr/cooperatives/demand/")
    [row] = response.context["rows"]
    assert (row.commune, row.applications, row.cooperatives, row.women_members) == (
        commune_a,
        2,
        1,
        10,
    )
    html = client.get("/ar/cooperatives/demand/").content.decode()
    assert commune_a.name_ar in html and 'id="demand-points"' in html


def test_a_president_of_a_waiting_commune_is_invited_to_propose(client_as, waiting):
    html = client_as("president_a").get("/fr/cooperatives/demand/").content.decode()
    assert "/fr/spaces/propose/" in html


def test_the_demand_page_costs_the_same_queries_for_many_applications(
    client, users, cooperative_a, application_data, django_assert_max_num_queries
):
    for _ in range(15):
        application = services.create_application(
            actor=users("coop_a"), cooperative_id=cooperative_a.pk, data=application_data()
        )
        services.submit_application(application.pk, actor=users("coop_a"))
    with django_assert_max_num_queries(8):
        client.get("/fr/cooperatives/demand/")


@pytest.fixture
def hall(commune_a):
    return factories.SpaceFactory(commune=commune_a, name="Salle ouverte")


def test_a_cooperative_marks_its_interest_and_the_commune_sees_the_count(client_as, hall):
    response = client_as("coop_a").post(f"/fr/cooperatives/spaces/{hall.pk}/interest/")
    assert response.status_code == 302
    assert SpaceInterest.objects.filter(space=hall).count() == 1
    page = client_as("coop_a").get(f"/fr/spaces/{hall.pk}/").content.decode()
    assert "Plus intéressée" in page
    html = client_as("president_a").get(f"/fr/spaces/{hall.pk}/").content.decode()
    assert "1 coopérative est intéressée par cet espace" in html
    html = client_as("staff").get(f"/fr/spaces/{hall.pk}/").content.decode()
    assert "1 coopérative est intéressée par cet espace" in html
    client = client_as("visitor")
    client.logout()
    assert "intéressée par cet espace" not in client.get(f"/fr/spaces/{hall.pk}/").content.decode()


def test_marking_twice_takes_the_interest_back(client_as, hall):
    client = client_as("coop_a")
    client.post(f"/fr/cooperatives/spaces/{hall.pk}/interest/")
    client.post(f"/fr/cooperatives/spaces/{hall.pk}/interest/")
    assert not SpaceInterest.objects.exists()


def test_another_commune_does_not_see_the_count(client_as, hall):
    client_as("coop_a").post(f"/fr/cooperatives/spaces/{hall.pk}/interest/")
    html = client_as("president_b").get(f"/fr/spaces/{hall.pk}/").content.decode()
    assert "intéressée" not in html


def test_an_unverified_cooperative_cannot_mark_interest(client_as, hall, cooperative_b):
    cooperative_b.verified = False
    cooperative_b.save(update_fields=["verified"])
    response = client_as("coop_b").post(f"/fr/cooperatives/spaces/{hall.pk}/interest/")
    assert response.status_code == 403
    assert not SpaceInterest.objects.exists()
