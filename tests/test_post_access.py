"""The access table of every URL that takes a POST (pretix's URL table, for writes): who gets
through, who is refused and how, and that a refused POST changes nothing.

A URL takes a POST when its view class has a `post` method it allows, or, for a function
view, when a POST is not answered 405; the table must name each of them
(test_every_url_that_takes_a_post_is_declared). The objects are tests/test_site.py's: commune
A's proposal, cooperative A and its draft, an open cohort and its applicant, an allocation.
"""

import pytest
from django.apps import apps
from django.db import transaction

from tests import test_site
from tests.conftest import ROLES
from tests.spaces.images import jpeg, pdf
from tests.test_site import EXPECT, url_for, url_patterns

objects = test_site.objects  # the fixture of the objects the URLs name

pytestmark = pytest.mark.on_day("2026-12-01")

STAFF = {"staff": 200, "superuser": 200}  # a staff form sent empty: shown again, with errors
THROUGH = {"staff": 302, "superuser": 302}  # a staff action done


# url name -> (status for most roles, exceptions by role). An empty body unless BODY says; a
# visitor is sent to log in (302). Another commune's or cooperative's object is a 404.
POST_TABLE = {
    "healthz": (200, {}),  # function views that answer a POST as a GET (read-only)
    "spaces:map-points": (200, {}),
    "portal:open-data-file": (200, {}),
    "spaces:photo-file": (404, {"president_a": 200, **STAFF}),
    "spaces:document-file": (404, {"president_a": 200, **STAFF}),
    "portal:login": (302, {"visitor": 200}),  # a logged-in person goes on to their account
    "portal:logout": (302, {}),
    "cooperatives:sign-up": (302, {"visitor": 200}),
    "programs:sign-up": (302, {"visitor": 200}),
    # spaces: commune A's proposal, its photo and document, an allocation of another space
    "spaces:propose": (403, {"visitor": 302, "president_a": 200, "president_b": 200}),
    "spaces:edit": (404, {"visitor": 302, "president_a": 200, **STAFF}),
    "spaces:withdraw": (403, {"visitor": 302, "president_a": 302, "president_b": 404}),
    "spaces:add-photo": (404, {"visitor": 302, "president_a": 302, **THROUGH}),
    "spaces:add-document": (404, {"visitor": 302, "president_a": 302, **THROUGH}),
    "spaces:set-cover": (403, {"visitor": 302, "president_a": 302, "president_b": 404, **THROUGH}),
    "spaces:delete-photo": (
        403,
        {"visitor": 302, "president_a": 302, "president_b": 404, **THROUGH},
    ),
    "spaces:delete-document": (
        403,
        {"visitor": 302, "president_a": 302, "president_b": 404, **THROUGH},
    ),
    "spaces:decide": (403, {"visitor": 302, **THROUGH}),
    "spaces:close-allocation": (403, {"visitor": 302, **THROUGH}),
    # a refusal sent without its reason: shown again, with the error
    "spaces:renew-allocation": (403, {"visitor": 302, "staff": 400, "superuser": 400}),
    "spaces:import": (403, {"visitor": 302, **STAFF}),
    # cooperatives: cooperative A (verified), its draft application, a pending representative
    "cooperatives:apply": (403, {"visitor": 302, "coop_a": 200, "coop_b": 200}),
    "cooperatives:edit": (403, {"visitor": 302, "coop_a": 200, **STAFF}),
    "cooperatives:edit-application": (404, {"visitor": 302, "coop_a": 200, **STAFF}),
    "cooperatives:application-action": (404, {"coop_a": 302, **THROUGH}),
    # application A has no agreement: its cooperative is told on the field (400)
    # password forms sent empty: shown again with their errors (an unknown link: its page)
    "portal:password-reset": (200, {}),
    "portal:password-reset-confirm": (200, {}),
    "portal:password-change": (200, {"visitor": 302}),
    # the person's own contact, saved as sent (nothing to refuse in an empty form)
    "portal:contact": (302, {}),
    "portal:phone-confirm": (302, {}),  # no number to confirm: back to the account
    "portal:phone-login": (200, {}),  # the number is asked again, with the error
    "portal:phone-login-code": (302, {}),
    "portal:phone-reset": (200, {}),
    "portal:phone-reset-code": (302, {}),
    "portal:notifications-read": (302, {}),
    "notification": (404, {"visitor": 302, "coop_a": 302}),
    "cooperatives:ask-renewal": (404, {"coop_a": 400, "staff": 400, "superuser": 400}),
    # space A is a proposal, out of the catalogue: not even said to exist to a cooperative
    "cooperatives:interest": (403, {"visitor": 302, "coop_a": 404, "coop_b": 404}),
    # a draft: its reports begin once approved (told so)
    "cooperatives:report": (404, {"visitor": 302, "coop_a": 302, "staff": 302, "superuser": 302}),
    "cooperatives:report-every": (403, {"visitor": 302, "staff": 400, "superuser": 400}),
    "cooperatives:apply-for": (403, {"visitor": 302, **STAFF}),
    "cooperatives:register": (403, {"visitor": 302, **STAFF}),
    "cooperatives:import": (403, {"visitor": 302, **STAFF}),
    "cooperatives:approve": (403, {"visitor": 302, **STAFF}),
    "cooperatives:decide-representative": (403, {"visitor": 302, **THROUGH}),
    "cooperatives:steer-plan": (403, {"visitor": 302, **THROUGH}),  # refused on the plan page
    "cooperatives:forget-plan": (403, {"visitor": 302, **THROUGH}),
    # programmes: an open cohort, which the apprentice applied to already (told so: 302)
    "programs:apply": (403, {"visitor": 302, "apprentice": 302}),
    "programs:host": (403, {"visitor": 302, **STAFF}),
    "programs:host-action": (403, {"visitor": 302, **STAFF}),
    "programs:enrolment-action": (403, {"visitor": 302, **THROUGH}),
    # the applicant's own enrolment, sent empty: told to choose, nothing changed
    "programs:answer-outcome": (403, {"visitor": 302, "apprentice": 302}),
}

# What a POST sends, when an empty one would not show the effect (built per request: files
# are read once).
BODY = {
    "spaces:add-photo": lambda objects: {"image": jpeg(), "caption": "Salle"},
    "spaces:add-document": lambda objects: {"file": pdf(), "title": "Plan 2"},
    "cooperatives:forget-plan": lambda objects: {"reason": "Plus d'actualité"},
}

# Roles whose POST changes the data (a row added, removed or changed); every other role's
# POST must leave it exactly as it was. (The photo is the cover already: set-cover changes
# nothing; the forms, sent empty, change nothing either: tests/fuzz sends them filled.)
PRESIDENT_AND_STAFF = {"president_a", "staff", "superuser"}
CHANGES = {
    # the notification opened, or all of them, are marked read
    "notification": {"coop_a"},
    "portal:notifications-read": {"coop_a"},
    "spaces:withdraw": {"president_a"},
    "spaces:add-photo": PRESIDENT_AND_STAFF,
    "spaces:add-document": PRESIDENT_AND_STAFF,
    "spaces:delete-photo": PRESIDENT_AND_STAFF,
    "spaces:delete-document": PRESIDENT_AND_STAFF,
    "spaces:decide": {"staff", "superuser"},  # the review starts
    "spaces:close-allocation": {"staff", "superuser"},
    "cooperatives:application-action": {"coop_a", "staff", "superuser"},  # sent
    "cooperatives:decide-representative": {"staff", "superuser"},
    "cooperatives:forget-plan": {"staff", "superuser"},
    "programs:enrolment-action": {"staff", "superuser"},  # accepted
}


def _class_takes_post(callback) -> bool | None:
    """For a class-based view: whether it allows POST and has a `post`; None otherwise."""
    view_class = getattr(callback, "view_class", None)
    if view_class is None:
        return None
    return "post" in view_class.http_method_names and hasattr(view_class, "post")


def _fingerprint(objects) -> dict:
    """Every row count of the portal's apps, and the stored values of the test objects."""
    counts = {
        model._meta.label: model._default_manager.count()
        for app in ("chamber", "spaces", "cooperatives", "programs")
        for model in apps.get_app_config(app).get_models()
    }
    rows = {
        key: list(type(obj)._default_manager.filter(pk=obj.pk).values())
        for key, obj in objects.items()
    }
    return {"counts": counts, "rows": rows}


@pytest.mark.django_db
def test_every_url_that_takes_a_post_is_declared(client_as, objects):
    superuser = client_as("superuser")
    takes_post = set()
    for name, callback in url_patterns():
        by_class = _class_takes_post(callback)
        if by_class is None:  # a function view: ask it
            with transaction.atomic():
                by_class = superuser.post(url_for(name, objects=objects)).status_code != 405
                transaction.set_rollback(True)
        if by_class:
            takes_post.add(name)
    assert takes_post == set(POST_TABLE)


def test_the_post_table_names_urls_of_the_access_table():
    assert set(POST_TABLE) <= set(EXPECT)
    assert set(CHANGES) <= set(POST_TABLE)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(POST_TABLE))
def test_post_access(name, client_as, users, objects):
    """Each role POSTs in turn, each POST undone before the next (a savepoint); the statuses
    of all roles are compared at once, as is who changed something."""
    default, special = POST_TABLE[name]
    url = url_for(name, objects=objects)
    for role in ROLES[1:]:
        users(role)  # every account exists before the first fingerprint
    before = _fingerprint(objects)
    statuses, changed = {}, set()
    for role in ROLES:
        client = client_as(role)
        with transaction.atomic():
            body = BODY[name](objects) if name in BODY else {}
            statuses[role] = client.post(url, body).status_code
            if _fingerprint(objects) != before:
                changed.add(role)
            transaction.set_rollback(True)
        client.logout()
    assert statuses == {role: special.get(role, default) for role in ROLES}
    assert changed == CHANGES.get(name, set())
