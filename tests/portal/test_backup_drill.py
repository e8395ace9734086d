"""The backup-and-restore drill: what the portal publishes survives a `pg_dump -Fc` and a
`pg_restore` into a new database, figure for figure and row for row.

It runs on PostgreSQL only (CI's second run): the dump and the restore are PostgreSQL's
tools. The demo data is committed (a transactional test), dumped, restored into a database
of its own, and read again by a separate `manage.py shell` pointed at the copy.
"""

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]


def snapshot() -> dict:
    """The public figures of the whole region, every open-data dataset and staff export as
    their files, and the row count of every table: what a restore must give back."""
    from portal import datasets, exports, figures

    with translation.override("fr"):
        published = {key: exports.open_csv(key).decode() for key in datasets.published()}
        exported = {
            key: exports.as_csv(key, figures.Scope()).decode() for key in datasets.exported()
        }
        numbers = figures.all_figures(figures.Scope())
    with connection.cursor() as cursor:
        counts = {}
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # names from the catalogue
            counts[table] = cursor.fetchone()[0]
    return json.loads(
        json.dumps(
            {"figures": numbers, "open_data": published, "exports": exported, "rows": counts},
            default=str,
            sort_keys=True,
        )
    )


def _url(settings_dict, name) -> str:
    host = settings_dict["HOST"] or "127.0.0.1"
    port = settings_dict["PORT"] or 5432
    user = settings_dict["USER"] or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
    return f"postgres://{user}{password}@{host}:{port}/{name}"


def _tool_env(settings_dict) -> dict:
    env = dict(os.environ)
    if settings_dict["PASSWORD"]:
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return env


def _tool_args(settings_dict) -> list[str]:
    return [
        "-h",
        settings_dict["HOST"] or "127.0.0.1",
        "-p",
        str(settings_dict["PORT"] or 5432),
        "-U",
        settings_dict["USER"] or "postgres",
    ]


@pytest.fixture
def restored_copy(tmp_path):
    """`restore()`: the test database dumped and restored into a new database, whose URL it
    returns; the copy is dropped afterwards."""
    settings_dict = connection.settings_dict
    name = f"drill_{uuid.uuid4().hex[:12]}"
    admin = _url(settings_dict, "postgres")

    def restore() -> str:
        dump = tmp_path / "portal.dump"
        args, env = _tool_args(settings_dict), _tool_env(settings_dict)
        pg_dump = shutil.which("pg_dump") or "/usr/bin/pg_dump"
        pg_restore = shutil.which("pg_restore") or "/usr/bin/pg_restore"
        subprocess.run(
            [pg_dump, "-Fc", *args, "-d", settings_dict["NAME"], "-f", str(dump)],
            env=env,
            check=True,
            capture_output=True,
        )
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        subprocess.run(
            [pg_restore, *args, "--no-owner", "--exit-on-error", "-d", name, str(dump)],
            env=env,
            check=True,
            capture_output=True,
        )
        return _url(settings_dict, name)

    yield restore
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_a_restored_backup_publishes_the_same_figures_and_holds_the_same_rows(
    reference_data, restored_copy
):
    if connection.vendor != "postgresql":
        pytest.skip("the backup drill runs on PostgreSQL (pg_dump, pg_restore): CI runs it there")
    from portal.demo import seed_demo

    seed_demo()
    before = snapshot()
    # the drill compares something: the demo fills every app
    for table in ("spaces_space", "cooperatives_cooperative", "programs_enrolment"):
        assert before["rows"][table] > 0
    assert all(text.count("\n") > 1 for text in before["open_data"].values())

    url = restored_copy()
    script = (
        "import json; from tests.portal.test_backup_drill import snapshot; "
        "print(json.dumps(snapshot()))"
    )
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "true"}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    after = json.loads(result.stdout.strip().splitlines()[-1])

    assert after["rows"] == before["rows"]
    assert after["figures"] == before["figures"]
    assert after["open_data"] == before["open_data"]
    assert after["exports"] == before["exports"]
