"""The throw-away database a benchmark runs on: Django's test database, in a file for SQLite
(as in production, rather than in memory), destroyed afterwards."""

import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.db import connection


@contextmanager
def throwaway_database(name: str):
    with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as folder:
        if connection.vendor == "sqlite":
            connection.settings_dict["TEST"]["NAME"] = str(Path(folder) / f"{name}.sqlite3")
        created = connection.creation.create_test_db(verbosity=0, serialize=False)
        try:
            yield
        finally:
            connection.creation.destroy_test_db(created, verbosity=0)
