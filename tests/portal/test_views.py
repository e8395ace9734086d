from unittest import mock

import pytest
from django.conf import settings

from chamber.models import Craft, CraftFamily
from tests import factories


def log_in(client, username, password=factories.PASSWORD, page="/fr/account/login/"):
    """Sends the login form of `page` (the portal's unless it names the admin's)."""
    return client.post(page, {"username": username, "password": password})


@pytest.mark.django_db
def test_the_root_sends_a_visitor_to_the_arabic_home_page(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == "/ar/"


@pytest.mark.django_db
def test_a_french_browser_is_sent_to_the_french_home_page(client):
    response = client.get("/", headers={"accept-language": "fr-FR,fr;q=0.9"})
    assert response.url == "/fr/"


@pytest.mark.django_db
def test_the_home_page_counts_what_the_portal_holds(client):
    factories.SpaceFactory.create_batch(3)
    factories.SpaceFactory(status="proposed")
    factories.CooperativeFactory(verified=True)
    factories.CooperativeFactory(verified=False)
    response = client.get("/fr/")
    assert response.context["figures"] == {
        "communes": 53,
        "provinces": 4,
        "available_spaces": 3,
        "verified_cooperatives": 1,
    }


@pytest.mark.django_db
def test_an_unknown_language_prefix_is_a_404_page_in_arabic(client):
    response = client.get("/en/region/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "الصفحة غير موجودة" in html


@pytest.mark.django_db
def test_the_404_page_offers_the_other_language_home(client):
    response = client.get("/fr/no-such-page/")
    assert response.status_code == 404
    assert 'href="/ar/"' in response.content.decode()


@pytest.mark.django_db
def test_the_language_switch_leads_to_the_same_page_in_the_other_language(client):
    response = client.get("/ar/crafts/?family=leather")
    links = {link["code"]: link for link in response.context["language_links"]}
    assert links["fr"]["url"] == "/fr/crafts/?family=leather"
    assert links["ar"]["current"]


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_does_not(client):
    with mock.patch("portal.views.connection.cursor", side_effect=Exception("down")):
        response = client.get("/healthz")
    assert response.status_code == 503


@pytest.mark.django_db
def test_the_crafts_filter_by_family(client):
    response = client.get("/fr/crafts/", {"family": CraftFamily.LEATHER})
    crafts = list(response.context["object_list"])
    assert crafts
    assert {craft.family for craft in crafts} == {CraftFamily.LEATHER}
    assert len(crafts) == Craft.objects.filter(family=CraftFamily.LEATHER).count()


@pytest.mark.django_db
def test_the_crafts_filter_keeps_the_endangered_only(client):
    response = client.get("/fr/crafts/", {"endangered": "on"})
    assert len(response.context["object_list"]) == Craft.objects.filter(endangered=True).count()


@pytest.mark.django_db
def test_an_unknown_family_is_explained_on_its_field_and_ignored(client):
    response = client.get("/fr/crafts/", {"family": "plutonium"})
    assert response.status_code == 200
    assert "family" in response.context["filter"].form.errors
    assert len(response.context["object_list"]) == Craft.objects.count()


@pytest.mark.django_db
def test_the_region_page_reads_the_region_in_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        response = client.get("/fr/region/")
    assert response.status_code == 200
    assert "Al Mahbass" in response.content.decode()


@pytest.mark.django_db
def test_population_is_grouped_by_thousands_with_a_space_in_both_languages(client):
    assert "126\xa0729" in client.get("/fr/region/").content.decode()
    assert "126\xa0729" in client.get("/ar/region/").content.decode()


@pytest.mark.django_db
def test_the_account_page_asks_a_visitor_to_log_in(client):
    response = client.get("/fr/account/")
    assert response.status_code == 302
    assert response.url.startswith("/fr/account/login/")


@pytest.mark.django_db
def test_the_account_page_shows_a_representative_their_cooperative(client_as):
    response = client_as("coop_a").get("/fr/account/")
    assert response.context["representation"].cooperative.name == "Coopérative A"


@pytest.mark.django_db
def test_a_wrong_password_is_explained_and_the_user_name_kept(client, users):
    users("president_a")
    response = log_in(client, "president_a", "wrong")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="president_a"' in html
    assert response.context["form"].non_field_errors()


@pytest.mark.django_db
def test_staff_sessions_are_shorter_than_the_others(client, users):
    users("staff")
    log_in(client, "staff")
    assert client.session.get_expiry_age() == settings.STAFF_SESSION_AGE


@pytest.mark.django_db
def test_other_sessions_keep_the_default_length(client, users):
    users("president_a")
    log_in(client, "president_a")
    assert "_auth_user_id" in client.session
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


@pytest.mark.django_db
def test_logging_out_takes_a_post(client_as):
    client = client_as("coop_a")
    response = client.post("/fr/account/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_staff_logging_in_through_the_admin_also_get_a_short_session(client, users):
    users("staff")
    log_in(client, "staff", page="/fr/admin/login/")
    assert "_auth_user_id" in client.session
    assert client.session.get_expiry_age() == settings.STAFF_SESSION_AGE


@pytest.mark.django_db
def test_guessing_passwords_is_stopped_after_five_attempts(client, users):
    users("president_a")
    for _attempt in range(5):
        log_in(client, "president_a", "guess")
    response = log_in(client, "president_a")
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_lock_out_concerns_one_user_name_only(client, users):
    users("president_a")
    users("president_b")
    for _attempt in range(5):
        log_in(client, "president_a", "guess")
    response = log_in(client, "president_b")
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_refused_form_gets_the_portals_own_page_in_its_language(users):
    from django.test import Client

    response = log_in(Client(enforce_csrf_checks=True), "x", "y", page="/ar/account/login/")
    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert 'class="language-switch"' in html


@pytest.mark.django_db
def test_a_craft_without_an_arabic_name_is_marked_as_french(client):
    html = client.get("/ar/crafts/").content.decode()
    assert '<th scope="row" lang="fr">Cuir excisé' in html
