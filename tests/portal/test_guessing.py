"""Password guessing is bounded (issue #12): per name and address, per address across names,
and a pause is not made longer by trying during it; the person is told when it ends."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.on_day("2026-12-01")]


def log_in(client, username, password=factories.PASSWORD, page="/fr/account/login/"):
    return client.post(page, {"username": username, "password": password})


@pytest.mark.parametrize("login_page", ["/fr/account/login/", "/fr/admin/login/"])
def test_a_user_name_too_long_for_any_account_is_explained_on_the_field(client, login_page):
    response = log_in(client, "a" * 300, "x", page=login_page)
    assert response.status_code == 200
    assert response.context["form"].errors["username"]


def test_trying_again_during_a_pause_does_not_make_it_longer(client, users):
    users("president_a")
    start = timezone.now()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "president_a", "guess")
    with time_machine.travel(start + timedelta(minutes=10), tick=False):
        assert log_in(client, "president_a").status_code == 429
        assert log_in(client, "president_a", "guess").status_code == 429
    with time_machine.travel(start + settings.AXES_COOLOFF_TIME + timedelta(minutes=1)):
        response = log_in(client, "president_a")
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_an_address_guessing_across_many_names_is_paused(client, db):
    limit = settings.AXES_ADDRESS_FAILURE_LIMIT
    per_name = settings.AXES_FAILURE_LIMIT - 1  # never enough to lock one name
    names = [f"name{n}" for n in range(limit // per_name + 1)]
    refused = 0
    for name in names:
        for _attempt in range(per_name):
            refused += log_in(client, name, "guess").status_code == 429
    assert refused > 0
    factories.UserFactory(username="innocent")
    assert log_in(client, "innocent").status_code == 429
    from django.test import Client

    elsewhere = Client(REMOTE_ADDR="10.1.2.3")
    assert log_in(elsewhere, "innocent").status_code == 302


def test_the_pause_page_says_when_it_ends(client, users):
    users("president_a")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "president_a", "guess")
    response = log_in(client, "president_a")
    ends = timezone.localtime(timezone.now() + settings.AXES_COOLOFF_TIME)
    html = response.content.decode()
    assert response.status_code == 429
    assert f"à {ends:%H:%M}" in html or f"à {(ends - timedelta(minutes=1)):%H:%M}" in html
    assert "dans 15 minutes" in html


def test_behind_the_proxy_each_visitor_is_counted_by_their_own_address(client, settings, db):
    settings.BEHIND_PROXY = True
    factories.UserFactory(username="innocent")
    per_name = settings.AXES_FAILURE_LIMIT - 1
    for n in range(settings.AXES_ADDRESS_FAILURE_LIMIT // per_name + 1):
        for _attempt in range(per_name):
            client.post(
                "/fr/account/login/",
                {"username": f"name{n}", "password": "guess"},
                REMOTE_ADDR="127.0.0.1",
                # what the visitor sends, then what the proxy adds: only the latter counts
                HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 203.0.113.7",
            )
    guesser = client.post(
        "/fr/account/login/",
        {"username": "innocent", "password": factories.PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert guesser.status_code == 429
    from django.test import Client

    neighbour = Client().post(
        "/fr/account/login/",
        {"username": "innocent", "password": factories.PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.20",
    )
    assert neighbour.status_code == 302


def test_trying_during_an_address_pause_does_not_make_it_longer(client, db):
    factories.UserFactory(username="innocent")
    start = timezone.now()
    per_name = settings.AXES_FAILURE_LIMIT - 1
    for n in range(settings.AXES_ADDRESS_FAILURE_LIMIT // per_name + 1):
        for _attempt in range(per_name):
            log_in(client, f"name{n}", "guess")
    with time_machine.travel(start + timedelta(minutes=10), tick=False):
        assert log_in(client, "another", "guess").status_code == 429
        assert log_in(client, "innocent").status_code == 429
    with time_machine.travel(start + settings.AXES_COOLOFF_TIME + timedelta(minutes=1)):
        assert log_in(client, "innocent").status_code == 302
