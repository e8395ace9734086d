"""Acceptance of the programmes issue, as people would do it: a 17-year-old applies to an
open cohort and is accepted, a 31-year-old is refused with the reason; staff complete the
cohort and print the certificate; the programme's "apprentices trained" goes up by one."""

import pytest
from playwright.sync_api import Page, expect

from tests import factories

pytestmark = pytest.mark.browser


def trained(page: Page, portal: str, lang: str) -> int:
    page.goto(f"{portal}/{lang}/programmes/apprenticeship/")
    row = page.locator("main table tbody tr").first
    return int(row.locator("td").first.inner_text())


@pytest.mark.parametrize(("lang", "refusal"), [("ar", "31"), ("fr", "31 ans")])
def test_apply_accept_refuse_complete_certify(
    page: Page, portal, log_in, cohort, young, lang, refusal
):
    factories.StaffFactory(username="staff")
    seventeen, thirty_one = young(age=17), young(age=31)
    before = trained(page, portal, lang)

    log_in(page, lang, thirty_one.username)
    page.goto(f"{portal}/{lang}/programmes/cohorts/{cohort.pk}/")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text(refusal)
    page.locator("header form button").click()

    log_in(page, lang, seventeen.username)
    page.goto(f"{portal}/{lang}/programmes/cohorts/{cohort.pk}/")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{portal}/{lang}/programmes/mine/")
    page.locator("header form button").click()

    log_in(page, lang, "staff")
    page.goto(f"{portal}/{lang}/programmes/cohorts/{cohort.pk}/")
    page.locator("button[formaction$='/accept/']").click()
    expect(page.locator(".messages .message--success")).to_be_visible()
    from datetime import timedelta

    from django.utils import timezone

    from programs.models import Cohort

    Cohort.objects.filter(pk=cohort.pk).update(  # the eleven months of training pass
        starts_on=timezone.localdate() - timedelta(days=340),
        ends_on=timezone.localdate() - timedelta(days=1),
    )
    for step in ("start", "complete"):
        page.goto(f"{portal}/{lang}/programmes/cohorts/{cohort.pk}/")
        page.locator(f"button[formaction$='/{step}/']").click()
        expect(page.locator(".messages .message--success")).to_be_visible()
    page.goto(f"{portal}/{lang}/programmes/cohorts/{cohort.pk}/")
    page.locator("a[href$='/certificate/']").click()
    expect(page.locator(".certificate h1")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    page.emulate_media(media="screen")

    assert trained(page, portal, lang) == before + 1


@pytest.mark.parametrize(("lang", "late"), [("ar", "متأخر"), ("fr", "En retard")])
def test_the_roadmap_page_in_both_languages(page: Page, portal, commune_a, lang, late):
    from datetime import timedelta

    from django.utils import timezone

    from programs.models import Partner, RoadmapAction

    RoadmapAction.objects.create(
        title="Rénover le toit",
        commune=commune_a,
        responsible=Partner.objects.get(code="chamber"),
        due_on=timezone.localdate() - timedelta(days=3),
        status="in_progress",
        progress=40,
    )
    page.goto(f"{portal}/{lang}/programmes/roadmap/")
    expect(page.locator(".roadmap-action--late")).to_contain_text(late)
    expect(page.locator(".roadmap-commune h3")).to_contain_text("40")
