import csv
import json
from io import StringIO

import pytest

from portal import datasets
from tests import factories

pytestmark = pytest.mark.django_db

# The published schema: a change here is a change for every reuser (see portal/datasets.py).
SCHEMA = {
    "spaces": [
        "id",
        "name",
        "commune_code",
        "commune_name_ar",
        "commune_name_fr",
        "province_code",
        "kind",
        "status",
        "floor_area_m2",
        "capacity",
        "condition",
        "utilities",
        "crafts",
        "latitude",
        "longitude",
        "free_weekdays",
        "next_free_day",
    ],
    "cooperatives": [
        "registration_number",
        "name",
        "commune_code",
        "province_code",
        "founded_year",
        "women_members",
        "men_members",
        "members_under_30",
        "women_led",
        "crafts",
    ],
    "programmes": [
        "programme",
        "programme_name_ar",
        "programme_name_fr",
        "indicator",
        "target",
        "achieved",
    ],
    "roadmap": [
        "id",
        "title",
        "commune_code",
        "programme",
        "responsible",
        "due_on",
        "status",
        "progress",
        "late",
    ],
    "activity_income": [
        "commune_code",
        "commune_name_ar",
        "commune_name_fr",
        "province_code",
        "month",
        "cooperatives",
        "reports",
        "income_mad",
        "days_used",
        "days_given",
    ],
}


def test_the_schema_is_stable():
    assert {name: [f[0] for f in d.fields] for name, d in datasets.published().items()} == SCHEMA


def test_no_personal_data_is_published():
    published = {field for fields in SCHEMA.values() for field in fields}
    assert not published & {"phone", "email", "contact_phone", "contact_email", "birth_date"}


def test_spaces_json_lists_public_spaces_only_with_the_licence(client, commune_a):
    factories.SpaceFactory(commune=commune_a, name="Publique", latitude="28.8", longitude="-10.1")
    factories.SpaceFactory(commune=commune_a, name="Proposée", status="proposed")
    data = json.loads(client.get("/fr/open-data/spaces.json").content)
    assert [r["name"] for r in data["results"]] == ["Publique"]
    assert list(data["results"][0]) == SCHEMA["spaces"]
    assert data["results"][0]["commune_name_ar"] == "أسرير"
    assert "CC BY 4.0" in data["licence"]


def test_cooperatives_are_published_without_their_contact(client, cooperative_a):
    factories.CooperativeFactory(verified=False, name="Pas encore")
    from cooperatives.models import Cooperative

    Cooperative.objects.filter(pk=cooperative_a.pk).update(phone="+212 699 999 999")
    response = client.get("/fr/open-data/cooperatives.json")
    assert "699" not in response.content.decode()
    assert [r["name"] for r in response.json()["results"]] == ["Coopérative A"]


def test_large_datasets_are_paginated(client, commune_a, settings, monkeypatch):
    monkeypatch.setattr(datasets, "PAGE_SIZE", 2)
    factories.SpaceFactory.create_batch(5, commune=commune_a)
    first = client.get("/fr/open-data/spaces.json").json()
    assert (first["count"], first["pages"], len(first["results"])) == (5, 3, 2)
    assert first["next"].endswith("/fr/open-data/spaces.json?page=2")
    assert first["previous"] is None
    last = client.get("/fr/open-data/spaces.json?page=3").json()
    assert (len(last["results"]), last["next"]) == (1, None)
    assert last["previous"].endswith("/fr/open-data/spaces.json?page=2")
    for number, expected in (("0", 1), ("-1", 1), ("x", 1), ("99", 3)):
        assert client.get(f"/fr/open-data/spaces.json?page={number}").json()["page"] == expected


def test_csv_has_the_schema_as_header(client, commune_a):
    factories.SpaceFactory(commune=commune_a)
    rows = list(csv.reader(StringIO(client.get("/fr/open-data/spaces.csv").content.decode())))
    assert rows[0] == SCHEMA["spaces"]
    assert len(rows) == 2


def test_programme_figures_are_published(client):
    results = client.get("/fr/open-data/programmes.json").json()["results"]
    assert {r["indicator"] for r in results} >= {"apprentices_trained", "crafts_documented"}


def test_the_open_data_page_documents_every_field(client):
    html = client.get("/ar/open-data/").content.decode()
    for fields in SCHEMA.values():
        for field in fields:
            assert f'<code dir="ltr">{field}</code>' in html


def test_an_unknown_dataset_is_a_404(client):
    assert client.get("/fr/open-data/users.json").status_code == 404
