"""Applications as the matching engine sees them, and the plan staff steer.

Reads only: it turns open applications into `spaces.matching.Need`, asks the engine, and
returns rows for the matching board. Decisions (approve, lock, exclude) are services.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Avg, Q, QuerySet
from django.utils import timezone

from chamber.models import Commune
from cooperatives.models import (
    ApplicationStatus,
    PlanDecision,
    PlanDecisionKind,
    SpaceApplication,
)
from spaces import selectors as space_selectors
from spaces.matching import (
    EXCLUDED,
    Match,
    Need,
    plan,
    rank_needs,
    rank_spaces,
    score,
    score_matrix,
)
from spaces.matching import utilities_needed as needed_utilities
from spaces.models import PUBLIC_STATUSES, RUNNING, Allocation, AllocationStatus, Space

WAITING = (ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def period_of(application: SpaceApplication) -> tuple[date, date]:
    ends_on = add_months(application.starts_on, application.duration_months) - timedelta(days=1)
    return application.starts_on, ends_on


def province_centres() -> dict[int, tuple[float, float]]:
    rows = Commune.objects.values("province_id").annotate(lat=Avg("latitude"), lng=Avg("longitude"))
    return {row["province_id"]: (float(row["lat"]), float(row["lng"])) for row in rows}


def waiting_applications(province_id: int | None = None) -> QuerySet[SpaceApplication]:
    """Applications waiting for a space (sent or under review), of a province if given."""
    applications = SpaceApplication.objects.filter(status__in=WAITING).select_related(
        "cooperative", "craft", "space__commune", "commune", "province"
    )
    if province_id:
        applications = applications.filter(
            Q(space__commune__province_id=province_id)
            | Q(commune__province_id=province_id)
            | Q(province_id=province_id)
        )
    return applications.order_by("submitted_at", "pk")


def need_for(application: SpaceApplication, centres: dict | None = None) -> Need:
    # A given space stands where its commune is; otherwise the commune or province asked for.
    commune = application.space.commune if application.space_id else application.commune
    if commune is not None:
        province_id, lat, lng = commune.province_id, commune.latitude, commune.longitude
    else:
        province_id = application.province_id
        lat, lng = (centres or province_centres())[province_id]
    starts_on, ends_on = period_of(application)
    return Need(
        id=application.pk,
        commune_id=commune.pk if commune else None,
        province_id=province_id,
        lat=float(lat),
        lng=float(lng),
        craft_id=application.craft_id,
        family=application.craft.family,
        headcount=application.beneficiaries,
        starts_on=starts_on,
        ends_on=ends_on,
        days_per_week=application.days_per_week,  # any free days; staff fix them at approval
        utilities=needed_utilities(application.craft.family, application.beneficiaries),
        women_led=application.cooperative.is_women_led,
        endangered=application.craft.endangered,
    )


def spaces_for(application: SpaceApplication) -> tuple[list[Match], dict[int, Space]]:
    """Every matchable space for an application, ranked, with the spaces by id."""
    spaces = list(space_selectors.matchable_spaces().select_related("commune__province"))
    facts = space_selectors.space_facts(Space.objects.filter(pk__in=[s.pk for s in spaces]))
    policy = space_selectors.current_policy()
    return rank_spaces(need_for(application), facts, policy), {s.pk: s for s in spaces}


def applications_for(
    space: Space, limit: int = 50
) -> tuple[list[Match], dict[int, SpaceApplication]]:
    """The best `limit` waiting applications for a space, with the applications by id."""
    applications = list(waiting_applications())
    centres = province_centres()
    needs = [need_for(a, centres) for a in applications]
    [facts] = space_selectors.space_facts(Space.objects.filter(pk=space.pk))
    policy = space_selectors.current_policy()
    return rank_needs(facts, needs, policy, limit=limit), {a.pk: a for a in applications}


def fitting_applications(spaces: list[Space]) -> dict[int, list[SpaceApplication]]:
    """For each space, the waiting applications of its commune (asking for it, or for any
    space of the commune; not those asking for another space) that the engine does not
    exclude from it: what a hall whose
    agreement ends can host next. A fixed number of queries for any number of spaces."""
    if not spaces:
        return {}
    communes = {space.commune_id for space in spaces}
    applications = list(
        waiting_applications().filter(
            Q(space__commune_id__in=communes) | Q(commune_id__in=communes)
        )
    )
    if not applications:
        return {space.pk: [] for space in spaces}
    centres = province_centres()
    needs = {a.pk: need_for(a, centres) for a in applications}
    facts = space_selectors.space_facts(Space.objects.filter(pk__in=[s.pk for s in spaces]))
    policy = space_selectors.current_policy()
    found = {}
    for space in facts:
        # asking for this very space, or for any space of its commune (not for another one)
        mine = [
            a
            for a in applications
            if a.space_id == space.id or (a.space_id is None and a.commune_id == space.commune_id)
        ]
        matrix = score_matrix([space], [needs[a.pk] for a in mine], policy)
        found[space.id] = [a for a, row in zip(mine, matrix, strict=True) if row[0] != EXCLUDED]
    return found


@dataclass
class FreedHall:
    space: Space
    free_from: date
    fit: list[SpaceApplication]


# How far the dashboard looks back and ahead for agreements that free a hall's days.
FREEING_DAYS = 30


def halls_freeing(today: date | None = None, limit: int = 20) -> list[FreedHall]:
    """The halls whose agreement ends within FREEING_DAYS or ended (or was stopped) in the
    last FREEING_DAYS, the soonest first, each with the day its days come back and the
    waiting applications of its commune that fit it ("free from 1 July: 3 fit"). A fixed
    number of queries."""
    today = today or timezone.localdate()
    soon, lately = today + timedelta(days=FREEING_DAYS), today - timedelta(days=FREEING_DAYS)
    ending = Allocation.objects.filter(
        Q(status__in=RUNNING, ends_on__gte=today, ends_on__lte=soon)
        | Q(
            status__in=(AllocationStatus.ENDED, AllocationStatus.TERMINATED),
            closed_at__date__gte=lately,
        ),
        space__status__in=PUBLIC_STATUSES,
    ).select_related("space__commune")
    free_from = {}
    for allocation in ending:
        day = (
            allocation.ends_on + timedelta(days=1)
            if allocation.is_running
            else min(
                allocation.ends_on + timedelta(days=1), timezone.localdate(allocation.closed_at)
            )
        )
        space = allocation.space
        if space.pk not in free_from or day < free_from[space.pk][1]:
            free_from[space.pk] = (space, day)
    halls = sorted(free_from.values(), key=lambda pair: (pair[1], pair[0].pk))[:limit]
    fit = fitting_applications([space for space, _day in halls])
    return [FreedHall(space, day, fit.get(space.pk, [])) for space, day in halls]


@dataclass
class PlanRow:
    application: SpaceApplication
    space: Space | None
    match: Match | None
    locked: bool = False

    @property
    def broken(self) -> bool:
        """A locked pair that has become impossible (the space taken meanwhile…)."""
        return self.match is not None and self.match.excluded is not None


def build_plan(province_id: int | None = None) -> tuple[list[PlanRow], float]:
    """The optimal plan for the waiting applications and matchable spaces (of a province),
    around the pairs staff locked or excluded. Returns the rows and the total score."""
    applications = list(waiting_applications(province_id))
    spaces = list(space_selectors.matchable_spaces(province_id).select_related("commune__province"))
    facts = space_selectors.space_facts(Space.objects.filter(pk__in=[s.pk for s in spaces]))
    centres = province_centres()
    needs = [need_for(a, centres) for a in applications]
    policy = space_selectors.current_policy()
    row_of = {a.pk: i for i, a in enumerate(applications)}
    col_of = {f.id: j for j, f in enumerate(facts)}
    decisions = PlanDecision.objects.filter(application__in=applications, closed_at__isnull=True)
    locked, excluded = [], set()
    for decision in decisions:
        pair = (row_of.get(decision.application_id), col_of.get(decision.space_id))
        if None in pair:
            continue
        if decision.kind == PlanDecisionKind.LOCK:
            locked.append(pair)
        else:
            excluded.add(pair)
    matrix = score_matrix(facts, needs, policy)
    chosen = plan(matrix, locked=locked, excluded=excluded)
    spaces_by_id = {s.pk: s for s in spaces}
    rows, assigned = [], set()
    for i, j, _value in chosen:
        assigned.add(i)
        rows.append(
            PlanRow(
                application=applications[i],
                space=spaces_by_id[facts[j].id],
                match=score(facts[j], needs[i], policy),
                locked=(i, j) in locked,
            )
        )
    rows.sort(key=lambda row: (not row.broken, -row.match.score))
    total = sum(row.match.score for row in rows if not row.broken)
    rows += [
        PlanRow(application=a, space=None, match=None)
        for i, a in enumerate(applications)
        if i not in assigned
    ]
    return rows, total
