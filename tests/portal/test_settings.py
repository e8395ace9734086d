"""Start-up refuses bad configuration with one line naming the variable. Each case runs
`manage.py check` in a fresh process, with an environment made for it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 20 + "e" * 20 + "y" * 10 + "0123456789"


def run_check(**env):
    base = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "SECRET_KEY",
            "DATABASE_URL",
            "ALLOWED_HOSTS",
            "DJANGO_SETTINGS_MODULE",
            "EMAIL_URL",
        }
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def assert_refused_naming(result, variable):
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Configuration error: {variable} ")


@pytest.mark.parametrize(
    "url",
    [
        "notaurl",
        "postgres://",
        "postgres://u@h:notaport/db",
        "mysql2://x/y",
        "redis://h/0",
        "sqlite://",
        "sqlite:///:memory:",
    ],
)
def test_a_malformed_database_url_stops_start_up_naming_it(url):
    assert_refused_naming(run_check(DEBUG="true", DATABASE_URL=url), "DATABASE_URL")


def test_production_without_a_secret_key_stops_start_up_naming_it():
    assert_refused_naming(run_check(DEBUG="false", ALLOWED_HOSTS="portal.example"), "SECRET_KEY")


@pytest.mark.parametrize("key", ["short", "django-insecure-" + "x" * 60, "a" * 60])
def test_production_with_a_weak_secret_key_stops_start_up(key):
    result = run_check(DEBUG="false", SECRET_KEY=key, ALLOWED_HOSTS="portal.example")
    assert_refused_naming(result, "SECRET_KEY")


def test_production_without_allowed_hosts_stops_start_up_naming_them():
    assert_refused_naming(run_check(DEBUG="false", SECRET_KEY=GOOD_KEY), "ALLOWED_HOSTS")


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": GOOD_KEY,
    "ALLOWED_HOSTS": "portal.example",
    "EMAIL_URL": "smtp+tls://u:p@smtp.example:587",
}


def test_production_with_everything_set_starts():
    result = run_check(**PRODUCTION)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("url", [None, "consolemail://"])
def test_production_that_would_print_mail_into_the_log_stops_start_up(url):
    env = {k: v for k, v in PRODUCTION.items() if k != "EMAIL_URL"}
    if url:
        env["EMAIL_URL"] = url
    assert_refused_naming(run_check(**env), "EMAIL_URL")


def test_production_may_send_no_mail_at_all():
    result = run_check(**{**PRODUCTION, "EMAIL_URL": "dummymail://"})
    assert result.returncode == 0, result.stderr


def readme_production_environment() -> str:
    """The `export` command of the README's production section, as written there."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Production, under gunicorn", 1)[1]
    block = section.split("```sh", 1)[1].split("```", 1)[0]
    lines = block.strip().splitlines()
    export = []
    for line in lines:
        export.append(line)
        if not line.rstrip().endswith("\\"):
            break
    assert export[0].startswith("export DEBUG=false")
    return "\n".join(export)


def test_the_readmes_production_environment_passes_check_deploy_with_no_issue():
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(
            ("DEBUG", "SECRET", "DATABASE", "ALLOWED", "EMAIL", "SECURE", "MAP_", "DJANGO_")
        )
    }
    script = f"{readme_production_environment()}\nexec {sys.executable} manage.py check --deploy"
    result = subprocess.run(
        ["bash", "-c", script], cwd=ROOT, env=base, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


def csp_of(**env) -> dict:
    import json

    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json; from portal import settings as s; "
            "print(json.dumps(s.CONTENT_SECURITY_POLICY['DIRECTIVES']))",
        ],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "MAP_TILES_URL"}
        | {"DEBUG": "true", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    return json.loads(result.stdout)


def test_the_tile_server_is_allowed_for_images_only_when_one_is_set():
    assert csp_of()["img-src"] == ["'self'", "data:"]
    tiles = csp_of(MAP_TILES_URL="https://{s}.tile.example.org/{z}/{x}/{y}.png")
    assert tiles["img-src"] == ["'self'", "data:", "https://*.tile.example.org"]
    assert tiles["script-src"] == ["'self'"]


def test_with_nothing_set_but_debug_the_portal_uses_sqlite_in_immediate_mode():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from portal import settings as s; "
            "d = s.DATABASES['default']; print(d['ENGINE'], d['OPTIONS']['transaction_mode'])",
        ],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"DEBUG": "true"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["django.db.backends.sqlite3", "IMMEDIATE"], result.stderr


def test_a_postgres_url_selects_postgresql():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from portal import settings as s; "
            "d = s.DATABASES['default']; print(d['ENGINE'], d['NAME'], d['HOST'], d['PORT'])",
        ],
        cwd=ROOT,
        env=os.environ | {"DEBUG": "true", "DATABASE_URL": "postgres://u@db.example:5433/portal"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "portal",
        "db.example",
        "5433",
    ]


@pytest.mark.parametrize("variable", ["SESSION_COOKIE_AGE", "CONN_MAX_AGE", "AXES_FAILURE_LIMIT"])
def test_a_number_that_is_not_a_number_stops_start_up_naming_it(variable):
    result = run_check(DEBUG="true", DATABASE_URL="postgres://u@h/db", **{variable: "3days"})
    assert_refused_naming(result, variable)


def storage_of(**env):
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json; from portal import settings as s; "
            "print(json.dumps(s.STORAGES['default']))",
        ],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if not k.startswith("MEDIA_")}
        | {"DEBUG": "true", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result


def test_uploads_go_to_the_local_disk_unless_a_bucket_is_named():
    import json

    assert json.loads(storage_of().stdout)["BACKEND"].endswith("FileSystemStorage")


def test_a_bucket_in_the_environment_sends_uploads_to_it_privately():
    import json

    storage = json.loads(
        storage_of(
            MEDIA_BUCKET="chamber-media",
            MEDIA_ENDPOINT_URL="https://s3.example.ma",
            MEDIA_ACCESS_KEY="key",
            MEDIA_SECRET_KEY="secret",
        ).stdout
    )
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "chamber-media"
    assert storage["OPTIONS"]["endpoint_url"] == "https://s3.example.ma"
    assert storage["OPTIONS"]["default_acl"] == "private"


def test_half_a_bucket_key_stops_start_up_naming_it():
    result = storage_of(MEDIA_BUCKET="chamber-media", MEDIA_ACCESS_KEY="key")
    assert result.returncode != 0
    assert result.stderr.strip().startswith("Configuration error: MEDIA_ACCESS_KEY ")


def test_production_that_would_print_sms_into_the_log_stops_start_up():
    result = run_check(**{**PRODUCTION, "SMS_BACKEND": "chamber.sms.ConsoleBackend"})
    assert_refused_naming(result, "SMS_BACKEND")


def test_production_without_an_sms_gateway_starts_and_sends_none():
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings; print(settings.SMS_BACKEND)",
        ],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k not in ("DEBUG", "SMS_BACKEND")},
            **PRODUCTION,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip().splitlines()[-1] == "chamber.sms.NoGateway", result.stderr
