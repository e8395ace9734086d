"""The fuzz suite's shared pieces: one hypothesis profile, a count of the generated cases,
and the objects the forms choose from (spaces, cooperatives, an application, a cohort).

The profile is repeatable (derandomize: CI throws the same cases every run) and has no
deadline (the first example of a test pays for the database's warm-up). Function-scoped
fixtures are set up once per test, not per example: the examples only read the database,
or write inside a savepoint that is rolled back (see `rolled_back`).
"""

from collections import Counter
from contextlib import contextmanager

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings

settings.register_profile(
    "fuzz",
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)

# Generated cases thrown so far in this session, by kind ("form", "filter", "get", "post").
CASES: Counter = Counter()


def fuzz_settings(max_examples: int) -> settings:
    return settings(settings.get_profile("fuzz"), max_examples=max_examples)


@contextmanager
def rolled_back():
    """Whatever the block writes is undone, so that each example starts from the same data."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def pytest_terminal_summary(terminalreporter):
    if CASES:
        parts = ", ".join(f"{kind} {count}" for kind, count in sorted(CASES.items()))
        terminalreporter.write_line(f"fuzz: {sum(CASES.values())} generated cases ({parts})")


@pytest.fixture
def world(space_a, cooperative_a, cooperative_b, application_a, cohort, users, commune_a, settings):
    """The objects of commune and cooperative A that forms and filters pick from, plus an
    available space, a roadmap action, a pending representative and a submitted application,
    so that every choice list has something real in it."""
    from tests import factories

    # A login or a sign-up hashes a password: the fast hasher, or each case would take 0.3 s.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    hall = factories.SpaceFactory(commune=commune_a, name="Salle disponible")
    hall.crafts.set(space_a.crafts.all()[:1])
    submitted = factories.SpaceApplicationFactory(
        cooperative=cooperative_b, commune=commune_a, status="submitted"
    )
    return {
        "space": space_a,
        "hall": hall,
        "cooperative": cooperative_a,
        "application": application_a,
        "submitted": submitted,
        "cohort": cohort,
        "action": factories.SafeguardingActionFactory(
            programme=cohort.programme, craft=cohort.craft, title="Exposition"
        ),
        "roadmap_action": factories.RoadmapActionFactory(commune=commune_a),
        "representative": factories.RepresentativeFactory(status="pending"),
        "users": users,
    }
