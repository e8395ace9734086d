"""Generated query strings and form bodies sent through Django's test client, logged in as
the role each page is for: whatever is sent, the answer is never a server error (< 500).

Fewer cases than tests/fuzz/test_forms.py (a request renders a whole page), but they go
through everything the forms do not: the views, pagination, templates, the middleware.
"""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from chamber.submissions import TOKEN_FIELD, new_token
from tests.fuzz import test_forms
from tests.fuzz.conftest import CASES, fuzz_settings, rolled_back
from tests.fuzz.strategies import OMIT, TEXT, field_values, hostile, uploads

GET_EXAMPLES = 15
POST_EXAMPLES = 12


def _form_fields(class_name, world, way=0):
    """The request keys and fields of a form or filter of the portal, built as its view
    builds it (tests/fuzz/test_forms.py BUILDERS)."""
    cls = next(c for c in test_forms.CLASSES if test_forms._name(c) == class_name)
    keywords = test_forms._ways(cls, world)[way]
    return test_forms._fields(test_forms._build(cls, keywords))


def _login_fields(world):
    from django.contrib.auth.forms import AuthenticationForm

    return list(AuthenticationForm().fields.items())


PAGE = ("page", None)  # pagination, as the list pages read it

# url name, its kwargs from the world, role, where its query's fields come from
GET_PAGES = [
    ("spaces:catalogue", {}, "visitor", "spaces.filters.SpaceFilter"),
    ("spaces:map-points", {}, "visitor", "spaces.filters.SpaceFilter"),
    ("spaces:review-queue", {}, "staff", None),
    ("cooperatives:directory", {}, "visitor", "cooperatives.filters.CooperativeFilter"),
    ("cooperatives:queue", {}, "staff", "cooperatives.filters.ApplicationQueueFilter"),
    ("cooperatives:plan", {}, "staff", "cooperatives.forms.PlanProvinceForm"),
    ("cooperatives:apply", {}, "coop_a", "cooperatives.forms.SpaceQueryForm"),
    ("cooperatives:approve", {"pk": "submitted"}, "staff", "cooperatives.forms.SpaceQueryForm"),
    ("portal:crafts", {}, "visitor", "chamber.filters.CraftFilter"),
    ("portal:figures", {}, "visitor", "portal.views.FiguresForm"),
    ("portal:dashboard", {}, "staff", "portal.views.FiguresForm"),
    (
        "portal:export",
        {"dataset": "=cooperatives", "fmt": "=csv"},
        "staff",
        "portal.views.FiguresForm",
    ),
    ("portal:open-data-file", {"dataset": "=spaces", "fmt": "=json"}, "visitor", None),
    ("portal:login", {}, "visitor", None),
]

# url name, its kwargs, role, the form whose fields the body holds (and which way it is built)
POST_FORMS = [
    ("spaces:propose", {}, "president_a", ("spaces.forms.SpaceForm", 0)),
    ("spaces:edit", {"pk": "space"}, "president_a", ("spaces.forms.SpaceForm", 1)),
    ("spaces:withdraw", {"pk": "space"}, "president_a", ("spaces.forms.WithdrawForm", 0)),
    (
        "spaces:decide",
        {"pk": "space", "decision": "=reject"},
        "staff",
        ("spaces.forms.DecisionForm", 0),
    ),
    ("spaces:add-photo", {"pk": "space"}, "president_a", ("spaces.forms.PhotoForm", 0)),
    ("spaces:add-document", {"pk": "space"}, "president_a", ("spaces.forms.DocumentForm", 0)),
    ("spaces:import", {}, "staff", ("chamber.forms.ImportForm", 0)),
    ("cooperatives:import", {}, "staff", ("chamber.forms.ImportForm", 1)),
    ("cooperatives:sign-up", {}, "visitor", ("cooperatives.forms.SignUpForm", 0)),
    ("cooperatives:apply", {}, "coop_a", ("cooperatives.forms.ApplicationForm", 0)),
    (
        "cooperatives:edit-application",
        {"pk": "application"},
        "coop_a",
        ("cooperatives.forms.ApplicationForm", 1),
    ),
    (
        "cooperatives:edit",
        {"pk": "cooperative"},
        "coop_a",
        ("cooperatives.forms.CooperativeForm", 1),
    ),
    ("cooperatives:register", {}, "staff", ("cooperatives.forms.CooperativeForm", 0)),
    (
        "cooperatives:apply-for",
        {"pk": "cooperative"},
        "staff",
        ("cooperatives.forms.AssistedApplicationForm", 0),
    ),
    (
        "cooperatives:approve",
        {"pk": "submitted"},
        "staff",
        ("cooperatives.forms.ApprovalForm", 0),
    ),
    (
        "cooperatives:application-action",
        {"pk": "submitted", "action": "=reject"},
        "staff",
        ("cooperatives.forms.DecisionForm", 0),
    ),
    ("cooperatives:steer-plan", {}, "staff", ("cooperatives.forms.PlanDecisionForm", 0)),
    ("programs:sign-up", {}, "visitor", ("programs.forms.ApprenticeSignUpForm", 0)),
    ("programs:host", {"pk": "cohort"}, "staff", ("programs.forms.HostForm", 0)),
    ("portal:login", {}, "visitor", None),
    ("portal:contact", {}, "coop_a", ("portal.forms.ContactForm", 0)),
    ("portal:phone-login", {}, "visitor", ("portal.forms.PhoneForm", 0)),
    ("portal:phone-reset", {}, "visitor", ("portal.forms.PhoneForm", 0)),
]


def _url(name, kwargs, world):
    values = {
        key: value[1:] if value.startswith("=") else world[value].pk
        for key, value in kwargs.items()
    }
    return reverse(name, kwargs=values)


def _query(fields):
    parts = {key: field_values(field) for key, field in fields}
    parts["page"] = st.one_of(
        st.just(OMIT), st.integers(-3, 10**12).map(lambda n: [str(n)]), hostile.map(lambda v: [v])
    )
    parts["next"] = st.one_of(st.just(OMIT), st.sampled_from(["//evil.example", "/fr/"]).map(list))
    return st.fixed_dictionaries(parts).map(
        lambda d: {key: value for key, value in d.items() if value is not OMIT}
    )


def _client(role, world):
    client = Client()
    if role != "visitor":
        client.force_login(world["users"](role))
    return client


@pytest.mark.django_db
@pytest.mark.on_day("2026-12-01")
@pytest.mark.parametrize(("name", "kwargs", "role", "source"), GET_PAGES, ids=lambda v: str(v))
def test_fuzz_get_never_answers_with_a_server_error(name, kwargs, role, source, world):
    fields = _login_fields(world) if name == "portal:login" else []
    if source:
        fields = _form_fields(source, world)
    url = _url(name, kwargs, world)
    client = _client(role, world)

    @fuzz_settings(GET_EXAMPLES)
    @given(_query(fields))
    def throw(query):
        CASES["get"] += 1
        assert client.get(url, query).status_code < 500

    throw()


def _body(fields, columns):
    parts = {}
    for key, field in fields:
        if getattr(field, "widget", None) and field.widget.__class__.__name__.endswith("FileInput"):
            parts[key] = st.one_of(st.just(OMIT), uploads(columns))
        else:
            parts[key] = field_values(field)
        if key.endswith(TOKEN_FIELD):  # a token the page drew, most of the time
            parts[key] = st.one_of(st.builds(lambda: [new_token()]), parts[key])
    parts["confirm"] = st.one_of(st.just(OMIT), st.lists(st.one_of(hostile, TEXT), max_size=2))
    return st.fixed_dictionaries(parts).map(
        lambda d: {key: value for key, value in d.items() if value is not OMIT}
    )


@pytest.mark.django_db
@pytest.mark.on_day("2026-12-01")
@pytest.mark.parametrize(("name", "kwargs", "role", "source"), POST_FORMS, ids=lambda v: str(v))
def test_fuzz_post_never_answers_with_a_server_error(name, kwargs, role, source, world):
    columns = None
    if source is None:
        fields = _login_fields(world)
    else:
        fields = _form_fields(source[0], world, source[1])
        if source[0] == "chamber.forms.ImportForm":
            columns = test_forms._readers()[source[1]].COLUMNS
    url = _url(name, kwargs, world)
    if role != "visitor":
        world["users"](role)  # made before the examples, whose writes are rolled back

    @fuzz_settings(POST_EXAMPLES)
    @given(_body(fields, columns))
    def throw(body):
        CASES["post"] += 1
        for value in body.values():
            if hasattr(value, "seek"):
                value.seek(0)
        with rolled_back():
            assert _client(role, world).post(url, body).status_code < 500

    throw()
