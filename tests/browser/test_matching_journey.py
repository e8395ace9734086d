"""Acceptance of the matching issue, as staff would do it: open an application, see the
ranked spaces with their reasons, approve the best; the shared hall then shows the days it
has left in the catalogue (issue #13) and the application as approved on the cooperative's
page."""

import pytest
from playwright.sync_api import Page, expect

from cooperatives import services
from tests import factories

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_staff_approve_the_best_ranked_space(
    page: Page, portal, log_in, commune_a, commune_b, application_data, lang
):
    factories.StaffFactory(username="staff")
    representative = factories.RepresentativeFactory(
        user__username="coop", status="verified", cooperative__commune=commune_a
    )
    best = factories.SpaceFactory(commune=commune_a, name="Foyer féminin d'Asrir")
    factories.SpaceFactory(commune=commune_b, name="Maison des jeunes")
    application = services.create_application(
        actor=representative.user,
        cooperative_id=representative.cooperative_id,
        data=application_data(beneficiaries=15, women_beneficiaries=15),
    )
    services.submit_application(application.pk, actor=representative.user)

    log_in(page, lang, "staff")
    page.goto(f"{portal}/{lang}/cooperatives/staff/applications/")
    page.locator("table a").first.click()
    page.locator("a.button[href$='/match/']").click()
    first = page.locator(".ranking__item").first
    expect(first.locator("h2")).to_contain_text("Foyer féminin d'Asrir")
    expect(first.locator("table.components tbody tr")).to_have_count(6)
    first.locator("a.button").click()
    expect(page.locator("#id_space")).to_have_value(str(best.pk))
    page.fill("#id_note", "Le meilleur score : même commune, prêt à l'emploi.")
    page.locator("form.sectioned-form button[type=submit]").click()
    expect(page.locator(".messages")).to_be_visible()
    page.locator("header form button").click()

    for catalogue_lang in ("ar", "fr"):
        page.goto(f"{portal}/{catalogue_lang}/spaces/")
        card = page.locator(".space-card", has_text="Foyer féminin d'Asrir")
        # three days given of seven: still available, on the four others
        expect(card.locator(".badge--available")).to_be_visible()
        expect(card.locator(".free-days")).not_to_be_empty()

    log_in(page, lang, "coop")
    page.goto(f"{portal}/{lang}/cooperatives/mine/")
    expect(page.locator("main .badge--approved")).to_be_visible()
