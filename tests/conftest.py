"""Shared fixtures: communes and cooperatives A and B, and a logged-in client for each role.

Commune A is Asrir (Guelmim province), commune B is El Ouatia (Tan-Tan province): real
communes, loaded by the reference-data migration.
"""

import os
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.utils import translation

from tests import factories

ROLES = [
    "visitor",
    "apprentice",
    "coop_a",
    "coop_b",
    "president_a",
    "president_b",
    "staff",
    "superuser",
]

COMMUNE_A = "10.261.05.05"  # Asrir, Guelmim
COMMUNE_B = "10.521.01.03"  # El Ouatia, Tan-Tan

ROOT = Path(__file__).resolve().parents[1]


def pytest_sessionstart(session):
    """The README's test command (`make test`) compiles the catalogues first; a bare `pytest`
    on a fresh clone would fail every test that reads a translation. Say so in one line."""
    stale = [
        po.relative_to(ROOT).as_posix()
        for po in sorted((ROOT / "locale").glob("*/LC_MESSAGES/django.po"))
        if not po.with_suffix(".mo").is_file()
        or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
    if stale:
        pytest.exit(
            f"The translations are not compiled ({', '.join(stale)}): run the tests with "
            "`make test` (README), which compiles them, installs what the tests need and "
            "sets DEBUG=true.",
            returncode=4,
        )


# Playwright's sync API runs an event loop in the test thread; Django would then refuse
# database access from that thread, which the live-server tests need for their set-up.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def on_day(request):
    """A test that names fixed dates says on which day it runs (`@pytest.mark.on_day(
    "2026-12-01")`): time starts at 10:00 that day in Morocco and runs on, so the calendar
    never decides whether the test passes. Autouse, so it comes before every other fixture."""
    marker = request.node.get_closest_marker("on_day")
    if marker is None:
        yield None
        return
    day = date.fromisoformat(marker.args[0])
    moment = datetime.combine(day, time(10), tzinfo=ZoneInfo(settings.TIME_ZONE))
    with time_machine.travel(moment, tick=True):
        yield day


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language: a request's language must not leak into the
    next test through the thread."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def reference_data(db):
    """The region and crafts. Loaded by migration, but tests that run in transactions empty
    the database after themselves, so the next one loads them again (idempotent)."""
    from chamber.models import Commune, Craft, Province
    from chamber.reference import load_reference_data

    if not Commune.objects.exists():
        load_reference_data(Province, Commune, Craft)
    from programs.models import Objective, Partner, Programme
    from programs.reference import ensure_programmes

    if not Programme.objects.exists():
        ensure_programmes(Partner, Programme, Objective)


@pytest.fixture(autouse=True)
def reference_data_for_every_database_test(request):
    """A test that runs in a transaction (the browser tests, the concurrency tests) empties
    the database after itself, reference data included, and pytest may order any test after
    it: every database test starts with the region and crafts, as a new database has them."""
    if request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(
        request.fixturenames
    ):
        request.getfixturevalue("reference_data")


@pytest.fixture
def commune_a(reference_data):
    return factories.commune(COMMUNE_A)


@pytest.fixture
def commune_b(reference_data):
    return factories.commune(COMMUNE_B)


@pytest.fixture
def cooperative_a(commune_a):
    return factories.CooperativeFactory(commune=commune_a, name="Coopérative A")


@pytest.fixture
def cooperative_b(commune_b):
    return factories.CooperativeFactory(commune=commune_b, name="Coopérative B")


@pytest.fixture
def users(db, commune_a, commune_b, cooperative_a, cooperative_b):
    """One account per role, created lazily so that tests only pay for what they use."""
    made = {}

    def make(role):
        if role in made:
            return made[role]
        if role == "apprentice":
            user = factories.ApprenticeFactory(username="apprentice")
        elif role in ("coop_a", "coop_b"):
            cooperative = cooperative_a if role == "coop_a" else cooperative_b
            user = factories.RepresentativeFactory(
                user__username=role, cooperative=cooperative, status="verified"
            ).user
        elif role == "president_a":
            user = factories.PresidentFactory(username=role, commune=commune_a)
        elif role == "president_b":
            user = factories.PresidentFactory(username=role, commune=commune_b)
        elif role == "staff":
            user = factories.StaffFactory(username="staff")
        elif role == "superuser":
            user = factories.UserFactory(username="root", is_staff=True, is_superuser=True)
        else:
            raise ValueError(role)
        made[role] = user
        return user

    return make


@pytest.fixture
def client_as(client, users):
    """`client_as("president_a")` is a test client logged in as that role ("visitor": none)."""

    def login(role):
        if role != "visitor":
            client.force_login(users(role))
        return client

    return login


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    """SMS are kept in chamber.sms.outbox (emptied for each test), as mail in mail.outbox;
    the cache, which counts the codes asked per number and address, starts empty."""
    from django.core.cache import cache

    from chamber import outbox, sms

    settings.SMS_BACKEND = "chamber.sms.MemoryBackend"
    sms.outbox.clear()
    cache.clear()
    outbox._broker_down_until = 0.0  # a broker "down" in one test is not in the next
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads of each test go to a folder of their own, removed afterwards."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def space_a(users, commune_a):
    """A proposal of commune A by its president, with a photo and a document."""
    from spaces import services
    from tests.spaces.images import jpeg, pdf

    president = users("president_a")
    space = factories.SpaceFactory(
        commune=commune_a, status="proposed", proposed_by=president, name="Foyer A"
    )
    services.add_photo(space.pk, actor=president, upload=jpeg(), caption="Façade")
    services.add_document(space.pk, actor=president, upload=pdf(), title="Plan")
    return space


# Staff give a space to cooperative A's activity, Monday to Wednesday, through 2027.
ALLOCATION = {
    "starts_on": date(2027, 1, 4),
    "ends_on": date(2027, 12, 31),
    "weekdays": 0b0000111,
    "purpose": "cooperative_activity",
    "holder": "Coopérative A",
}


@pytest.fixture
def allocation_of(users):
    """`allocation_of(space, holder="Cohorte")`: staff allocate the space on the terms of
    ALLOCATION, changed by the keywords. Its dates are fixed: the test carries `on_day`."""
    from spaces import services

    def allocate(space, **changes):
        terms = {**ALLOCATION, **changes}
        return services.allocate_space(space.pk, actor=users("staff"), **terms)

    return allocate


APPLICATION = {
    "craft_code": "tissage-tapis",
    "description": "Tissage de tapis.",
    "beneficiaries": 12,
    "women_beneficiaries": 10,
    "days_per_week": 3,
    "duration_months": 12,
}


@pytest.fixture
def application_data(commune_a):
    """What a cooperative asks for, as services take it (a start in 30 days)."""
    from datetime import timedelta

    from django.utils import timezone

    from chamber.models import Craft

    def make(**changes):
        data = {k: v for k, v in APPLICATION.items() if k != "craft_code"}
        data.update(
            craft=Craft.objects.get(code=APPLICATION["craft_code"]),
            commune=commune_a,
            starts_on=timezone.localdate() + timedelta(days=30),
        )
        data.update(changes)
        return data

    return make


@pytest.fixture
def application_a(users, cooperative_a, application_data):
    """A draft application of cooperative A, by its representative."""
    from cooperatives import services

    return services.create_application(
        actor=users("coop_a"), cooperative_id=cooperative_a.pk, data=application_data()
    )


@pytest.fixture
def cohort(reference_data, commune_a):
    """An open cohort of the apprenticeship programme, starting in 60 days, 2 seats."""
    from datetime import timedelta

    from django.utils import timezone

    from chamber.models import Craft
    from programs.models import Cohort, MasterArtisan, Programme

    master = MasterArtisan.objects.create(
        name="Maâlema Aicha", commune=commune_a, phone="+212600000611"
    )
    start = timezone.localdate() + timedelta(days=60)
    return Cohort.objects.create(
        programme=Programme.objects.get(code="apprenticeship"),
        craft=Craft.objects.get(code="tissage-tentes"),
        master=master,
        starts_on=start,
        ends_on=start + timedelta(days=330),
        seats=2,
        certificate="specialisation",
    )


@pytest.fixture
def young(users, commune_a):
    """`young(age=17, level="primary_6")`: an apprentice account aged `age` at the cohort's
    start (60 days from today)."""
    from datetime import timedelta

    from django.utils import timezone

    from programs.models import Apprentice

    made = {"n": 0}

    def make(age=17, level="primary_6", woman=False, days_after_birthday=10):
        made["n"] += 1
        start = timezone.localdate() + timedelta(days=60)
        # the birthday `age` years before the start (the 28th at most: no 29 February)
        birthday = start.replace(year=start.year - age, day=min(start.day, 28))
        birthday -= timedelta(days=days_after_birthday)
        user = factories.ApprenticeFactory(username=f"young{made['n']}")
        Apprentice.objects.create(
            user=user, birth_date=birthday, school_level=level, commune=commune_a, woman=woman
        )
        return user

    return make
