"""Acceptance of issue #14, as people would do it: a cooperative's representative without
e-mail confirms her phone and logs in with a code sent by SMS (in Arabic); an apprentice is
accepted by the staff and finds the news in the portal and in the (console) SMS (in French)."""

import re

import pytest
from playwright.sync_api import Page, expect

from chamber import sms
from programs.models import Apprentice
from tests import factories

pytestmark = pytest.mark.browser


def last_code() -> str:
    return re.search(r"\d{6}", sms.outbox[-1].text).group()


def test_a_cooperative_without_e_mail_confirms_her_phone_and_logs_in_with_a_code(
    page: Page, portal, log_in, cooperative_a
):
    person = factories.UserFactory(
        username="fatima", email="", phone="+212661223344", role="cooperative", language="ar"
    )
    factories.RepresentativeFactory(user=person, cooperative=cooperative_a, status="verified")
    log_in(page, "ar", "fatima")
    page.goto(f"{portal}/ar/account/")
    page.get_by_role("link", name="لم يُؤكَّد بعد: أكّدوه").click()
    page.get_by_role("button", name="أرسلوا لي رمزًا").click()
    expect(page.locator(".messages")).to_contain_text("الرمز في الطريق")
    [message] = sms.outbox
    assert message.to == "+212661223344"
    page.fill("#id_code", "000000" if last_code() != "000000" else "111111")
    page.get_by_role("button", name="تأكيد الرقم").click()
    expect(page.locator(".field__errors")).to_contain_text("محاولات")  # tries left, on the field
    page.fill("#id_code", last_code())
    page.get_by_role("button", name="تأكيد الرقم").click()
    expect(page.locator(".messages")).to_contain_text("تم تأكيد رقمكم")
    page.locator("header form button").click()  # log out

    page.goto(f"{portal}/ar/account/login/")
    page.get_by_role("link", name="الدخول برمز عبر رسالة نصية").click()
    page.fill("#id_phone", "06 61 22 33 44")
    page.get_by_role("button", name="إرسال الرمز").click()
    expect(page).to_have_url(re.compile(r"/ar/account/login/phone/code/$"))
    page.fill("#id_code", last_code())
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(f"{portal}/ar/account/")
    expect(page.locator("main")).to_contain_text("fatima")


def test_an_accepted_apprentice_is_told_in_the_portal_and_by_sms(
    page: Page, portal, log_in, cohort, commune_a, settings, capsys
):
    settings.SMS_BACKEND = "chamber.sms.ConsoleBackend"
    factories.StaffFactory(username="staff")
    young = factories.UserFactory(
        username="youssef",
        role="apprentice",
        email="",
        phone="+212612345678",
        phone_verified=True,
        language="fr",
    )
    Apprentice.objects.create(
        user=young,
        birth_date=cohort.starts_on.replace(year=cohort.starts_on.year - 19),
        school_level="primary_6",
        commune=commune_a,
    )
    log_in(page, "fr", "youssef")
    page.goto(f"{portal}/fr/programmes/cohorts/{cohort.pk}/")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{portal}/fr/programmes/mine/")
    page.locator("header form button").click()

    log_in(page, "fr", "staff")
    page.goto(f"{portal}/fr/programmes/cohorts/{cohort.pk}/")
    page.locator("button[formaction$='/accept/']").click()
    expect(page.locator(".messages .message--success")).to_be_visible()
    printed = capsys.readouterr().out
    assert "SMS to +212612345678" in printed
    assert "accepté en apprentissage." in printed  # ê is not in the GSM alphabet: e
    short = re.search(r"(/n/\d+)", printed).group(1)
    page.locator("header form button").click()

    log_in(page, "fr", "youssef")
    expect(page.locator(".site-header .badge")).to_contain_text("1")
    page.get_by_role("link", name=re.compile("Notifications")).click()
    expect(page.locator(".notification--unread")).to_contain_text("accepté")
    page.locator(".notification a").first.click()
    expect(page).to_have_url(re.compile(r"/fr/programmes/enrolments/\d+/$"))
    page.goto(f"{portal}{short}")  # the SMS's link opens the same page
    expect(page).to_have_url(re.compile(r"/fr/programmes/enrolments/\d+/$"))
    page.goto(f"{portal}/fr/account/notifications/")
    expect(page.locator(".notification--unread")).to_have_count(0)
