"""Benchmark of the region's figures on a throw-away database: not a test.

    DEBUG=true .venv/bin/python bench/figures.py [--repeat 20] [--spaces 10000] [--small 100]

Creates a test database (a temporary SQLite file, or test_<name> on PostgreSQL), fills it
with bulk_create, and times portal.figures.all_figures for the whole region, one province
and one commune, and a GET of /fr/figures/, first in a small world (--small spaces) and
then in a large one (--spaces spaces, with one verified cooperative per 5 spaces, as many
applications as spaces, twelve monthly activity reports per approved one and 3 enrolments
per 10 spaces). Each line gives the number of
queries, the median and 95th percentile in ms, and the large world's median over the small
world's. Timings depend on the machine's load; nothing is asserted.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from database import throwaway_database  # noqa: E402 (bench/database.py)
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from chamber.models import Commune, Craft, Province, Role, User  # noqa: E402
from cooperatives.models import (  # noqa: E402
    OPEN_STATUSES,
    ActivityReport,
    ApplicationStatus,
    Cooperative,
    SpaceApplication,
    registration_key,
)
from portal.figures import Scope, all_figures  # noqa: E402
from programs.models import (  # noqa: E402
    ActionKind,
    ActionStatus,
    Apprentice,
    Certificate,
    Cohort,
    Enrolment,
    EnrolmentStatus,
    MasterArtisan,
    Outcome,
    Partner,
    Programme,
    RoadmapAction,
    SafeguardingAction,
    SchoolLevel,
)
from spaces.models import (  # noqa: E402
    Allocation,
    Condition,
    Ownership,
    Space,
    SpaceKind,
    SpaceStatus,
)

BATCH = 1000
BEGIN = datetime(2024, 1, 1, tzinfo=UTC)
SPAN_DAYS = 900
# Roughly what a live portal holds: most spaces in the catalogue, most applications closed.
SPACE_STATUSES = {
    SpaceStatus.PROPOSED: 10,
    SpaceStatus.UNDER_REVIEW: 8,
    SpaceStatus.AVAILABLE: 45,
    SpaceStatus.OCCUPIED: 25,
    SpaceStatus.REJECTED: 7,
    SpaceStatus.WITHDRAWN: 5,
}
APPLICATION_STATUSES = {
    ApplicationStatus.DRAFT: 10,
    ApplicationStatus.SUBMITTED: 12,
    ApplicationStatus.UNDER_REVIEW: 13,
    ApplicationStatus.APPROVED: 35,
    ApplicationStatus.REJECTED: 20,
    ApplicationStatus.WITHDRAWN: 10,
}
ENROLMENT_STATUSES = {
    EnrolmentStatus.APPLIED: 15,
    EnrolmentStatus.ACCEPTED: 15,
    EnrolmentStatus.IN_TRAINING: 25,
    EnrolmentStatus.COMPLETED: 30,
    EnrolmentStatus.DROPPED: 8,
    EnrolmentStatus.REFUSED: 7,
}


def pick(rng, weights):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def moment(rng):
    return BEGIN + timedelta(days=rng.uniform(0, SPAN_DAYS))


class World:
    """Adds rows to the test database; call grow() again to add more (names stay unique)."""

    def __init__(self, rng):
        self.rng = rng
        self.communes = list(Commune.objects.select_related("province").order_by("pk"))
        self.crafts = list(Craft.objects.values_list("pk", flat=True))
        self.partners = list(Partner.objects.values_list("pk", flat=True))
        self.safeguarding = Programme.objects.get(code=Programme.SAFEGUARDING)
        self.apprenticeship = Programme.objects.get(code=Programme.APPRENTICESHIP)
        self.open_pairs = set()  # (cooperative, space) of open applications: one at most
        self.serial = 0
        self.allocated = set()  # spaces given to an approved application already
        self.totals = dict.fromkeys(
            [
                "spaces",
                "cooperatives",
                "applications",
                "reports",
                "enrolments",
                "actions",
                "roadmap",
            ],
            0,
        )

    def next(self):
        self.serial += 1
        return self.serial

    @transaction.atomic
    def grow(self, spaces, cooperatives, applications, enrolments):
        new_spaces = self.spaces(spaces)
        new_cooperatives = self.cooperatives(cooperatives)
        self.applications(applications, new_cooperatives, new_spaces)
        self.enrolments(enrolments)
        self.actions(max(1, spaces // 50), max(1, spaces // 20))

    def spaces(self, count):
        rng = self.rng
        rows = [
            Space(
                commune=rng.choice(self.communes),
                name=f"Salle communale {self.next()}",
                kind=rng.choice(SpaceKind.values),
                floor_area_m2=rng.randint(40, 400),
                rooms=rng.randint(1, 8),
                capacity=rng.randint(10, 80),
                condition=rng.choice(Condition.values),
                ownership=rng.choice(Ownership.values),
                status=pick(rng, SPACE_STATUSES),
                created_at=moment(rng),
            )
            for _ in range(count)
        ]
        self.totals["spaces"] += count
        return Space.objects.bulk_create(rows, batch_size=BATCH)

    def cooperatives(self, count):
        rng = self.rng
        rows = []
        for _ in range(count):
            number = f"2020/{self.next():05d}"
            women, men = rng.randint(3, 60), rng.randint(0, 20)
            rows.append(
                Cooperative(
                    name=f"Coopérative {number}",
                    registration_number=number,
                    registration_key=registration_key(number),
                    commune=rng.choice(self.communes),
                    women_members=women,
                    men_members=men,
                    under_30_members=rng.randint(0, women + men),
                    verified=True,
                    verified_at=moment(rng),
                    created_at=moment(rng),
                )
            )
        self.totals["cooperatives"] += count
        return Cooperative.objects.bulk_create(rows, batch_size=BATCH)

    def applications(self, count, cooperatives, spaces):
        rng = self.rng
        rows = []
        for _ in range(count):
            status = pick(rng, APPLICATION_STATUSES)
            cooperative = rng.choice(cooperatives)
            place = {"space": rng.choice(spaces)}
            if rng.random() < 0.3:
                place = {"commune": rng.choice(self.communes)}
            elif rng.random() < 0.1:
                place = {"province": rng.choice(self.communes).province}
            elif status in OPEN_STATUSES:
                while (cooperative.pk, place["space"].pk) in self.open_pairs:
                    place = {"space": rng.choice(spaces)}
                self.open_pairs.add((cooperative.pk, place["space"].pk))
            created = moment(rng)
            submitted = None
            if status != ApplicationStatus.DRAFT:
                submitted = created + timedelta(days=rng.uniform(0, 20))
            decided = None
            if status in (ApplicationStatus.APPROVED, ApplicationStatus.REJECTED):
                decided = submitted + timedelta(days=rng.uniform(1, 120))
            people = rng.randint(1, 40)
            rows.append(
                SpaceApplication(
                    cooperative=cooperative,
                    craft_id=rng.choice(self.crafts),
                    description="Atelier de tissage",
                    beneficiaries=people,
                    women_beneficiaries=rng.randint(0, people),
                    days_per_week=rng.randint(1, 7),
                    starts_on=(created + timedelta(days=60)).date(),
                    duration_months=rng.randint(1, 36),
                    status=status,
                    created_at=created,
                    submitted_at=submitted,
                    decided_at=decided,
                    **place,
                )
            )
        self.totals["applications"] += count
        self.agreements([row for row in rows if row.status == ApplicationStatus.APPROVED], spaces)
        SpaceApplication.objects.bulk_create(rows, batch_size=BATCH)
        self.reports([row for row in rows if row.allocation_id])

    def agreements(self, approved, spaces):
        """An allocation for each approved application, each in a space of its own (no two
        share a weekday: PostgreSQL's exclusion constraints would refuse it)."""
        rng = self.rng
        free = [space for space in spaces if space.pk not in self.allocated]
        rng.shuffle(free)
        allocations = []
        for application, space in zip(approved, free, strict=False):
            starts_on = application.starts_on
            allocations.append(
                Allocation(
                    space=space,
                    purpose="cooperative_activity",
                    holder=application.cooperative.name,
                    starts_on=starts_on,
                    ends_on=starts_on + timedelta(days=365),
                    weekdays=rng.randint(1, 127),
                    agreement_reference=f"BENCH-{self.next():07d}",
                    status=rng.choice(["active", "ended", "renewed"]),
                )
            )
            self.allocated.add(space.pk)
        Allocation.objects.bulk_create(allocations, batch_size=BATCH)
        for application, allocation in zip(approved, allocations, strict=False):
            application.allocation = allocation

    def reports(self, applications):
        """Twelve monthly activity reports for each agreement."""
        rng = self.rng
        rows = []
        for application in applications:
            start = application.allocation.starts_on.replace(day=1)
            for month in range(12):
                first = date(
                    start.year + (start.month - 1 + month) // 12,
                    (start.month - 1 + month) % 12 + 1,
                    1,
                )
                given = rng.randint(4, 26)
                rows.append(
                    ActivityReport(
                        application=application,
                        period_start=first,
                        period_end=first + timedelta(days=27),
                        income_mad=rng.randint(0, 20_000),
                        women_workers=rng.randint(0, 20),
                        men_workers=rng.randint(0, 5),
                        days_used=rng.randint(0, given),
                        days_given=given,
                        filed_late=rng.random() < 0.2,
                    )
                )
        self.totals["reports"] += len(rows)
        ActivityReport.objects.bulk_create(rows, batch_size=BATCH)

    def enrolments(self, count):
        """One enrolment per new apprentice, in cohorts of about 25."""
        rng = self.rng
        masters = MasterArtisan.objects.bulk_create(
            [
                MasterArtisan(name=f"Maâlem {self.next()}", commune=rng.choice(self.communes))
                for _ in range(max(1, count // 100))
            ]
        )
        cohorts = []
        for _ in range(max(1, count // 25)):
            starts = moment(rng).date()
            cohorts.append(
                Cohort(
                    programme=self.apprenticeship,
                    craft_id=rng.choice(self.crafts),
                    master=rng.choice(masters),
                    starts_on=starts,
                    ends_on=starts + timedelta(days=300),
                    seats=30,
                    certificate=rng.choice(Certificate.values),
                )
            )
        cohorts = Cohort.objects.bulk_create(cohorts, batch_size=BATCH)
        users = User.objects.bulk_create(
            [
                User(username=f"apprenti{self.next()}", password="!", role=Role.APPRENTICE)
                for _ in range(count)
            ],
            batch_size=BATCH,
        )
        apprentices = Apprentice.objects.bulk_create(
            [
                Apprentice(
                    user=user,
                    birth_date=date(2000, 1, 1) + timedelta(days=rng.randint(0, 3000)),
                    woman=rng.random() < 0.6,
                    school_level=rng.choice(SchoolLevel.values),
                    commune=rng.choice(self.communes),
                )
                for user in users
            ],
            batch_size=BATCH,
        )
        rows = []
        for apprentice in apprentices:
            status = pick(rng, ENROLMENT_STATUSES)
            completed = status == EnrolmentStatus.COMPLETED
            rows.append(
                Enrolment(
                    cohort=rng.choice(cohorts),
                    apprentice=apprentice,
                    status=status,
                    completed_on=moment(rng).date() if completed else None,
                    outcome=rng.choice(Outcome.values + [""]) if completed else "",
                    created_at=moment(rng),
                )
            )
        self.totals["enrolments"] += count
        Enrolment.objects.bulk_create(rows, batch_size=BATCH)

    def actions(self, safeguarding, roadmap):
        rng = self.rng
        held = []
        for _ in range(safeguarding):
            starts = moment(rng).date()
            people = rng.randint(0, 60)
            held.append(
                SafeguardingAction(
                    programme=self.safeguarding,
                    kind=rng.choice(ActionKind.values),
                    title=f"Action {self.next()}",
                    craft_id=rng.choice(self.crafts),
                    starts_on=starts,
                    ends_on=starts + timedelta(days=rng.randint(0, 30)),
                    participants=people,
                    women_participants=rng.randint(0, people),
                    held=rng.random() < 0.7,
                )
            )
        SafeguardingAction.objects.bulk_create(held, batch_size=BATCH)
        planned = []
        for _ in range(roadmap):
            status = rng.choice(ActionStatus.values)
            planned.append(
                RoadmapAction(
                    title=f"Mesure {self.next()}",
                    commune=rng.choice([*self.communes, None]),
                    responsible_id=rng.choice(self.partners),
                    due_on=moment(rng).date(),
                    status=status,
                    progress=100 if status == ActionStatus.DONE else rng.randint(0, 90),
                )
            )
        RoadmapAction.objects.bulk_create(planned, batch_size=BATCH)
        self.totals["actions"] += safeguarding
        self.totals["roadmap"] += roadmap


def measure(label, function, repeat):
    """One counted run (which also warms caches and templates), then `repeat` timed runs."""
    with CaptureQueriesContext(connection) as queries:
        function()
    count = len(queries)  # now: the page's requests empty the log that `queries` reads
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        function()
        times.append(1000 * (time.perf_counter() - began))
    times.sort()
    median = statistics.median(times)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return {"label": label, "queries": count, "median": median, "p95": p95}


def benchmarks(province_id, commune_id):
    client = Client(HTTP_HOST="127.0.0.1")

    def page():
        response = client.get("/fr/figures/")
        if response.status_code != 200:
            raise SystemExit(f"GET /fr/figures/ answered {response.status_code}")

    return [
        ("all_figures, whole region", lambda: all_figures(Scope())),
        ("all_figures, one province", lambda: all_figures(Scope(province_id=province_id))),
        ("all_figures, one commune", lambda: all_figures(Scope(commune_id=commune_id))),
        ("GET /fr/figures/", page),
    ]


def report(title, world, results, baseline=None):
    totals = ", ".join(f"{n:,} {name}" for name, n in world.totals.items())
    print(f"\n{title}: {totals}")
    for i, row in enumerate(results):
        ratio = ""
        if baseline:
            ratio = f"   median/small {row['median'] / baseline[i]['median']:6.2f}"
        print(
            f"  {row['label']:<28} {row['queries']:3d} queries   median {row['median']:8.2f} ms"
            f"   p95 {row['p95']:8.2f} ms{ratio}"
        )


def run(args):
    rng = random.Random(args.seed)
    world = World(rng)
    province_id = (
        Province.objects.annotate(n=Count("communes")).order_by("-n", "pk").values_list("pk")[0][0]
    )
    commune_id = Commune.objects.filter(province_id=province_id).order_by("pk")[0].pk
    cases = benchmarks(province_id, commune_id)

    def sizes(spaces):
        return {
            "spaces": spaces,
            "cooperatives": max(2, spaces // 5),
            "applications": spaces,
            "enrolments": max(1, 3 * spaces // 10),
        }

    small, large = sizes(args.small), sizes(args.spaces)
    print(f"{args.repeat} runs each; province #{province_id}, commune #{commune_id}")
    began = time.perf_counter()
    world.grow(**small)
    print(f"small world built in {time.perf_counter() - began:.1f} s")
    before = [measure(label, function, args.repeat) for label, function in cases]
    report("small world", world, before)

    began = time.perf_counter()
    world.grow(**{name: large[name] - small[name] for name in large})
    print(f"\nlarge world built in {time.perf_counter() - began:.1f} s")
    after = [measure(label, function, args.repeat) for label, function in cases]
    report("large world", world, after, baseline=before)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--spaces", type=int, default=10_000, help="spaces in the large world")
    parser.add_argument("--small", type=int, default=100, help="spaces in the small world")
    args = parser.parse_args()
    if args.spaces <= args.small:
        parser.error("--spaces must be larger than --small")
    with throwaway_database("figures"):
        run(args)


if __name__ == "__main__":
    main()
