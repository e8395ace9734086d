"""Acceptance of the cooperatives issue, as people would do it: a person signs up as the
representative of a new cooperative, staff verify it, the representative applies for a space
seen in the catalogue, staff reject it with a reason, the representative reads the reason and
applies again — the representative in one language, the staff in the other."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests import factories

pytestmark = pytest.mark.browser

TEXT = {
    "ar": {
        "send_request": "إرسال طلبي",
        "new": "جديدة على البوابة: أسجلها",
        "apply_here": "طلب هذا الفضاء",
        "save_draft": "حفظ المسودة",
        "send": "إرسال إلى الغرفة",
        "again": "إعادة الطلب بنفس الأجوبة",
        "sent": "تم إرسال الطلب إلى الغرفة",
    },
    "fr": {
        "send_request": "Envoyer ma demande",
        "new": "est nouvelle sur le portail : je l’enregistre",
        "apply_here": "Demander cet espace",
        "save_draft": "Enregistrer le brouillon",
        "send": "Envoyer à la chambre",
        "again": "Redemander avec les mêmes réponses",
        "sent": "La demande est envoyée à la chambre",
    },
}
STAFF_TEXT = {
    "fr": {"verify": "Vérifier", "start": "Commencer l'examen", "reject": "Refuser"},
    "ar": {"verify": "تحقق", "start": "بدء الدراسة", "reject": "رفض"},
}


def log_out(page: Page):
    page.locator("header form button").click()


@pytest.mark.parametrize(("lang", "staff_lang"), [("ar", "fr"), ("fr", "ar")])
def test_sign_up_verify_apply_rejected_read_the_reason_apply_again(
    page: Page, portal, log_in, reference_data, lang, staff_lang
):
    factories.StaffFactory(username="staff")
    space = factories.SpaceFactory(
        name="Foyer féminin d'Asrir", commune=factories.commune("10.261.05.05")
    )
    text, staff_text = TEXT[lang], STAFF_TEXT[staff_lang]

    # A person asks to represent a new cooperative.
    page.goto(f"{portal}/{lang}/cooperatives/join/")
    for field, value in {
        "#id_first_name": "Fatima",
        "#id_last_name": "Oubella",
        "#id_email": "f@example.org",
        "#id_username": "fatima",
        "#id_password1": "a-long-password-2026",
        "#id_password2": "a-long-password-2026",
        "#id_registration_number": "2025/0099",
        "#id_name": "Coopérative Tafoukt",
        "#id_women_members": "14",
        "#id_men_members": "1",
    }.items():
        page.fill(field, value)
    page.get_by_label(text["new"]).check()
    page.select_option("#id_commune", label="Asrir" if lang == "fr" else "أسرير")
    page.get_by_role("button", name=text["send_request"]).click()
    expect(page).to_have_url(f"{portal}/{lang}/cooperatives/mine/")
    log_out(page)

    # Staff verify the request.
    log_in(page, staff_lang, "staff")
    page.goto(f"{portal}/{staff_lang}/cooperatives/staff/representatives/")
    page.get_by_role("button", name=staff_text["verify"], exact=True).click()
    log_out(page)

    # The representative applies for a space seen in the catalogue.
    log_in(page, lang, "fatima", "a-long-password-2026")
    page.goto(f"{portal}/{lang}/spaces/")
    page.get_by_role("link", name="Foyer féminin d'Asrir").click()
    page.get_by_role("link", name=text["apply_here"]).click()
    expect(page.locator("#id_space")).to_have_value(str(space.pk))
    page.select_option("#id_craft", index=3)
    page.fill("#id_description", "Tissage de tapis.")
    page.fill("#id_beneficiaries", "12")
    page.fill("#id_women_beneficiaries", "12")
    page.fill("#id_days_per_week", "3")
    page.fill("#id_starts_on", (timezone.localdate() + timedelta(days=20)).isoformat())
    page.fill("#id_duration_months", "12")
    page.get_by_role("button", name=text["save_draft"]).click()
    page.get_by_role("button", name=text["send"]).click()
    expect(page.locator(".messages")).to_contain_text(text["sent"])
    application_url = page.url
    log_out(page)

    # Staff review it and reject it with a reason.
    log_in(page, staff_lang, "staff")
    page.goto(application_url.replace(f"/{lang}/", f"/{staff_lang}/"))
    page.get_by_role("button", name=staff_text["start"]).click()
    page.fill("#id_note", "Le foyer est réservé le mardi : demandez 3 autres jours.")
    page.get_by_role("button", name=staff_text["reject"], exact=True).click()
    log_out(page)

    # The representative reads the reason and applies again, changing nothing else.
    log_in(page, lang, "fatima", "a-long-password-2026")
    page.goto(f"{portal}/{lang}/cooperatives/mine/")
    expect(page.locator("main")).to_contain_text("Le foyer est réservé le mardi")
    page.goto(application_url)
    page.get_by_role("button", name=text["again"]).click()
    page.get_by_role("button", name=text["save_draft"]).click()
    page.get_by_role("button", name=text["send"]).click()
    expect(page.locator(".messages")).to_contain_text(text["sent"])
