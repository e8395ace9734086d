import csv

import pytest

from chamber.models import Commune, Craft, Province
from chamber.reference import DATA_DIR, load_reference_data


def _csv(name):
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.django_db
def test_a_fresh_database_holds_the_four_provinces_with_their_communes():
    expected = {row["code"]: int(row["communes"]) for row in _csv("provinces.csv")}
    assert Province.objects.count() == 4
    assert {p.code: p.communes.count() for p in Province.objects.all()} == expected
    assert Commune.objects.count() == sum(expected.values()) == 53


@pytest.mark.django_db
def test_every_commune_has_its_arabic_and_french_name():
    assert not Commune.objects.filter(name_ar="").exists()
    assert not Commune.objects.filter(name_fr="").exists()
    assert Commune.objects.get(official_code="10.261.01.03").name_ar == "كلميم"


@pytest.mark.django_db
def test_every_craft_of_the_nomenclature_is_loaded():
    rows = _csv("crafts.csv")
    assert Craft.objects.count() == len(rows) == 54
    endangered = sum(row["endangered"] == "yes" for row in rows)
    assert Craft.objects.filter(endangered=True).count() == endangered


@pytest.mark.django_db
def test_loading_the_reference_data_twice_changes_nothing():
    report = load_reference_data(Province, Commune, Craft)
    assert report.created == {}
    assert report.updated == {}
    assert report.unchanged == {"Province": 4, "Commune": 53, "Craft": 54}


@pytest.mark.django_db
def test_loading_restores_a_name_changed_by_hand_and_nothing_else():
    Commune.objects.filter(official_code="10.521.01.03").update(name_ar="خطأ")
    report = load_reference_data(Province, Commune, Craft)
    assert report.updated == {"Commune": 1}
    assert Commune.objects.get(official_code="10.521.01.03").name_ar == "الوطية"


@pytest.mark.django_db
def test_name_follows_the_active_language():
    from django.utils import translation

    guelmim = Province.objects.get(code="guelmim")
    with translation.override("ar"):
        assert str(guelmim) == "كلميم"
    with translation.override("fr"):
        assert str(guelmim) == "Guelmim"
