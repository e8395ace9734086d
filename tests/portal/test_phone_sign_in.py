"""The phone: confirmed with a code, then a way to sign in and to choose a new password by SMS.
Codes last ten minutes, work once, die after five wrong tries; sending is limited per number
and per address; no page tells whether a number has an account."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from chamber.models import User
from chamber.submissions import new_token
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.on_day("2026-12-01")]

NUMBER = "+212612345678"


def code_in(sms_outbox) -> str:
    return re.search(r"\d{6}", sms_outbox[-1].text).group()


@pytest.fixture
def salma(db):
    """A cooperative's representative without e-mail, her number confirmed."""
    return factories.UserFactory(
        username="salma", email="", phone=NUMBER, phone_verified=True, language="fr"
    )


def ask_sign_in_code(client, number="06 12 34 56 78"):
    return client.post("/fr/account/login/phone/", {"phone": number})


# --- confirming the number ------------------------------------------------------------------


def test_a_person_confirms_their_number_with_the_code_sent(client, sms_outbox):
    person = factories.UserFactory(email="", phone=NUMBER, language="fr")
    client.force_login(person)
    assert client.post("/fr/account/phone/", {"send": "1"}).status_code == 302
    [message] = sms_outbox
    assert message.to == NUMBER and "confirmer" in message.text
    wrong = client.post("/fr/account/phone/", {"code": "000000"})
    assert wrong.status_code == 400
    assert "4 essais" in wrong.content.decode() or "4 tries" in wrong.content.decode()
    assert client.post("/fr/account/phone/", {"code": code_in(sms_outbox)}).status_code == 302
    person.refresh_from_db()
    assert person.phone_verified


def test_five_wrong_tries_void_a_code(client, sms_outbox):
    person = factories.UserFactory(phone=NUMBER)
    client.force_login(person)
    client.post("/fr/account/phone/", {"send": "1"})
    code = code_in(sms_outbox)
    wrong = "111111" if code != "111111" else "222222"
    for _try in range(5):
        client.post("/fr/account/phone/", {"code": wrong})
    page = client.post("/fr/account/phone/", {"code": code})
    assert page.status_code == 400
    person.refresh_from_db()
    assert not person.phone_verified


def test_an_expired_code_is_said_to_be_expired(client, sms_outbox):
    person = factories.UserFactory(phone=NUMBER)
    client.force_login(person)
    client.post("/fr/account/phone/", {"send": "1"})
    code = code_in(sms_outbox)
    with time_machine.travel(timezone.localtime() + timedelta(minutes=11)):
        client.force_login(person)
        page = client.post("/fr/account/phone/", {"code": code})
    assert page.status_code == 400
    assert "10 minutes" in page.content.decode()
    person.refresh_from_db()
    assert not person.phone_verified


def test_a_number_another_account_confirmed_is_refused(client, sms_outbox, salma):
    person = factories.UserFactory(phone=NUMBER)
    client.force_login(person)
    client.post("/fr/account/phone/", {"send": "1"})
    page = client.post("/fr/account/phone/", {"code": code_in(sms_outbox)})
    assert page.status_code == 400
    person.refresh_from_db()
    assert not person.phone_verified


def test_a_new_number_must_be_confirmed_again(client, salma):
    client.force_login(salma)
    response = client.post("/fr/account/contact/", {"phone": "07 00 11 22 33", "notify_by": ""})
    assert response.status_code == 302 and response.url == "/fr/account/phone/"
    salma.refresh_from_db()
    assert salma.phone.as_e164 == "+212700112233" and not salma.phone_verified


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("abc", "06 12 34 56 78"),
        ("06123", "06 12 34 56 78"),
        ("+33 6 12 34 56 78", "marocains"),
        ("05 28 87 10 10", "mobile"),  # a fixed line receives no SMS
    ],
)
def test_a_phone_that_is_not_a_moroccan_mobile_is_refused_on_the_field(client, salma, typed, said):
    client.force_login(salma)
    page = client.post("/fr/account/contact/", {"phone": typed, "notify_by": ""})
    assert page.status_code == 200
    html = page.content.decode()
    assert said in html
    assert f'value="{typed}"' in html  # what was typed is kept
    salma.refresh_from_db()
    assert salma.phone.as_e164 == NUMBER


def test_sms_notifications_need_a_number(client):
    person = factories.UserFactory(phone="")
    client.force_login(person)
    page = client.post("/fr/account/contact/", {"phone": "", "notify_by": "sms"})
    assert page.status_code == 200
    person.refresh_from_db()
    assert person.notify_by == ""


# --- signing in with a code ------------------------------------------------------------------


def test_a_confirmed_number_signs_in_with_a_code(client, salma, sms_outbox):
    response = ask_sign_in_code(client)
    assert response.status_code == 302 and response.url == "/fr/account/login/phone/code/"
    [message] = sms_outbox
    assert message.to == NUMBER
    response = client.post("/fr/account/login/phone/code/", {"code": code_in(sms_outbox)})
    assert response.status_code == 302 and response.url == "/fr/account/"
    assert client.get("/fr/account/").context["user"] == salma


def test_an_unknown_number_is_answered_as_a_known_one_and_sent_nothing(client, salma, sms_outbox):
    known = ask_sign_in_code(client)
    other = ask_sign_in_code(client, "06 99 99 99 99")
    assert (known.status_code, known.url) == (other.status_code, other.url)
    assert len(sms_outbox) == 1  # only to the confirmed number
    page = client.get("/fr/account/login/phone/code/").content.decode()
    assert "Si" in page  # "if this number is an account's"
    refused = client.post("/fr/account/login/phone/code/", {"code": "123456"})
    assert refused.status_code == 200
    assert "ne fonctionne pas" in refused.content.decode() or "does not work" in (
        refused.content.decode()
    )


def test_an_unconfirmed_number_cannot_sign_in(client, sms_outbox):
    factories.UserFactory(phone=NUMBER, phone_verified=False)
    ask_sign_in_code(client)
    assert sms_outbox == []


def test_a_used_code_does_not_work_twice(client, salma, sms_outbox):
    ask_sign_in_code(client)
    code = code_in(sms_outbox)
    client.post("/fr/account/login/phone/code/", {"code": code})
    client.logout()
    ask_sign_in_code(client)
    sms_outbox.clear()
    page = client.post("/fr/account/login/phone/code/", {"code": code})
    assert page.status_code == 200  # refused: the first code was used, and a newer one voids it


def test_an_expired_code_does_not_sign_in(client, salma, sms_outbox):
    ask_sign_in_code(client)
    code = code_in(sms_outbox)
    with time_machine.travel(timezone.localtime() + timedelta(minutes=11)):
        page = client.post("/fr/account/login/phone/code/", {"code": code})
    assert page.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_malformed_code_is_said_on_the_field(client, salma):
    ask_sign_in_code(client)
    page = client.post("/fr/account/login/phone/code/", {"code": "12ab"})
    assert page.status_code == 200
    assert "six" in page.content.decode()


@pytest.mark.parametrize("typed", ["abc", "+33612345678", "", "0" * 40, "06\x0012"])
def test_a_bad_number_on_the_sign_in_page_is_said_on_the_field(client, typed, sms_outbox):
    page = client.post("/fr/account/login/phone/", {"phone": typed})
    assert page.status_code in (200, 400)
    assert sms_outbox == []


def test_guessing_codes_is_locked_out_by_axes(client, salma, sms_outbox):
    ask_sign_in_code(client)
    code = code_in(sms_outbox)
    wrong = "111111" if code != "111111" else "222222"
    statuses = [
        client.post("/fr/account/login/phone/code/", {"code": wrong}).status_code
        for _try in range(6)
    ]
    assert statuses[-1] == 429  # paused, as after five wrong passwords
    assert client.post("/fr/account/login/phone/code/", {"code": code}).status_code == 429


def test_codes_asked_for_one_number_are_limited(client, salma, sms_outbox, settings):
    for _time in range(settings.PHONE_CODES_PER_NUMBER):
        assert ask_sign_in_code(client).status_code == 302
    page = ask_sign_in_code(client)
    assert page.status_code == 200 and "Trop de codes" in page.content.decode()
    assert len(sms_outbox) == settings.PHONE_CODES_PER_NUMBER


def test_codes_asked_from_one_address_are_limited(client, sms_outbox, settings):
    settings.PHONE_CODES_PER_ADDRESS = 3
    numbers = [f"06 12 34 56 {n:02d}" for n in range(4)]
    statuses = [ask_sign_in_code(client, number).status_code for number in numbers]
    assert statuses == [302, 302, 302, 200]


def test_the_code_page_without_a_number_starts_again(client):
    assert client.get("/fr/account/login/phone/code/").url == "/fr/account/login/phone/"


def test_the_sign_in_goes_back_to_the_page_asked(client, salma, sms_outbox):
    client.post("/fr/account/login/phone/", {"phone": NUMBER, "next": "/fr/spaces/"})
    response = client.post(
        "/fr/account/login/phone/code/?next=/fr/spaces/", {"code": code_in(sms_outbox)}
    )
    assert response.url == "/fr/spaces/"


def test_the_sign_in_never_goes_to_another_site(client, salma, sms_outbox):
    client.post("/fr/account/login/phone/", {"phone": NUMBER})
    response = client.post(
        "/fr/account/login/phone/code/?next=https://evil.example/", {"code": code_in(sms_outbox)}
    )
    assert response.url == "/fr/account/"


# --- a new password by SMS --------------------------------------------------------------------


def test_a_forgotten_password_is_replaced_with_a_code(client, salma, sms_outbox):
    response = client.post("/fr/account/password-reset/phone/", {"phone": "0612345678"})
    assert response.url == "/fr/account/password-reset/phone/code/"
    assert "mot de passe" in sms_outbox[-1].text
    weak = client.post(
        "/fr/account/password-reset/phone/code/",
        {"code": code_in(sms_outbox), "new_password1": "salma", "new_password2": "salma"},
    )
    assert weak.status_code == 200  # the password rules, on the field; the code still works
    response = client.post(
        "/fr/account/password-reset/phone/code/",
        {
            "code": code_in(sms_outbox),
            "new_password1": "tissage-2027-Asrir",
            "new_password2": "tissage-2027-Asrir",
        },
    )
    assert response.url == "/fr/account/reset/done/"
    salma.refresh_from_db()
    assert salma.check_password("tissage-2027-Asrir")


def test_a_reset_for_an_unknown_number_changes_nothing_and_says_the_same(client, sms_outbox):
    response = client.post("/fr/account/password-reset/phone/", {"phone": "0612345678"})
    assert response.url == "/fr/account/password-reset/phone/code/"
    page = client.post(
        "/fr/account/password-reset/phone/code/",
        {"code": "123456", "new_password1": "x-Long-pass-9", "new_password2": "x-Long-pass-9"},
    )
    assert page.status_code == 200
    assert sms_outbox == []


# --- signing up with a phone, no e-mail ------------------------------------------------------


def _sign_up(client, **fields):
    data = {
        "form_token": new_token(),
        "first_name": "Fatima",
        "last_name": "Ait Lahcen",
        "email": "",
        "phone": "06 61 22 33 44",
        "language": "ar",
        "username": "fatima",
        "password1": "argan-2026-Tighmert",
        "password2": "argan-2026-Tighmert",
        "which": "new",
        "registration_number": "2019/0077",
        "name": "Coopérative Tighmert",
        "commune": factories.CommuneFactory().pk,
        **fields,
    }
    return client.post("/fr/cooperatives/join/", data)


def test_a_cooperative_signs_up_with_a_phone_and_no_e_mail(client):
    response = _sign_up(client)
    assert response.status_code == 302
    person = User.objects.get(username="fatima")
    assert (person.email, person.phone.as_e164, person.phone_verified) == (
        "",
        "+212661223344",
        False,
    )


def test_a_sign_up_needs_an_e_mail_or_a_phone(client):
    page = _sign_up(client, phone="")
    assert page.status_code == 200
    assert (
        "adresse e-mail ou un téléphone mobile" in page.content.decode()
        or "e-mail address or a mobile phone" in page.content.decode()
    )
    assert not User.objects.filter(username="fatima").exists()


# --- what the review of issue #14 found -------------------------------------------------------


def test_the_reset_page_says_nothing_of_an_account_before_its_code_is_given(client, salma):
    """A password like the account's e-mail is refused for its owner only: with a wrong code
    the answer is the same for a number with an account and one without."""
    salma.email = "salma.tighmert@example.org"
    salma.save(update_fields=["email"])
    answers = []
    for number in (NUMBER, "0699999999"):
        client.post("/fr/account/password-reset/phone/", {"phone": number})
        page = client.post(
            "/fr/account/password-reset/phone/code/",
            {
                "code": "123456",
                "new_password1": "salma.tighmert",
                "new_password2": "salma.tighmert",
            },
        )
        answers.append(page.context["form"].errors)
    assert answers[0] == answers[1]
    assert list(answers[0]) == ["code"]


def test_a_refused_new_password_leaves_the_code_for_the_next_try(client, salma, sms_outbox):
    client.post("/fr/account/password-reset/phone/", {"phone": NUMBER})
    code = code_in(sms_outbox)
    refused = client.post(
        "/fr/account/password-reset/phone/code/",
        {"code": code, "new_password1": "salma", "new_password2": "salma"},
    )
    assert "new_password1" in refused.context["form"].errors
    done = client.post(
        "/fr/account/password-reset/phone/code/",
        {"code": code, "new_password1": "Tighmert-2027!", "new_password2": "Tighmert-2027!"},
    )
    assert done.status_code == 302


def test_a_failing_gateway_is_not_said_on_the_pages_without_an_account(client, salma, settings):
    settings.SMS_BACKEND = "tests.portal.test_phone_sign_in.Refusing"
    known = client.post("/fr/account/login/phone/", {"phone": NUMBER}, follow=True)
    unknown = client.post("/fr/account/login/phone/", {"phone": "0699999999"}, follow=True)
    assert [str(m) for m in known.context["messages"]] == []
    assert [str(m) for m in unknown.context["messages"]] == []


class Refusing:
    def send(self, message):
        raise ConnectionError("gateway down")


def test_staff_never_sign_in_with_a_code(client, sms_outbox):
    factories.StaffFactory(phone=NUMBER, phone_verified=True)
    ask_sign_in_code(client)
    page = client.post("/fr/account/login/phone/code/", {"code": code_in(sms_outbox)})
    assert page.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_code_typed_in_arabic_digits_is_the_same_code(client, salma, sms_outbox):
    ask_sign_in_code(client)
    arabic = "".join("٠١٢٣٤٥٦٧٨٩"[int(d)] for d in code_in(sms_outbox))
    response = client.post("/fr/account/login/phone/code/", {"code": arabic})
    assert response.status_code == 302


def test_a_moroccan_number_replaces_a_foreign_one_that_reads_the_same(client):
    person = factories.UserFactory(phone="+33612345678")
    client.force_login(person)
    client.post("/fr/account/contact/", {"phone": "06 12 34 56 78", "notify_by": ""})
    person.refresh_from_db()
    assert person.phone.as_e164 == NUMBER


def test_a_number_saved_before_it_was_checked_is_corrected_before_a_code_is_sent(
    client, sms_outbox
):
    person = factories.UserFactory()
    User.objects.filter(pk=person.pk).update(phone="abc 06")
    client.force_login(person)
    response = client.post("/fr/account/phone/", {"send": "1"})
    assert response.url == "/fr/account/contact/"
    assert sms_outbox == []


def test_no_code_is_sent_while_the_cache_does_not_answer(client, salma, sms_outbox, monkeypatch):
    from django.core.cache import cache

    def down(*args, **kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr(cache, "add", down)
    page = ask_sign_in_code(client)
    assert page.status_code == 200
    assert sms_outbox == []


def test_the_page_asked_survives_its_own_query_string(client, salma, sms_outbox):
    client.post("/fr/account/login/phone/", {"phone": NUMBER, "next": "/fr/spaces/?commune=3&x=1"})
    response = client.post(
        "/fr/account/login/phone/code/?next=%2Ffr%2Fspaces%2F%3Fcommune%3D3%26x%3D1",
        {"code": code_in(sms_outbox)},
    )
    assert response.url == "/fr/spaces/?commune=3&x=1"


def test_staff_cannot_confirm_a_number_in_the_administration(client):
    staff = factories.StaffFactory()
    person = factories.UserFactory(phone=NUMBER, phone_verified=True)
    client.force_login(staff)
    page = client.get(f"/fr/admin/chamber/user/{person.pk}/change/")
    assert 'name="phone_verified"' not in page.content.decode()
