"""The income the activities bring (issue #13): every figure summed by the database from the
activity reports, the same queries whatever their number, and never one cooperative's income
on a public page or in open data (sums over fewer than three cooperatives are hidden)."""

import json
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal import figures
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.on_day("2026-12-01")]


def activity(commune, income, *, months=(1,), women=5, craft=None):
    """A cooperative of `commune` with an agreement there and one report per month given."""
    cooperative = factories.CooperativeFactory(commune=commune)
    allocation = factories.AllocationFactory(space=factories.SpaceFactory(commune=commune))
    extra = {"craft": craft} if craft else {}
    application = factories.SpaceApplicationFactory(
        cooperative=cooperative, status="approved", allocation=allocation, **extra
    )
    for month in months:
        factories.ActivityReportFactory(
            application=application,
            period_start=date(2027, month, 1),
            period_end=date(2027, month, 28),
            income_mad=income,
            women_workers=women,
        )
    return application


def test_the_income_total_is_the_sum_of_the_reports(commune_a):
    for income in (4000, 5500, 2500):
        activity(commune_a, income, months=(1, 2))
    data = figures.impact(figures.Scope(), public=True)
    assert data["income"] == 2 * (4000 + 5500 + 2500)
    assert (data["cooperatives"], data["reports"]) == (3, 6)
    assert data["women"] == 15  # five in each one's latest report


def test_the_figures_page_shows_the_income_total_in_both_languages(client, commune_a):
    for income in (4000, 5500, 2500):
        activity(commune_a, income)
    html = client.get("/fr/figures/").content.decode()
    assert "12\u202f000 MAD" in html or "12\xa0000 MAD" in html or "12 000 MAD" in html
    html = client.get("/ar/figures/").content.decode()
    assert 'id="chart-income-communes"' in html


def test_a_commune_with_fewer_than_three_cooperatives_is_not_shown_to_the_public(
    client, client_as, commune_a, commune_b
):
    for income in (4000, 5500, 2500):
        activity(commune_a, income)
    activity(commune_b, 99999)
    data = figures.impact(figures.Scope(), public=True)
    assert [g["income"] for g in data["by_commune"]] == [12000]
    assert data["income"] == 12000  # B's month is left out of every public sum
    html = client.get(f"/fr/figures/?commune={commune_b.pk}").content.decode()
    assert "99\u202f999" not in html and "99 999" not in html and "99\xa0999" not in html
    assert "Trop peu de coopératives" in html
    staff = client_as("staff").get("/fr/figures/dashboard/").content.decode()
    assert "99\u202f999" in staff or "99 999" in staff or "99\xa0999" in staff


def test_one_cooperative_over_three_months_is_not_three_cooperatives(commune_a, commune_b):
    """A cooperative reporting alone in January to March is one cooperative, not three: its
    months are never shown together as if they were three cooperatives'."""
    activity(commune_b, 1000, months=(1, 2, 3))
    for income in (100, 200, 300):
        activity(commune_a, income, months=(4,))
    data = figures.impact(figures.Scope(), public=True)
    assert data["income"] == 600
    assert [g["key"] for g in data["by_month"]] == [date(2027, 4, 1)]


def test_subtracting_a_commune_from_its_province_gives_only_whole_cells(commune_a, reference_data):
    from chamber.models import Commune

    neighbour = Commune.objects.filter(province=commune_a.province).exclude(pk=commune_a.pk)[0]
    for income in (100, 200, 300):
        activity(commune_a, income)
    activity(neighbour, 5000)  # alone in its commune
    province = figures.impact(figures.Scope(province_id=commune_a.province_id), public=True)
    commune = figures.impact(figures.Scope(commune_id=commune_a.pk), public=True)
    assert province["income"] - commune["income"] == 0


def test_communes_with_three_cooperatives_each_are_shown(commune_a, commune_b):
    for commune in (commune_a, commune_b):
        for income in (1000, 2000, 3000):
            activity(commune, income)
    data = figures.impact(figures.Scope(), public=True)
    assert sorted(group["income"] for group in data["by_commune"]) == [6000, 6000]


def test_the_days_used_per_day_given_and_reports_on_time(commune_a):
    application = activity(commune_a, 1000)
    report = application.reports.get()
    report.filed_late = True
    report.save()
    activity(commune_a, 1000)
    data = figures.impact(figures.Scope(), public=False)
    assert data["occupancy"] == round(100 * 20 / 26)  # 10 of 13 days, twice
    assert (data["on_time"], data["reports"]) == (1, 2)


def test_floor_area_in_use_by_weekday(commune_a):
    space = factories.SpaceFactory(commune=commune_a, floor_area_m2=120)
    factories.AllocationFactory(
        space=space, starts_on=date(2026, 11, 1), ends_on=date(2027, 6, 30), weekdays=0b101
    )
    assert figures.area_by_weekday(figures.Scope()) == [120, 0, 120, 0, 0, 0, 0]


def test_the_income_figures_cost_the_same_queries_for_one_report_or_many(commune_a, commune_b):
    for income in (1000, 2000, 3000):  # one cell the public may see
        activity(commune_a, income)

    def count():
        with CaptureQueriesContext(connection) as queries:
            figures.impact(figures.Scope(), public=True)
        return len(queries)

    few = count()
    for income in range(40):
        activity(commune_b if income % 2 else commune_a, income, months=(1, 2, 3))
    assert count() == few


def test_open_data_publishes_income_by_commune_only_for_three_cooperatives(
    client, commune_a, commune_b
):
    for income in (1000, 2000, 3000):
        activity(commune_a, income)
    activity(commune_b, 77777)
    rows = json.loads(client.get("/fr/open-data/activity_income.json").content)["results"]
    assert [(row["commune_code"], row["month"], row["income_mad"]) for row in rows] == [
        (commune_a.official_code, "2027-01", 6000)
    ]
