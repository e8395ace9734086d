"""Shared halls shown as they are: free days in the catalogue, on the space page, and the
catalogue's "free on these days / from this date" filter."""

from datetime import date

import pytest

from spaces import services
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.on_day("2026-12-01")]
MON_TUE_WED = 0b0000111


@pytest.fixture
def shared_hall(commune_a, users):
    hall = factories.SpaceFactory(commune=commune_a, name="Salle partagée")
    services.allocate_space(
        hall.pk,
        actor=users("staff"),
        starts_on=date(2026, 12, 1),
        ends_on=date(2027, 12, 31),
        weekdays=MON_TUE_WED,
        purpose="cooperative_activity",
        holder="Coopérative A",
    )
    return hall


def names(response):
    return [space.name for space in response.context["page_obj"]]


def test_a_hall_booked_on_three_days_is_listed_with_its_free_days(client, shared_hall):
    html = client.get("/fr/spaces/?available_only=on").content.decode()
    assert "Salle partagée" in html
    assert "Libre le jeudi, vendredi, samedi, dimanche" in html
    html = client.get("/ar/spaces/").content.decode()
    assert "الخميس، الجمعة، السبت، الأحد" in html


def test_the_space_page_shows_the_free_days_and_the_next_free_day(client, shared_hall):
    html = client.get(f"/fr/spaces/{shared_hall.pk}/").content.decode()
    assert (
        "Libre le jeudi, vendredi, samedi, dimanche (prochain jour libre : jeudi 3 décembre 2026)"
        in html
    )


def test_free_on_a_day_it_has_free_finds_the_hall(client, shared_hall, commune_a):
    factories.SpaceFactory(commune=commune_a, name="Salle vide")
    assert sorted(names(client.get("/fr/spaces/?free_on=3&free_on=4"))) == [
        "Salle partagée",
        "Salle vide",
    ]


def test_free_on_a_day_it_has_taken_leaves_the_hall_out(client, shared_hall, commune_a):
    factories.SpaceFactory(commune=commune_a, name="Salle vide")
    assert names(client.get("/fr/spaces/?free_on=0&free_on=4")) == ["Salle vide"]


def test_free_from_a_date_after_the_agreement_finds_every_day_free(client, shared_hall):
    assert names(client.get("/fr/spaces/?free_on=0&free_from=2028-01-01")) == ["Salle partagée"]


def test_a_full_hall_is_left_out_of_free_from_without_days(client, commune_a, users):
    full = factories.SpaceFactory(commune=commune_a, name="Salle pleine")
    services.allocate_space(
        full.pk,
        actor=users("staff"),
        starts_on=date(2026, 12, 1),
        ends_on=date(2027, 6, 30),
        weekdays=0b1111111,
        purpose="cooperative_activity",
        holder="B",
    )
    assert names(client.get("/fr/spaces/?free_from=2026-12-01")) == []
    assert names(client.get("/fr/spaces/?free_from=2027-07-01")) == ["Salle pleine"]
    html = client.get(f"/fr/spaces/{full.pk}/").content.decode()
    assert "prochain jour libre : jeudi 1 juillet 2027" in html


@pytest.mark.parametrize(
    "value", ["9999-12-31", "0001-01-01", "2027-02-30", "demain", "\u0662\u0660\u0662\u0667"]
)
def test_a_free_from_date_that_cannot_be_answered_is_explained_on_its_field(
    client, shared_hall, value
):
    response = client.get("/fr/spaces/", {"free_from": value})
    assert response.status_code == 200
    assert response.context["filter"].form.errors["free_from"]
    assert names(response) == ["Salle partagée"]


def test_a_weekday_that_is_no_day_is_explained_on_its_field(client, shared_hall):
    response = client.get("/fr/spaces/?free_on=9")
    assert response.status_code == 200
    assert response.context["filter"].form.errors["free_on"]


def test_the_catalogue_costs_the_same_queries_for_one_allocation_or_many(
    client, commune_a, users, django_assert_max_num_queries
):
    for number in range(12):
        hall = factories.SpaceFactory(commune=commune_a, name=f"Salle {number}")
        services.allocate_space(
            hall.pk,
            actor=users("staff"),
            starts_on=date(2026, 12, 1),
            ends_on=date(2027, 12, 31),
            weekdays=1 << (number % 7),
            purpose="cooperative_activity",
            holder="A",
        )
    with django_assert_max_num_queries(8):
        client.get("/fr/spaces/?free_on=6")


def test_open_data_gives_the_free_days_as_codes(client, shared_hall):
    import json

    row = json.loads(client.get("/fr/open-data/spaces.json").content)["results"][0]
    assert row["free_weekdays"] == ["thursday", "friday", "saturday", "sunday"]
    assert row["next_free_day"] == "2026-12-03"
