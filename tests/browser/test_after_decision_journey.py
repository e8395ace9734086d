"""Acceptance of issue #13, as people would do it: staff approve a three-day request on one
day and are warned; the cooperative reads the space, days and period on its page and in its
e-mail; the shared hall stays in the catalogue with its free days; the cooperative files two
monthly reports from a 360 px phone; the figures page adds them up; a renewal is asked and
granted; an agreement that ends gives its days back to the catalogue."""

from datetime import date

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from cooperatives import services
from cooperatives.models import ActivityReport
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.on_day("2026-12-01")]

TEXT = {
    "ar": {"monday": "الاثنين", "free": "شاغر أيام", "file": "إيداع تقرير", "ask": "طلب التجديد"},
    "fr": {
        "monday": "lundi",
        "free": "Libre le",
        "file": "Déposer un rapport",
        "ask": "Demander un renouvellement",
    },
}


def log_out(page: Page):
    page.locator("header form button").click()


@pytest.fixture
def waiting(commune_a, application_data):
    """Cooperative A's application for three days a week, sent; its hall; staff."""
    factories.StaffFactory(username="staff")
    representative = factories.RepresentativeFactory(
        user__username="coop",
        user__email="coop@example.ma",
        status="verified",
        cooperative__commune=commune_a,
        cooperative__women_members=10,
        cooperative__men_members=2,
    )
    hall = factories.SpaceFactory(commune=commune_a, name="Foyer féminin d'Asrir")
    application = services.create_application(
        actor=representative.user,
        cooperative_id=representative.cooperative_id,
        data=application_data(days_per_week=3, space=hall, commune=None),
    )
    services.submit_application(application.pk, actor=representative.user)
    return application, hall, representative


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_an_approval_on_fewer_days_is_warned_and_told(page: Page, portal, log_in, waiting, lang):
    application, hall, representative = waiting
    representative.user.language = lang
    representative.user.save(update_fields=["language"])
    log_in(page, lang, "staff")
    page.goto(
        f"{portal}/{lang}/cooperatives/applications/{application.pk}/approve/?space={hall.pk}"
    )
    for box in page.locator("input[name=weekdays]").all():
        box.uncheck()
    page.locator("#id_weekdays_0").check()  # Monday only, for three days asked
    page.fill("#id_note", "Une seule journée libre pour l'instant.")
    page.locator("form.sectioned-form button[type=submit]").click()
    warning = page.locator("fieldset.gaps")
    expect(warning).to_be_visible()
    expect(warning.locator("li").first).to_contain_text("3")
    page.locator("#id_confirm_gaps").check()
    page.locator("form.sectioned-form button[type=submit]").click()
    expect(page.locator(".messages")).to_be_visible()
    log_out(page)

    told = [m for m in mail.outbox if m.to == ["coop@example.ma"]]
    message = told[-1]  # the approval (the start of the review was told before it)
    assert "Foyer féminin d'Asrir" in message.body
    assert TEXT[lang]["monday"] in message.body

    page.goto(f"{portal}/{lang}/spaces/?available_only=on")
    card = page.locator(".space-card", has_text="Foyer féminin d'Asrir")
    expect(card.locator(".free-days")).to_contain_text(TEXT[lang]["free"])

    log_in(page, lang, "coop")
    page.goto(f"{portal}/{lang}/cooperatives/applications/{application.pk}/")
    granted = page.locator("section.granted")
    expect(granted).to_contain_text("Foyer féminin d'Asrir")
    expect(granted).to_contain_text(TEXT[lang]["monday"])
    expect(granted).to_contain_text("2027")


def test_two_reports_from_a_phone_a_renewal_and_the_days_back(page: Page, portal, log_in, waiting):
    application, hall, representative = waiting
    staff = factories.StaffFactory(username="chef")
    services.approve_application(
        application.pk,
        actor=staff,
        space_id=hall.pk,
        starts_on=date(2026, 10, 1),
        ends_on=date(2026, 12, 31),
        weekdays=0b0000111,
        note="Salle prête",
    )
    application.refresh_from_db()
    # two other cooperatives of the commune report on the same months: the public may see
    # the commune's months (three cooperatives each)
    for income in (3000, 2000):
        other = factories.SpaceApplicationFactory(
            cooperative__commune=hall.commune,
            status="approved",
            allocation=factories.AllocationFactory(
                space=factories.SpaceFactory(commune=hall.commune)
            ),
        )
        for month in (10, 11):
            factories.ActivityReportFactory(
                application=other,
                period_start=date(2026, month, 1),
                period_end=date(2026, month, 28),
                income_mad=income,
            )

    page.set_viewport_size({"width": 360, "height": 780})
    log_in(page, "ar", "coop")
    for month, income in (("2026-10", "4200"), ("2026-11", "5300")):
        page.goto(f"{portal}/ar/cooperatives/applications/{application.pk}/")
        page.get_by_role("link", name=TEXT["ar"]["file"]).click()
        page.select_option("#id_period", month)
        page.fill("#id_income_mad", income)
        page.fill("#id_women_workers", "9")
        page.fill("#id_men_workers", "1")
        page.fill("#id_days_used", "10")
        page.fill("#id_products", "تسع زرابي")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.locator("main form button[type=submit]").click()
        expect(page.locator(".messages")).to_be_visible()
    assert sorted(r.income_mad for r in ActivityReport.objects.filter(application=application)) == [
        4200,
        5300,
    ]

    page.goto(f"{portal}/fr/figures/")
    total = 4200 + 5300 + 2 * (3000 + 2000)
    expect(page.locator("section.impact .figures li").first).to_contain_text(
        f"{total:,}".replace(",", "\u202f")
    )

    page.goto(f"{portal}/ar/cooperatives/applications/{application.pk}/")
    page.fill("#id_reason", "الطلبيات تتزايد")
    page.get_by_role("button", name=TEXT["ar"]["ask"]).click()
    expect(page.locator(".messages")).to_be_visible()
    log_out(page)

    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, "fr", "staff")
    page.goto(f"{portal}/fr/spaces/{hall.pk}/occupancy/")
    expect(page.locator("main")).to_contain_text("الطلبيات تتزايد")
    page.locator("summary", has_text="Renouveler").click()
    page.fill(f"#id_renew-{application.allocation_id}-ends_on", "2027-06-30")
    page.get_by_role("button", name="Renouveler la convention").click()
    expect(page.locator(".messages")).to_contain_text("renouvelée")

    # the agreement ends: its days come back to the catalogue
    page.locator("summary", has_text="Clôturer").first.click()
    page.get_by_role("button", name="Terminée (période échue)").click()
    page.goto(f"{portal}/fr/spaces/{hall.pk}/")
    expect(page.locator("main .free-days")).to_contain_text("Libre tous les jours")
