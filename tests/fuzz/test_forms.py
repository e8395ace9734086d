"""Every form and every filter of the portal, found by walking its modules, gets generated
input: the property is that nothing but a ValidationError comes out of `is_valid()`, nor out
of what the view does next with a valid form (its cleaned values, a filter's rows).

A form that needs more than data to be built (a queryset, an instance, a reader) is built as
its view builds it, in BUILDERS; a new form that cannot be built with data alone fails here
until it has its entry.
"""

import contextlib
import importlib
import inspect
import pkgutil

import django_filters
import pytest
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.datastructures import MultiValueDict
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.conftest import CASES, fuzz_settings
from tests.fuzz.strategies import OMIT, field_values, uploads

APPS = ["chamber", "spaces", "cooperatives", "programs", "portal"]
SKIPPED_MODULES = {"portal.settings", "portal.wsgi", "portal.asgi"}
EXAMPLES = 300  # per form or filter class (a few have several ways of being built)


def discovered_classes() -> list[type]:
    """Every Form, ModelForm and FilterSet class defined in the apps' modules."""
    found = {}
    for app in APPS:
        package = importlib.import_module(app)
        modules = [package] + [
            importlib.import_module(info.name)
            for info in pkgutil.walk_packages(package.__path__, f"{app}.")
            if ".migrations" not in info.name and info.name not in SKIPPED_MODULES
        ]
        for module in modules:
            for _name, cls in inspect.getmembers(module, inspect.isclass):
                fuzzable = issubclass(cls, (forms.BaseForm, django_filters.FilterSet))
                if fuzzable and cls.__module__ == module.__name__:
                    found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return [found[name] for name in sorted(found)]


def _name(cls) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _space_selectors():
    from spaces import selectors

    return selectors


def _readers():
    from cooperatives import imports as cooperative_imports
    from spaces import imports as space_imports

    return [space_imports, cooperative_imports]


# How the views build each form that takes more than data: name -> ways, each
# (world -> constructor keywords). A filter's queryset is the one its page lists.
BUILDERS = {
    "chamber.forms.ImportForm": [
        lambda w, i=i: {"reader": _readers()[i].read_file, "help_text": ""} for i in (0, 1)
    ],
    "portal.forms.LoginForm": [lambda w: {"request": _login_request()}],
    "portal.forms.AdminLoginForm": [lambda w: {"request": _login_request()}],
    "portal.forms.ContactForm": [lambda w: {"instance": w["users"]("coop_a")}],
    "spaces.forms.SpaceForm": [lambda w: {}, lambda w: {"instance": w["space"]}],
    "spaces.forms.CloseAllocationForm": [lambda w: {"prefix": "close-1"}],
    "cooperatives.forms.CooperativeForm": [
        lambda w: {},
        lambda w: {"instance": w["cooperative"], "locked": True},
        lambda w: {"instance": w["cooperative"], "locked": False},
    ],
    "cooperatives.forms.ApplicationForm": [lambda w: {}, lambda w: {"instance": w["application"]}],
    "cooperatives.forms.AssistedApplicationForm": [lambda w: {}],
    "cooperatives.forms.ApprovalForm": [
        lambda w: {
            "spaces": _space_selectors().matchable_spaces(),
            "application": w["application"],
        }
    ],
    "cooperatives.forms.DecisionForm": [lambda w: {}, lambda w: {"prefix": "7"}],
    "cooperatives.forms.SpaceQueryForm": [
        lambda w: {"spaces": _space_selectors().public_spaces()},
        lambda w: {"spaces": _space_selectors().matchable_spaces()},
    ],
    "programs.admin.RoadmapActionForm": [
        lambda w: {},
        lambda w: {"instance": w["roadmap_action"]},
    ],
    "chamber.filters.CraftFilter": [lambda w: {"queryset": _selectors("chamber").crafts()}],
    "spaces.filters.SpaceFilter": [lambda w: {"queryset": _space_selectors().public_spaces()}],
    "cooperatives.filters.CooperativeFilter": [
        lambda w: {"queryset": _selectors("cooperatives").public_cooperatives()}
    ],
    "cooperatives.filters.ApplicationQueueFilter": [
        lambda w: {"queryset": _selectors("cooperatives").application_queue()}
    ],
}


def _login_request():
    """A request as the login page gets it, through django-axes' middleware attributes."""
    from axes.handlers.proxy import AxesProxyHandler
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    request = RequestFactory().post("/fr/account/login/")
    request.user = AnonymousUser()
    AxesProxyHandler.update_request(request)
    return request


# What a form may raise besides ValidationError, because its view's middleware answers it:
# django-axes refuses a login past its limit with PermissionDenied (a 429 page).
REFUSALS = {
    "portal.forms.LoginForm": PermissionDenied,
    "portal.forms.AdminLoginForm": PermissionDenied,
}


def _selectors(app):
    return importlib.import_module(f"{app}.selectors")


def _ways(cls, world) -> list[dict]:
    ways = BUILDERS.get(_name(cls), [lambda w: {}])
    return [way(world) for way in ways]


def _imports_of(keywords):
    reader = keywords.get("reader")
    return next((m for m in _readers() if m.read_file is reader), None)


def _fields(instance):
    """(request key, field) of a form or a filter's form, as its page would send them."""
    form = instance.form if isinstance(instance, django_filters.FilterSet) else instance
    return [(form.add_prefix(name), field) for name, field in form.fields.items()]


def _build(cls, keywords, data=None, files=None):
    if issubclass(cls, django_filters.FilterSet):
        return cls(data, **keywords)
    if cls.__name__ == "SpaceQueryForm":  # its data is positional and required
        return cls(data, **keywords)
    return cls(data=data, files=files, **keywords)


def _what_the_view_does_next(instance, keywords):
    """With a valid form: its cleaned values, and each of its own methods that read them
    (space_data, profile, query, scope…); with a filter: its rows, valid or not (the pages
    are not strict: an unreadable value is explained and ignored)."""
    if isinstance(instance, django_filters.FilterSet):
        rows = list(instance.qs)
        if type(instance).__name__ == "SpaceFilter":
            _space_selectors().map_points(instance.qs)
        return rows
    if not instance.is_valid():
        instance.errors.get_json_data()
        return None
    dict(instance.cleaned_data)
    for klass in type(instance).__mro__:
        if klass.__module__.split(".")[0] not in APPS:
            continue
        for name, attribute in vars(klass).items():
            if name.startswith(("_", "clean")) or name in ("fieldsets", "save"):
                continue
            if isinstance(attribute, property):
                getattr(instance, name)
            elif inspect.isfunction(attribute):
                parameters = inspect.signature(attribute).parameters
                if len(parameters) == 1:
                    getattr(instance, name)()
    imports = _imports_of(keywords)
    if imports is not None:
        imports.check(instance.cleaned_data["records"])
    return instance.cleaned_data


def _request(fields, columns):
    """A strategy of (data, files) for these fields."""
    parts = {}
    for key, field in fields:
        if isinstance(field, forms.FileField):
            parts[key] = st.one_of(st.just(OMIT), uploads(columns))
        else:
            parts[key] = field_values(field)

    def split(values):
        data, files = MultiValueDict(), MultiValueDict()
        for key, value in values.items():
            if value is OMIT:
                continue
            if isinstance(value, list):
                data.setlist(key, value)
            else:
                files[key] = value
        return data, files

    return st.fixed_dictionaries(parts).map(split)


CLASSES = discovered_classes()


def test_the_walk_finds_the_forms_and_filters_of_every_app():
    """A sanity check of the discovery itself: if it found nothing, nothing would be fuzzed."""
    names = {_name(cls) for cls in CLASSES}
    assert {
        "chamber.filters.CraftFilter",
        "spaces.forms.SpaceForm",
        "spaces.filters.SpaceFilter",
        "cooperatives.forms.SignUpForm",
        "programs.forms.ApprenticeSignUpForm",
        "portal.views.FiguresForm",
    } <= names
    assert len(CLASSES) >= 30


def test_every_builder_names_a_form_that_still_exists():
    assert set(BUILDERS) <= {_name(cls) for cls in CLASSES}


@pytest.mark.django_db
@pytest.mark.on_day("2026-12-01")
@pytest.mark.parametrize("cls", CLASSES, ids=_name)
def test_fuzz_no_exception_but_a_validation_error(cls, world):
    ways = _ways(cls, world)
    requests = []
    for keywords in ways:
        imports = _imports_of(keywords)
        columns = imports.COLUMNS if imports else None
        fields = _fields(_build(cls, keywords))
        requests.append(_request(fields, columns))
    kind = "filter" if issubclass(cls, django_filters.FilterSet) else "form"
    refusals = (ValidationError, REFUSALS.get(_name(cls), ValidationError))

    @fuzz_settings(EXAMPLES)
    @given(st.integers(0, len(ways) - 1).flatmap(lambda i: st.tuples(st.just(i), requests[i])))
    def throw(case):
        index, (data, files) = case
        CASES[kind] += 1
        for upload in files.values():
            upload.seek(0)
        instance = _build(cls, ways[index], data, files)
        with contextlib.suppress(refusals):
            _what_the_view_does_next(instance, ways[index])

    throw()
