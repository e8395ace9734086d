"""Benchmark of the bulk imports on a throw-away database: not a test.

    DEBUG=true .venv/bin/python bench/imports.py [--rows 5000] [--repeat 5]

Creates a test database (a temporary SQLite file, or test_<name> on PostgreSQL) and, for
cooperatives then spaces, times the three steps staff wait for with a file of --rows rows
(CSV, every commune and a craft named): reading the file, the dry run (`check`) and the
confirmed import in one transaction (`import_*`, which checks again). Each import runs on an
empty table, then again as updates of the same rows. Each line gives the median and 95th
percentile in seconds and the total's share of the issue's budget of one minute. Timings
depend on the machine's load; nothing is asserted.
"""

import argparse
import csv
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from database import throwaway_database  # noqa: E402 (bench/database.py)
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection  # noqa: E402

from chamber.models import Commune, Craft, Role, User  # noqa: E402
from cooperatives import imports as cooperative_imports  # noqa: E402
from cooperatives import services as cooperative_services  # noqa: E402
from cooperatives.models import Cooperative  # noqa: E402
from spaces import imports as space_imports  # noqa: E402
from spaces import services as space_services  # noqa: E402
from spaces.models import Space, SpaceStatusChange  # noqa: E402

BUDGET_S = 60.0


def csv_upload(header, rows) -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile("bench.csv", buffer.getvalue().encode("utf-8"))


def cooperative_file(n, communes, crafts):
    header = [name for name, _text in cooperative_imports.COLUMNS]
    rows = [
        [f"2020/{i:05d}", f"Coopérative {i}", communes[i % len(communes)], "2020", "12", "3", "4"]
        + [crafts[i % len(crafts)], "0528000000", f"coop{i}@example.org"]
        for i in range(n)
    ]
    return header, rows


def space_file(n, communes, crafts):
    header = ["name", "commune", "kind", "floor_area_m2", "capacity", "rooms", "condition"]
    header += ["ownership", "latitude", "longitude", "has_electricity", "has_water", "crafts"]
    rows = [
        [f"Salle {i}", communes[i % len(communes)], "community_hall", "120", "30", "2", "ready"]
        + ["commune", "28.98", "-10.05", "oui", "non", crafts[i % len(crafts)]]
        for i in range(n)
    ]
    return header, rows


def timed(step):
    start = time.perf_counter()
    result = step()
    return time.perf_counter() - start, result


def line(label, seconds):
    median = statistics.median(seconds)
    p95 = sorted(seconds)[max(0, round(0.95 * len(seconds)) - 1)]
    print(f"  {label:<24} median {median:6.2f} s   p95 {p95:6.2f} s")
    return median


def bench(title, module, service, header, rows, actor, repeat, clear):
    print(f"{title}: {len(rows)} rows")
    for mode in ("create", "update"):
        reads, checks, imports = [], [], []
        for _run in range(repeat):
            if mode == "create":
                clear()
            table = rows
            if mode == "update" and title == "spaces":
                # An update names each space by its reference, in the file's first column.
                ids = dict(Space.objects.values_list("name", "pk"))
                table = [[str(ids[row[0]]), *row] for row in rows]
            columns = ["id", *header] if table is not rows else header
            seconds, records = timed(lambda c=columns, t=table: module.read_file(csv_upload(c, t)))
            reads.append(seconds)
            seconds, report = timed(lambda records=records: module.check(records))
            checks.append(seconds)
            assert report.clean, [r.reasons for r in report.rows if r.reasons][:3]
            seconds, counts = timed(lambda records=records: service(actor=actor, records=records))
            imports.append(seconds)
            assert counts[f"{mode}d"] == len(rows), counts
        print(f" {mode}")
        total = line("read the file", reads) + line("dry run", checks)
        total += line("import (checks again)", imports)
        print(f"  {'total':<24} median {total:6.2f} s   = {total / BUDGET_S:.0%} of one minute")


def run(args):
    actor = User.objects.create(username="bench-staff", role=Role.STAFF)
    communes = list(Commune.objects.values_list("name_fr", flat=True))
    crafts = list(Craft.objects.values_list("code", flat=True))
    bench(
        "cooperatives",
        cooperative_imports,
        cooperative_services.import_cooperatives,
        *cooperative_file(args.rows, communes, crafts),
        actor,
        args.repeat,
        lambda: Cooperative.objects.all().delete(),
    )
    bench(
        "spaces",
        space_imports,
        space_services.import_spaces,
        *space_file(args.rows, communes, crafts),
        actor,
        args.repeat,
        lambda: (SpaceStatusChange.objects.all().delete(), Space.objects.all().delete()),
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"database: {connection.vendor}")
    with throwaway_database("imports"):
        run(args)


if __name__ == "__main__":
    main()
