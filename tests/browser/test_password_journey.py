"""Acceptance of issue #14's first part, as people would do it: a commune president (in
Arabic) and an apprentice (in French) forget their password, ask for a link from the login
page, choose a new password and log in with it."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from tests import factories

pytestmark = pytest.mark.browser

TEXT = {
    "ar": {
        "forgot": "نسيتم كلمة المرور؟",
        "send": "إرسال الرابط",
        "save": "حفظ كلمة المرور الجديدة",
    },
    "fr": {
        "forgot": "Mot de passe oublié ?",
        "send": "Envoyer le lien",
        "save": "Enregistrer le nouveau mot de passe",
    },
}


@pytest.mark.parametrize(("lang", "role"), [("ar", "president"), ("fr", "apprentice")])
def test_a_forgotten_password_is_recovered_from_the_login_page(
    page: Page, portal, log_in, commune_a, lang, role
):
    if role == "president":
        person = factories.PresidentFactory(
            username="rais", email="rais@asrir.ma", commune=commune_a
        )
    else:
        person = factories.UserFactory(
            username="youssef", email="youssef@example.ma", role="apprentice"
        )
    text = TEXT[lang]
    page.goto(f"{portal}/{lang}/account/login/")
    page.get_by_role("link", name=text["forgot"]).click()
    page.fill("#id_email", person.email)
    page.get_by_role("button", name=text["send"]).click()
    expect(page).to_have_url(re.compile(r"/account/password-reset/sent/$"))
    [message] = mail.outbox
    link = re.search(r"https?://[^/]+(/\S+/reset/\S+/)", message.body).group(1)
    page.goto(f"{portal}{link}")
    page.fill("#id_new_password1", "khaima-tighmert-2027")
    page.fill("#id_new_password2", "khaima-tighmert-2027")
    page.get_by_role("button", name=text["save"]).click()
    expect(page).to_have_url(re.compile(r"/account/reset/done/$"))
    log_in(page, lang, person.username, "khaima-tighmert-2027")
    expect(page).to_have_url(re.compile(rf"/{lang}/account/$"))
