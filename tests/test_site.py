"""Site-wide checks (djangoproject.com's cheap whole-site tests, pretix's URL table)."""

import ast
import re
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from tests import factories
from tests.conftest import ROLES

ROOT = Path(__file__).resolve().parents[1]
# The objects below are made with fixed dates: the tests run on this day.
pytestmark = pytest.mark.on_day("2026-12-01")

# url name -> (status for most roles, exceptions by role). Every URL outside the admin is here.
EXPECT = {
    "healthz": (200, {}),
    "portal:home": (200, {}),
    "portal:region": (200, {}),
    "portal:crafts": (200, {}),
    "portal:account": (200, {"visitor": 302}),
    "portal:my-data": (200, {"visitor": 302}),
    "portal:login": (302, {"visitor": 200}),  # a logged-in person goes on to their account
    "portal:logout": (405, {}),  # logging out takes a POST
    "portal:figures": (200, {}),
    "portal:dashboard": (403, {"visitor": 302, "staff": 200, "superuser": 200}),
    "portal:export": (403, {"visitor": 302, "staff": 200, "superuser": 200}),
    "portal:open-data": (200, {}),
    "portal:open-data-file": (200, {}),
    # spaces: the objects are commune A's proposal `space_a`, its photo and its document
    "spaces:catalogue": (200, {}),
    "spaces:map-points": (200, {}),
    "spaces:my-commune": (403, {"visitor": 302, "president_a": 200, "president_b": 200}),
    "spaces:propose": (403, {"visitor": 302, "president_a": 200, "president_b": 200}),
    "spaces:review-queue": (403, {"visitor": 302, "staff": 200, "superuser": 200}),
    "spaces:detail": (404, {"president_a": 200, "staff": 200, "superuser": 200}),
    "spaces:edit": (404, {"visitor": 302, "president_a": 200, "staff": 200, "superuser": 200}),
    "spaces:media": (404, {"visitor": 302, "president_a": 200, "staff": 200, "superuser": 200}),
    "spaces:photo-file": (404, {"president_a": 200, "staff": 200, "superuser": 200}),
    "spaces:document-file": (404, {"president_a": 200, "staff": 200, "superuser": 200}),
    "spaces:review": (403, {"visitor": 302, "staff": 200, "superuser": 200}),
    # actions take a POST (see test_post_access); a GET is refused once the person is known
    "spaces:withdraw": (403, {"visitor": 302, "president_a": 405, "president_b": 405}),
    "spaces:add-photo": (404, {"visitor": 302, "president_a": 405, "staff": 405, "superuser": 405}),
    "spaces:set-cover": (405, {}),
    "spaces:delete-photo": (405, {}),
    "spaces:add-document": (
        404,
        {"visitor": 302, "president_a": 405, "staff": 405, "superuser": 405},
    ),
    "spaces:delete-document": (405, {}),
    "spaces:decide": (403, {"visitor": 302, "staff": 405, "superuser": 405}),
    # cooperatives: the objects are cooperative A (verified), its draft application, and a
    # pending request to represent a cooperative
    "cooperatives:directory": (200, {}),
    "cooperatives:sign-up": (302, {"visitor": 200}),  # a logged-in person goes to their account
    "cooperatives:mine": (403, {"visitor": 302, "coop_a": 200, "coop_b": 200}),
    "cooperatives:apply": (403, {"visitor": 302, "coop_a": 200, "coop_b": 200}),
    "cooperatives:profile": (200, {}),
    "cooperatives:edit": (403, {"visitor": 302, "coop_a": 200, "staff": 200, "superuser": 200}),
    "cooperatives:apply-for": (403, {"visitor": 302, "staff": 200, "superuser": 200}),
    "cooperatives:application": (404, {"coop_a": 200, "staff": 200, "superuser": 200}),
    "cooperatives:edit-application": (
        404,
        {"visitor": 302, "coop_a": 200, "staff": 200, "superuser": 200},
    ),
    "cooperatives:application-action": (405, {}),
    "portal:password-reset": (200, {}),
    "portal:password-reset-done": (200, {}),
    "portal:password-reset-confirm": (200, {}),  # an unknown link: "ask for a new one"
    "portal:password-reset-complete": (200, {}),
    "portal:password-change": (200, {"visitor": 302}),
    "portal:password-change-done": (200, {"visitor": 302}),
    "portal:contact": (200, {"visitor": 302}),
    "portal:phone-confirm": (200, {"visitor": 302}),
    "portal:phone-login": (200, {}),
    "portal:phone-login-code": (302, {}),  # no number given yet: back to the first step
    "portal:phone-reset": (200, {}),
    "portal:phone-reset-code": (302, {}),
    "portal:notifications": (200, {"visitor": 302}),
    "portal:notifications-read": (405, {}),
    # cooperative A's notification: it opens its page; anyone else's is not found
    "notification": (404, {"visitor": 302, "coop_a": 302}),
    "cooperatives:ask-renewal": (405, {}),
    "cooperatives:demand": (200, {}),
    "cooperatives:interest": (403, {"visitor": 302, "coop_a": 405, "coop_b": 405}),
    # application A is a draft: its reports begin once approved (told so: 302)
    "cooperatives:report": (404, {"visitor": 302, "coop_a": 302, "staff": 302, "superuser": 302}),
    "cooperatives:report-photo": (404, {}),  # application A has no report
    "cooperatives:report-every": (403, {"visitor": 302, "staff": 405, "superuser": 405}),
    "cooperatives:missing-reports": (403, {"visitor": 302, "staff": 200, "superuser": 200}),
    "cooperatives:queue": (403, {"visitor": 302, "staff": 200, "superuser": 200}),
    "cooperatives:register": (403, {"visitor": 302, "staff": 200, "superuser": 200}),
    "cooperatives:import": (403, {"visitor": 302, "staff": 200, "superuser": 200}),
    "cooperatives:import-template": (403, {"visitor": 302, "staff": 200, "superuser": 200}),
    "spaces:import": (403, {"visitor": 302, "staff": 200, "superuser": 200}),
    "spaces:import-template": (403, {"visitor": 302, "staff": 200, "superuser": 200}),
    "cooperatives:representatives": (403, {"visitor": 302, "staff": 200, "superuser": 200}),
    "cooperatives:decide-representative": (403, {"visitor": 302, "staff": 405, "superuser": 405}),
    # matching and allocation (staff); the allocation is on another space of commune A
    "cooperatives:match": (403, {"visitor": 302, "staff": 200, "superuser": 200}),
    "cooperatives:approve": (403, {"visitor": 302, "staff": 200, "superuser": 200}),
    "cooperatives:agreement": (404, {}),  # application A has no allocation yet
    "cooperatives:match-space": (403, {"visitor": 302, "staff": 200, "superuser": 200}),
    "cooperatives:plan": (403, {"visitor": 302, "staff": 200, "superuser": 200}),
    "cooperatives:steer-plan": (403, {"visitor": 302, "staff": 405, "superuser": 405}),
    "cooperatives:forget-plan": (403, {"visitor": 302, "staff": 405, "superuser": 405}),
    "spaces:occupancy": (404, {"president_a": 200, "staff": 200, "superuser": 200}),
    "spaces:agreement": (404, {"president_a": 200, "staff": 200, "superuser": 200}),
    "spaces:close-allocation": (403, {"visitor": 302, "staff": 405, "superuser": 405}),
    "spaces:renew-allocation": (403, {"visitor": 302, "staff": 405, "superuser": 405}),
    # programmes: an open cohort and the demo apprentice's application to it
    "programs:programmes": (200, {}),
    "programs:programme": (200, {}),
    "programs:roadmap": (200, {}),
    "programs:cohorts": (200, {}),
    "programs:cohort": (200, {}),
    "programs:apply": (403, {"visitor": 302, "apprentice": 405}),
    "programs:host": (403, {"visitor": 302, "staff": 200, "superuser": 200}),
    "programs:host-action": (403, {"visitor": 302, "staff": 200, "superuser": 200}),
    "programs:sign-up": (302, {"visitor": 200}),
    "programs:mine": (403, {"visitor": 302, "apprentice": 200}),
    "programs:enrolment": (404, {"apprentice": 200, "staff": 200, "superuser": 200}),
    "programs:certificate": (404, {}),  # not completed yet
    "programs:enrolment-action": (403, {"visitor": 302, "staff": 405, "superuser": 405}),
    "programs:answer-outcome": (403, {"visitor": 302, "apprentice": 405}),
}

# POST actions on commune A's proposal: who gets through (302), who is refused and how.
POST_EXPECT = {
    "spaces:withdraw": (403, {"visitor": 302, "president_a": 302, "president_b": 404}),
    "spaces:decide": (403, {"visitor": 302, "staff": 302, "superuser": 302}),
    "spaces:set-cover": (
        403,
        {"visitor": 302, "president_a": 302, "president_b": 404, "staff": 302, "superuser": 302},
    ),
}


def url_patterns(resolver=None, namespace=""):
    """(name, view) of every named URL outside the admin (tests/test_post_access.py too)."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # Django's own admin: its access is Django's
            prefix = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_patterns(entry, prefix)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry.callback


def all_url_names():
    return [name for name, _view in url_patterns()]


# The arguments a URL takes, each filled from the test objects of commune or cooperative A.
ARGUMENTS = {
    "photo_pk": lambda objects: objects["space"].photos.get().pk,
    "document_pk": lambda objects: objects["space"].documents.get().pk,
    "size": lambda objects: "thumb",
    "decision": lambda objects: "start",
    "action": lambda objects: "submit",
}
# Which object a URL's `pk` names (a space unless said here), and special argument values.
PK_OF = {
    "cooperatives:profile": "cooperative",
    "cooperatives:edit": "cooperative",
    "cooperatives:apply-for": "cooperative",
    "cooperatives:application": "application",
    "cooperatives:edit-application": "application",
    "cooperatives:application-action": "application",
    "cooperatives:ask-renewal": "application",
    "cooperatives:report": "application",
    "cooperatives:report-photo": "application",
    "cooperatives:report-every": "application",
    "cooperatives:decide-representative": "representative",
    "cooperatives:match": "application",
    "cooperatives:approve": "application",
    "cooperatives:agreement": "application",
    "cooperatives:forget-plan": "decision",
    "spaces:agreement": "allocation",
    "spaces:close-allocation": "allocation",
    "spaces:renew-allocation": "allocation",
    "programs:cohort": "cohort",
    "programs:apply": "cohort",
    "programs:host": "cohort",
    "programs:host-action": "action",
    "programs:enrolment": "enrolment",
    "programs:certificate": "enrolment",
    "programs:enrolment-action": "enrolment",
    "programs:answer-outcome": "enrolment",
    "notification": "notification",
}
SPECIAL = {
    ("portal:export", "dataset"): "cooperatives",
    ("portal:export", "fmt"): "xlsx",
    ("portal:open-data-file", "dataset"): "spaces",
    ("portal:open-data-file", "fmt"): "json",
    ("cooperatives:decide-representative", "decision"): "verify",
    ("spaces:close-allocation", "to"): "ended",
    ("spaces:renew-allocation", "action"): "decline",
    ("portal:password-reset-confirm", "uidb64"): "MQ",
    ("portal:password-reset-confirm", "token"): "set-password",
    ("cooperatives:report-photo", "report_pk"): 1,
    ("programs:programme", "code"): "apprenticeship",
    ("programs:enrolment-action", "action"): "accept",
}


def url_for(name, lang="fr", objects=None):
    namespace, _, short = name.rpartition(":")
    resolver = get_resolver()
    if namespace:
        resolver = resolver.namespace_dict[namespace][1]
    possibilities = resolver.reverse_dict.getlist(short)[0][0]
    _format, parameters = possibilities[0]
    kwargs = {}
    for parameter in parameters:
        if (name, parameter) in SPECIAL:
            kwargs[parameter] = SPECIAL[(name, parameter)]
        elif parameter == "pk":
            kwargs[parameter] = objects[PK_OF.get(name, "space")].pk
        else:
            kwargs[parameter] = ARGUMENTS[parameter](objects)
    with translation.override(lang):
        return reverse(name, kwargs=kwargs)


@pytest.fixture
def objects(space_a, cooperative_a, application_a, users, commune_a, cohort, allocation_of):
    from cooperatives.models import PlanDecision

    hall = factories.SpaceFactory(commune=commune_a, name="Salle attribuée")
    allocation = allocation_of(hall)
    from programs import services as program_services
    from programs.models import Apprentice

    Apprentice.objects.create(
        user=users("apprentice"),
        birth_date=date(2008, 1, 1),
        school_level="primary_6",
        commune=commune_a,
    )
    enrolment = program_services.apply_to_cohort(cohort.pk, actor=users("apprentice"))
    action = factories.SafeguardingActionFactory(
        programme=cohort.programme, craft=cohort.craft, title="Exposition"
    )
    return {
        "action": action,
        "cohort": cohort,
        "enrolment": enrolment,
        "space": space_a,
        "cooperative": cooperative_a,
        "application": application_a,
        "representative": factories.RepresentativeFactory(status="pending"),
        "allocation": allocation,
        "decision": PlanDecision.objects.create(
            application=application_a, space=hall, kind="exclude", reason="Test"
        ),
        "notification": factories.NotificationFactory(
            recipient=users("coop_a"),
            kind="cooperatives/submitted",
            params={
                "application": application_a.pk,
                "link": {"name": "cooperatives:application", "kwargs": {"pk": application_a.pk}},
            },
        ),
    }


def test_every_url_is_declared_in_the_access_table():
    assert set(all_url_names()) == set(EXPECT)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(EXPECT))
def test_access(name, role, client_as, objects):
    default, special = EXPECT[name]
    assert client_as(role).get(url_for(name, objects=objects)).status_code == special.get(
        role, default
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(POST_EXPECT))
def test_post_access(name, role, client_as, objects):
    default, special = POST_EXPECT[name]
    response = client_as(role).post(url_for(name, objects=objects))
    assert response.status_code == special.get(role, default)


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "direction"), [("ar", "rtl"), ("fr", "ltr")])
@pytest.mark.parametrize(
    "name",
    [
        n
        for n, (code, special) in EXPECT.items()
        if 200 in (code, *special.values())
        and n
        not in (
            "healthz",
            "spaces:photo-file",
            "spaces:document-file",
            "spaces:map-points",
            "portal:export",
            "portal:my-data",
            "portal:open-data-file",
            "cooperatives:import-template",
            "spaces:import-template",
        )
    ],
)
def test_every_page_renders_with_its_language_and_direction(
    name, lang, direction, client_as, objects
):
    role = {
        "portal:login": "visitor",
        "spaces:my-commune": "president_a",
        "spaces:propose": "president_a",
        "cooperatives:mine": "coop_a",
        "cooperatives:apply": "coop_a",
        "cooperatives:sign-up": "visitor",
        "programs:mine": "apprentice",
        "programs:sign-up": "visitor",
    }.get(name, "staff")
    response = client_as(role).get(url_for(name, lang, objects))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}" dir="{direction}">' in html
    # the language switch, on every page
    assert 'class="language-switch"' in html
    # a Content-Security-Policy without inline script (issue #12), and no copy kept of a page
    # shown to someone logged in
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    if role != "visitor":
        assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["portal:home", "portal:region", "portal:crafts"])
def test_no_page_asks_another_host_for_anything(name, client):
    html = client.get(url_for(name)).content.decode()
    external = re.findall(r'(?:src|href)="((?:https?:)?//[^"]*)"', html)
    assert external == []


@pytest.mark.django_db
def test_no_migration_is_pending():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_a_known_string_is_translated_in_each_language():
    with translation.override("ar"):
        assert translation.gettext("Log in") == "تسجيل الدخول"
    with translation.override("fr"):
        assert translation.gettext("Log in") == "Se connecter"


# --- architecture: a lower layer never reaches a higher one (DESIGN.md §4) ------------------
# Bottom to top. Every file of a layer counts: its Python modules (imports, and the dotted
# paths, URL names and template names it names in strings), its templates (what they extend,
# include and link to) and its migrations (the apps they depend on). No file is exempt.
LAYER = {"chamber": 0, "spaces": 1, "cooperatives": 2, "programs": 2, "portal": 3}
DOTTED = re.compile(r"([a-z_]+)(?:\.[A-Za-z_][A-Za-z0-9_]*)+")
URL_NAME = re.compile(r"([a-z_]+):[a-z0-9_-]+")
TEMPLATE_NAME = re.compile(r"[\w/.-]+\.(?:html|txt)")
TEMPLATE_TAGS = re.compile(
    r"""\{%\s*(?:(?:extends|include)\s+["']([^"']+)["']|url\s+["']([a-z_]+):)"""
)


def _template_layer(name: str) -> str | None:
    """The package whose templates/ folder holds this template (None: Django's own)."""
    return next((app for app in LAYER if (ROOT / app / "templates" / name).is_file()), None)


def _named_in_string(text: str) -> str | None:
    """The layer a Python string names: an app, a module path, a URL name or a template."""
    if text in LAYER:
        return text  # apps.get_model("cooperatives", …), import_module("portal")
    for pattern, layer in (
        (DOTTED, lambda m: m.group(1)),
        (URL_NAME, lambda m: m.group(1)),
        (TEMPLATE_NAME, lambda m: _template_layer(m.group(0))),
    ):
        match = pattern.fullmatch(text)
        if match and layer(match) in LAYER:
            return layer(match)
    return None


def _python_references(source: str):
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module.split(".")[0]
        elif isinstance(node, ast.Tuple) and len(node.elts) == 2:
            # a migration's dependency: ("cooperatives", "0001_initial")
            app, name = node.elts
            constants = isinstance(app, ast.Constant) and isinstance(name, ast.Constant)
            if constants and (str(name.value)[:4].isdigit() or name.value == "__first__"):
                yield app.value
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            named = _named_in_string(node.value)
            if named:
                yield named
        elif isinstance(node, ast.JoinedStr) and node.values:
            # f"cooperatives:{name}", f"portal/{page}.html": what the f-string starts with
            start = node.values[0]
            if isinstance(start, ast.Constant):
                match = re.match(r"([a-z_]+)[.:/]", start.value)
                if match and match.group(1) in LAYER:
                    yield match.group(1)


def _tag_library_layer(name: str) -> str | None:
    """The package whose templatetags/ holds this library (None: Django's or a package's)."""
    return next(
        (app for app in LAYER if (ROOT / app / "templatetags" / f"{name}.py").is_file()), None
    )


def _template_references(source: str):
    for included, namespace in TEMPLATE_TAGS.findall(source):
        yield _template_layer(included) if included else namespace
    for libraries in re.findall(r"\{%\s*load\s+([\w\s]+?)\s*%\}", source):
        yield from (_tag_library_layer(name) for name in libraries.split())


def upward_references(app: str, path: str, source: str) -> list[str]:
    """What a file of `app` names in a higher layer or a sibling of its own."""
    found = _python_references(source) if path.endswith(".py") else _template_references(source)
    return sorted(
        {
            f"{path} reaches {other}"
            for other in found
            if other in LAYER and other != app and LAYER[other] >= LAYER[app]
        }
    )


def test_no_layer_reaches_a_higher_or_sibling_one():
    wrong = []
    for app in LAYER:
        for path in sorted((ROOT / app).rglob("*")):
            if path.suffix in (".py", ".html", ".txt") and "__pycache__" not in path.parts:
                relative = path.relative_to(ROOT).as_posix()
                wrong += upward_references(app, relative, path.read_text(encoding="utf-8"))
    assert wrong == []


@pytest.mark.parametrize(
    ("app", "path", "source"),
    [
        ("spaces", "spaces/x.py", "from cooperatives.models import SpaceApplication"),
        ("spaces", "spaces/x.py", "import programs.services"),
        ("programs", "programs/x.py", "from cooperatives import services"),  # a sibling
        ("cooperatives", "cooperatives/x.py", 'redirect("portal:account")'),
        ("chamber", "chamber/x.py", 'LOCKOUT = "portal.views.locked_out"'),
        ("chamber", "chamber/x.py", 'render(request, "portal/home.html")'),
        ("chamber", "chamber/migrations/0009_x.py", 'dependencies = [("spaces", "0001_initial")]'),
        ("spaces", "spaces/templates/spaces/x.html", "{% url 'cooperatives:apply' %}"),
        ("chamber", "chamber/templates/x.html", '{% include "portal/bar_chart.html" %}'),
        ("spaces", "spaces/templates/spaces/x.html", '{% extends "cooperatives/mine.html" %}'),
        ("chamber", "chamber/x.py", 'apps.get_model("cooperatives", "Cooperative")'),
        ("spaces", "spaces/x.py", 'reverse(f"cooperatives:{name}")'),
    ],
)
def test_the_layering_check_sees_an_upward_reference(app, path, source):
    assert upward_references(app, path, source)


@pytest.mark.parametrize(
    ("app", "path", "source"),
    [
        ("cooperatives", "cooperatives/x.py", "from spaces.models import Space"),
        ("portal", "portal/x.py", "from cooperatives import services"),
        ("cooperatives", "cooperatives/x.py", 'template_name = "spaces/allocation_agreement.html"'),
        (
            "spaces",
            "spaces/templates/spaces/x.html",
            '{% extends "base.html" %}{% url "spaces:x" %}',
        ),
        ("chamber", "chamber/x.py", '_("Apply for this space: programs.")'),
    ],
)
def test_the_layering_check_lets_a_reference_downwards_through(app, path, source):
    assert upward_references(app, path, source) == []


# --- style: one stylesheet for both directions -----------------------------------------------
PHYSICAL = re.compile(
    r"(?<![\w-])(?:margin|padding|border|inset)-(?:left|right)\b|(?<![\w-])(?:left|right)\s*:"
    r"|text-align\s*:\s*(?:left|right)|float\s*:\s*(?:left|right)|clear\s*:\s*(?:left|right)"
)


def test_stylesheets_and_inline_styles_use_logical_directions_only():
    offenders = []
    for path in sorted((ROOT / "static").rglob("*.css")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if PHYSICAL.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    for path in sorted((ROOT / "templates").rglob("*.html")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for style in re.findall(r'style="([^"]*)"|<style>(.*?)</style>', line):
                if PHYSICAL.search(" ".join(style)):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert offenders == []


def test_the_physical_direction_check_catches_what_it_should():
    assert PHYSICAL.search("margin-left: 1rem")
    assert PHYSICAL.search("  left: 0;")
    assert PHYSICAL.search("text-align: right")
    assert not PHYSICAL.search("margin-inline-start: 1rem")
    assert not PHYSICAL.search("inset-inline-start: 0")
