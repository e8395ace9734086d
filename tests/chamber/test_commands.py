from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from chamber.models import Role, User
from cooperatives.models import Cooperative
from portal.demo import DEMO_PASSWORD
from spaces.models import Space


@pytest.fixture
def seeded(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())


def test_the_demo_has_one_account_per_role_with_the_demo_password(seeded):
    expected = {
        "staff": Role.STAFF,
        "president": Role.PRESIDENT,
        "president2": Role.PRESIDENT,
        "coop": Role.COOPERATIVE,
        "coop2": Role.COOPERATIVE,
        "apprentice": Role.APPRENTICE,
    }
    for username, role in expected.items():
        user = User.objects.get(username=username)
        assert user.role == role
        assert user.check_password(DEMO_PASSWORD)
    assert User.objects.get(username="staff").is_staff


def test_the_two_demo_presidents_are_in_different_provinces(seeded):
    president = User.objects.get(username="president")
    president2 = User.objects.get(username="president2")
    assert president.commune.province.code == "guelmim"
    assert president2.commune.province != president.commune.province


def test_the_two_demo_representatives_speak_for_two_cooperatives(seeded):
    coop = User.objects.get(username="coop").representation.cooperative
    coop2 = User.objects.get(username="coop2").representation.cooperative
    assert coop != coop2


def test_the_demo_fills_spaces_and_cooperatives_in_several_provinces(seeded):
    assert Space.objects.values("commune__province").distinct().count() >= 2
    assert Space.objects.filter(status="available").exists()
    assert Cooperative.objects.filter(verified=True).count() >= 2


def test_seeding_twice_changes_nothing(seeded):
    before = (User.objects.count(), Space.objects.count(), Cooperative.objects.count())
    staff = User.objects.get(username="staff")
    staff.set_password("changed-by-its-owner")
    staff.save()
    call_command("seed_demo", stdout=StringIO())
    assert (User.objects.count(), Space.objects.count(), Cooperative.objects.count()) == before
    assert User.objects.get(username="staff").check_password("changed-by-its-owner")


@pytest.mark.django_db
def test_seeding_is_refused_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not User.objects.filter(username="staff").exists()


@pytest.mark.django_db
def test_the_reference_command_reports_that_nothing_changed(capsys):
    call_command("load_reference_data")
    out = capsys.readouterr().out
    assert "Commune: 0 created, 0 updated, 53 unchanged" in out
