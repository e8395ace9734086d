"""The administration's lists answer any filter in their address without a server error
(issue #12: a year of 20 digits, a NUL byte in a filter value)."""

import pytest
from django.contrib import admin
from django.urls import get_resolver

from chamber.admin import CheckedChangeList

pytestmark = pytest.mark.on_day("2026-12-01")

LISTS = sorted(f"{m._meta.app_label}/{m._meta.model_name}" for m in admin.site._registry)


def test_every_admin_list_checks_its_filters():
    assert get_resolver().url_patterns  # loading the site's URLs checks the other apps' lists
    assert all(
        model_admin.get_changelist(None) is CheckedChangeList
        for model_admin in admin.site._registry.values()
    )


IMPOSSIBLE = [
    "created_at__year=99999999999999999999",
    "created_at__year=2026&created_at__month=99999999999999999999",
    "created_at__year=2026&created_at__month=1&created_at__day=99999999999999999999",
    "starts_on__year=99999999999999999999",
    "attempt_time__year=99999999999999999999",
    "id__in=",
    "p=99999999999999999999",
    "o=99999999999999999999",
]


@pytest.mark.parametrize("model", LISTS)
def test_an_impossible_filter_is_refused_with_the_list_again(client_as, model, space_a):
    client = client_as("superuser")
    for query in IMPOSSIBLE:
        response = client.get(f"/fr/admin/{model}/?{query}")
        assert response.status_code in (200, 302), query
        if response.status_code == 302:
            assert response.url.endswith("?e=1"), query


@pytest.mark.parametrize("query", ["status=a%00b", "status__exact=%00", "q=%00", "a%00=1"])
def test_a_nul_byte_in_a_filter_is_a_bad_request(client_as, query):
    response = client_as("superuser").get(f"/fr/admin/spaces/space/?{query}")
    assert response.status_code == 400
    assert '<html lang="fr"' in response.content.decode()
    assert "400.html" in [template.name for template in response.templates]


@pytest.mark.parametrize("model", LISTS)
@pytest.mark.parametrize("selected", ["1\x00", "abc", "9" * 30])
def test_an_action_on_rows_that_cannot_exist_is_refused_with_a_message(client_as, model, selected):
    response = client_as("superuser").post(
        f"/fr/admin/{model}/",
        {"action": "delete_selected", "_selected_action": [selected], "index": "0"},
    )
    # the list again (an admin without that action), or back to it with the message
    assert response.status_code in (200, 302)
