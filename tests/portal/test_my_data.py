"""A person downloads what the portal holds about them (law 09-08, the right of access)."""

import json

import pytest
from axes.models import AccessLog

from programs import services as program_services

pytestmark = [pytest.mark.on_day("2026-12-01"), pytest.mark.django_db]
URL = "/fr/account/my-data.json"


def download(client) -> dict:
    return json.loads(client.get(URL).content.decode("utf-8"))


def test_the_download_is_a_json_attachment_nobody_stores(client_as):
    response = client_as("apprentice").get(URL)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="my-data-')
    assert "no-store" in response["Cache-Control"]


def test_the_account_page_links_to_the_download(client_as):
    assert URL in client_as("coop_a").get("/fr/account/").content.decode()


def test_the_download_holds_the_account_but_never_the_password(client_as, users):
    data = download(client_as("president_a"))
    account = data["chamber"]["account"]
    assert account["username"] == "president_a"
    assert account["role"] == "president"
    assert account["commune"]["name_fr"] == users("president_a").commune.name_fr
    assert "password" not in json.dumps(data)
    assert users("president_a").password not in json.dumps(data)


def test_arabic_is_written_as_it_is(client_as):
    body = client_as("president_a").get(URL).content.decode("utf-8")
    assert "\\u06" not in body  # ensure_ascii off: names in Arabic stay readable
    assert "أسرير" in body or "اسرير" in body


def test_an_apprentice_gets_their_profile_enrolments_and_history(client_as, young, cohort):
    person = young(age=18)
    program_services.apply_to_cohort(cohort.pk, actor=person)
    client = client_as("visitor")
    client.force_login(person)
    programs = download(client)["programs"]
    assert programs["apprentice"]["school_level"] == "primary_6"
    assert [e["cohort"] for e in programs["enrolments"]] == [cohort.pk]
    assert [h["to_status"] for h in programs["enrolment_history"]] == ["applied"]
    assert programs["acts"]["enrolmentstatuschange"][0]["to_status"] == "applied"


def test_a_representative_gets_their_cooperative_link_and_applications(
    client_as, cooperative_a, application_a
):
    cooperatives = download(client_as("coop_a"))["cooperatives"]
    assert cooperatives["representation"]["cooperative"] == cooperative_a.pk
    assert cooperatives["representation"]["status"] == "verified"
    assert [a["id"] for a in cooperatives["applications"]] == [application_a.pk]
    assert cooperatives["applications"][0]["description"] == application_a.description


def test_a_president_gets_the_spaces_they_proposed(client_as, space_a):
    spaces = download(client_as("president_a"))["spaces"]
    assert [s["name"] for s in spaces["proposed_spaces"]] == ["Foyer A"]
    assert len(spaces["uploaded_photos"]) == 1


def test_nobody_gets_another_persons_data(client_as, application_a, space_a):
    data = download(client_as("coop_b"))
    assert data["cooperatives"]["applications"] == []
    assert data["spaces"]["proposed_spaces"] == []
    assert data["programs"]["apprentice"] is None


def test_the_download_lists_the_persons_logins(client_as, users):
    AccessLog.objects.create(username="coop_a", user_agent="Firefox", ip_address="10.0.0.7")
    AccessLog.objects.create(username="coop_b", user_agent="Chrome", ip_address="10.0.0.8")
    addresses = {
        login["ip_address"] for login in download(client_as("coop_a"))["chamber"]["logins"]
    }
    assert "10.0.0.7" in addresses
    assert "10.0.0.8" not in addresses
