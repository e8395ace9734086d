"""Every figure against a hand-counted little world."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from cooperatives import services as cooperative_services
from cooperatives.models import SpaceApplication
from portal import figures
from tests import factories

# Fixed dates below: the tests run on this day, whatever the calendar says.
pytestmark = [pytest.mark.django_db, pytest.mark.on_day("2026-12-01")]


@pytest.fixture
def world(commune_a, commune_b, users, cooperative_a, application_data):
    # spaces: 2 available (100 + 200 m²) and 1 occupied (50 m²) in A; 1 proposed in B
    factories.SpaceFactory(commune=commune_a, floor_area_m2=100)
    factories.SpaceFactory(commune=commune_a, floor_area_m2=200)
    factories.SpaceFactory(commune=commune_a, floor_area_m2=50, status="occupied")
    factories.SpaceFactory(commune=commune_b, status="proposed")
    # applications of cooperative A: one approved (12 people, 10 women), one draft
    hall = factories.SpaceFactory(commune=commune_b, floor_area_m2=80)  # B, available
    approved = cooperative_services.create_application(
        actor=users("coop_a"), cooperative_id=cooperative_a.pk, data=application_data()
    )
    cooperative_services.submit_application(approved.pk, actor=users("coop_a"))
    cooperative_services.approve_application(
        approved.pk,
        actor=users("staff"),
        space_id=hall.pk,
        starts_on=date(2027, 1, 4),
        ends_on=date(2027, 12, 31),
        weekdays=0b1111111,  # every day: the hall is occupied
        note="Vu",
    )
    SpaceApplication.objects.filter(pk=approved.pk).update(
        submitted_at=timezone.now() - timedelta(days=4), decided_at=timezone.now()
    )
    cooperative_services.create_application(
        actor=users("coop_a"),
        cooperative_id=cooperative_a.pk,
        data=application_data(commune=commune_b),
    )
    return approved


def test_space_figures(world, commune_a):
    data = figures.spaces(figures.Scope())
    counts = dict(data["by_status"])
    assert sum(counts.values()) == 5
    # the hall in B became occupied with the approval: 2 available, 2 occupied
    assert data["in_catalogue"] == 4
    assert data["area"] == 100 + 200 + 50 + 80
    assert data["occupancy"] == 50


def test_figures_filtered_by_commune(world, commune_a):
    data = figures.spaces(figures.Scope(commune_id=commune_a.pk))
    assert (data["in_catalogue"], data["area"], data["occupancy"]) == (3, 350, 33)


def test_cooperative_and_application_figures(world):
    data = figures.cooperatives(figures.Scope())
    # cooperatives A and B, 10 women and 2 men each
    assert (data["verified"], data["women_members"], data["men_members"]) == (2, 20, 4)
    assert (data["beneficiaries"], data["women_beneficiaries"]) == (12, 10)
    applications = dict(figures.applications(figures.Scope())["by_status"])
    assert sum(applications.values()) == 2
    assert figures.median_days_to_decision(figures.Scope()) == pytest.approx(4.0, abs=0.01)


def test_the_median_of_an_even_count_is_the_mean_of_the_middle_two(
    world, users, cooperative_a, application_data
):
    second = cooperative_services.create_application(
        actor=users("coop_a"), cooperative_id=cooperative_a.pk, data=application_data()
    )
    SpaceApplication.objects.filter(pk=second.pk).update(
        submitted_at=timezone.now() - timedelta(days=10), decided_at=timezone.now()
    )
    assert figures.median_days_to_decision(figures.Scope()) == pytest.approx(7.0, abs=0.01)


def test_no_decision_gives_no_median():
    assert figures.median_days_to_decision(figures.Scope()) is None


def test_the_figures_page_shows_the_numbers_in_tables_in_both_languages(client, world):
    for lang, occupied in (("fr", "Occupé"), ("ar", "مشغول")):
        html = client.get(f"/{lang}/figures/").content.decode()
        assert '<svg class="chart__bar"' in html
        assert f'<th scope="row">{occupied}</th><td class="num">2</td>' in html


def test_the_figures_page_answers_in_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
):
    with django_assert_max_num_queries(28):
        client.get("/fr/figures/")


def test_bad_filters_are_explained_and_ignored(client, world):
    response = client.get("/fr/figures/", {"commune": "abc", "start": "hier"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert response.context["figures"]["spaces"]["in_catalogue"] == 4


def test_the_public_page_hides_what_the_catalogue_hides(client, client_as, world, commune_b):
    """Spaces still under review and person-level counts (apprentices, applications) are
    for the dashboard: filtered to one commune they could point at someone."""
    public = client.get(f"/fr/figures/?commune={commune_b.pk}")
    html = public.content.decode()
    assert "Proposé" not in html
    assert 'id="chart-apprentices"' not in html and 'id="chart-applications"' not in html
    dashboard = client_as("staff").get(f"/fr/figures/dashboard/?commune={commune_b.pk}")
    html = dashboard.content.decode()
    assert '<th scope="row">Proposé</th><td class="num">1</td>' in html
    assert 'id="chart-apprentices"' in html and 'id="chart-applications"' in html


def test_spaces_by_commune_most_first_and_within_the_province(world, commune_a, commune_b):
    data = figures.spaces(figures.Scope())
    # A: 2 available + 1 occupied; B: the hall, occupied by the approval (its proposal hidden)
    assert [(row["commune__name_fr"], row["n"]) for row in data["by_commune"]] == [
        (commune_a.name_fr, 3),
        (commune_b.name_fr, 1),
    ]
    data = figures.spaces(figures.Scope(province_id=commune_b.province_id))
    assert [row["n"] for row in data["by_commune"]] == [1]


def test_a_period_ending_before_it_starts_or_a_commune_elsewhere_is_explained(
    client_as, world, commune_a, commune_b
):
    client = client_as("staff")
    response = client.get("/fr/figures/dashboard/?start=2026-05-01&end=2026-01-01")
    assert "avant son début" in " ".join(response.context["form"].errors["end"])
    url = f"/fr/figures/dashboard/?province={commune_b.province_id}&commune={commune_a.pk}"
    response = client.get(url)
    assert commune_a.name_fr in " ".join(response.context["form"].errors["commune"])
    # The page then shows the whole region, and its export links carry no filter.
    assert response.context["export_query"] == ""
    assert 'export/spaces.csv"' in response.content.decode()


def test_export_links_carry_the_filters_that_can_be_read(client_as, world, commune_a):
    response = client_as("staff").get(f"/fr/figures/dashboard/?commune={commune_a.pk}&start=")
    assert response.context["export_query"] == f"commune={commune_a.pk}"
