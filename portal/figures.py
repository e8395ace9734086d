"""The region at a glance: every figure is one aggregate query (the portal reads every app).

Filters: a province, a commune, and a period (applied to the date each figure is about:
a space's proposal, an application's submission, a cohort's start…).
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Avg, Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from chamber.models import Commune
from cooperatives.models import ActivityReport, ApplicationStatus, Cooperative, SpaceApplication
from programs.models import ActionStatus, Enrolment, RoadmapAction, SafeguardingAction
from spaces.models import (
    PUBLIC_STATUSES,
    RUNNING,
    Allocation,
    AllocationStatus,
    AllocationStatusChange,
    Space,
    SpaceStatus,
)


@dataclass(frozen=True)
class Scope:
    province_id: int | None = None
    commune_id: int | None = None
    start: date | None = None
    end: date | None = None

    def place(self, path: str) -> Q:
        """Filter on the commune found at `path` (e.g. "commune", "cooperative__commune")."""
        if self.commune_id:
            return Q(**{f"{path}_id": self.commune_id})
        if self.province_id:
            return Q(**{f"{path}__province_id": self.province_id})
        return Q()

    def period(self, field: str) -> Q:
        q = Q()
        if self.start:
            q &= Q(
                **{f"{field}__date__gte" if field.endswith("_at") else f"{field}__gte": self.start}
            )
        if self.end:
            q &= Q(
                **{f"{field}__date__lte" if field.endswith("_at") else f"{field}__lte": self.end}
            )
        return q


def _counts(queryset, field, choices) -> list[tuple[str, int]]:
    """(label, count) for every choice, zeros included, from one GROUP BY query."""
    found = dict(queryset.values_list(field).annotate(n=Count("pk")).values_list(field, "n"))
    return [(str(label), found.get(value, 0)) for value, label in choices]


def spaces(scope: Scope) -> dict:
    qs = Space.objects.filter(scope.place("commune"), scope.period("created_at"))
    public = qs.filter(status__in=PUBLIC_STATUSES)
    totals = public.aggregate(
        area=Sum("floor_area_m2"),
        available=Count("pk", filter=Q(status=SpaceStatus.AVAILABLE)),
        occupied=Count("pk", filter=Q(status=SpaceStatus.OCCUPIED)),
    )
    in_use = totals["available"] + totals["occupied"]
    by_province = list(
        public.values("commune__province__name_ar", "commune__province__name_fr")
        .annotate(n=Count("pk"))
        .order_by("commune__province__hcp_code")
    )
    # Every commune with a space in the catalogue, the most first (within the scope's place).
    by_commune = list(
        public.values("commune__name_ar", "commune__name_fr")
        .annotate(n=Count("pk"))
        .order_by("-n", "commune__name_fr")
    )
    return {
        "by_status": _counts(qs, "status", SpaceStatus.choices),
        # What the public may see: spaces the catalogue shows (the others are hidden there).
        "public_by_status": _counts(
            public, "status", [c for c in SpaceStatus.choices if c[0] in PUBLIC_STATUSES]
        ),
        "by_province": by_province,
        "by_commune": by_commune,
        "area": totals["area"] or 0,
        "occupancy": round(100 * totals["occupied"] / in_use) if in_use else 0,
        "in_catalogue": in_use,
    }


def cooperatives(scope: Scope) -> dict:
    verified = Cooperative.objects.filter(scope.place("commune"), verified=True)
    members = verified.aggregate(
        count=Count("pk"), women=Sum("women_members"), men=Sum("men_members")
    )
    reached = SpaceApplication.objects.filter(
        scope.place("cooperative__commune"),
        scope.period("decided_at"),
        status=ApplicationStatus.APPROVED,
    ).aggregate(people=Sum("beneficiaries"), women=Sum("women_beneficiaries"))
    return {
        "verified": members["count"],
        "women_members": members["women"] or 0,
        "men_members": members["men"] or 0,
        "beneficiaries": reached["people"] or 0,
        "women_beneficiaries": reached["women"] or 0,
    }


def median_days_to_decision(scope: Scope) -> float | None:
    """The median time from submission to decision, found by the database: it orders the
    durations and returns the middle one (or the mean of the two middle ones)."""
    decided = (
        SpaceApplication.objects.filter(
            scope.place("cooperative__commune"),
            scope.period("submitted_at"),
            submitted_at__isnull=False,
            decided_at__isnull=False,
        )
        .annotate(duration=F("decided_at") - F("submitted_at"))
        .order_by("duration")
    )
    count = decided.count()
    if not count:
        return None
    middle = decided.values_list("duration", flat=True)[(count - 1) // 2 : count // 2 + 1]
    values = list(middle)
    seconds = sum(v.total_seconds() for v in values) / len(values)
    return round(seconds / 86400, 1)


def applications(scope: Scope) -> dict:
    qs = SpaceApplication.objects.filter(
        scope.place("cooperative__commune"), scope.period("created_at")
    )
    return {
        "by_status": _counts(qs, "status", ApplicationStatus.choices),
        "median_days": median_days_to_decision(scope),
    }


def apprentices(scope: Scope) -> dict:
    from programs.models import EnrolmentStatus, Outcome

    qs = Enrolment.objects.filter(
        scope.place("apprentice__commune"), scope.period("cohort__starts_on")
    )
    return {
        "by_status": _counts(qs, "status", EnrolmentStatus.choices),
        "by_outcome": _counts(
            qs.filter(status=EnrolmentStatus.COMPLETED).exclude(outcome=""),
            "outcome",
            Outcome.choices,
        ),
    }


def safeguarding(scope: Scope) -> dict:
    held = SafeguardingAction.objects.filter(scope.period("starts_on"), held=True)
    totals = held.aggregate(actions=Count("pk"), people=Sum("participants"))
    return {"actions": totals["actions"], "participants": totals["people"] or 0}


def roadmap(scope: Scope) -> dict:
    qs = RoadmapAction.objects.filter(scope.place("commune")).exclude(status=ActionStatus.CANCELLED)
    totals = qs.aggregate(
        progress=Avg("progress"),
        count=Count("pk"),
        done=Count("pk", filter=Q(status=ActionStatus.DONE)),
    )
    return {
        "progress": round(totals["progress"] or 0),
        "actions": totals["count"],
        "done": totals["done"],
    }


# --- the income the activities bring (issue #13) ----------------------------------------

# The public sees a sum of activity reports only when it adds up at least this many
# cooperatives (law 09-08: one cooperative's income is never published).
MIN_COOPERATIVES = 3
_PLACE = "application__allocation__space__commune"


def _reports(scope: Scope):
    return ActivityReport.objects.filter(scope.place(_PLACE), scope.period("period_start"))


@dataclass
class Cell:
    """The reports of one commune for one month: the public's unit of income. A cell of
    fewer than MIN_COOPERATIVES cooperatives is never shown, nor added into any public sum:
    every public figure is a sum of whole cells, so that subtracting one from another (a
    province from a commune, May from June) only ever gives other cells."""

    commune_id: int
    month: date  # a report's period starts on the first of a month
    cooperatives: int
    income: int = 0
    reports: int = 0
    used: int = 0
    given: int = 0

    @property
    def publishable(self) -> bool:
        return self.cooperatives >= MIN_COOPERATIVES


def cells(scope: Scope) -> list[Cell]:
    """The commune × month cells of the reports in scope: one GROUP BY, whose rows are as
    many as communes times months, whatever the number of reports."""
    rows = (
        _reports(scope)
        .values_list(_PLACE, "period_start")
        .annotate(
            cooperatives=Count("application__cooperative", distinct=True),
            income=Sum("income_mad"),
            reports=Count("pk"),
            used=Sum("days_used"),
            given=Sum("days_given"),
        )
        .order_by("period_start", _PLACE)
    )
    return [
        Cell(commune_id, month, cooperatives, income or 0, reports, used or 0, given or 0)
        for commune_id, month, cooperatives, income, reports, used, given in rows
    ]


def _public_income(scope: Scope) -> dict:
    """The income figures the public may read: sums of publishable cells only."""
    kept = [cell for cell in cells(scope) if cell.publishable]
    communes = Commune.objects.select_related("province").in_bulk(
        {cell.commune_id for cell in kept}
    )

    def grouped(key, label) -> list[dict]:
        groups: dict = {}
        for cell in kept:
            group = groups.setdefault(key(cell), {"key": label(cell), "income": 0})
            group["income"] += cell.income
        return list(groups.values())

    def names(place):
        return (place.name_ar, place.name_fr)

    by_commune = grouped(lambda c: c.commune_id, lambda c: names(communes[c.commune_id]))
    by_province = grouped(
        lambda c: communes[c.commune_id].province_id,
        lambda c: names(communes[c.commune_id].province),
    )
    return {
        "income": sum(cell.income for cell in kept),
        "cells": len(kept),
        "by_month": grouped(lambda c: c.month, lambda c: c.month),
        "by_province": sorted(by_province, key=lambda g: -g["income"]),
        "by_commune": sorted(by_commune, key=lambda g: -g["income"]),
        "by_craft": [],  # a craft within a commune and a month: too few to show
    }


def _staff_income(qs) -> dict:
    """Every sum, for the staff (no cell left out)."""
    cooperatives = Count("application__cooperative", distinct=True)

    def grouped(*fields, order):
        rows = qs.values(*fields).annotate(income=Sum("income_mad"), cooperatives=cooperatives)
        return [
            {
                "key": row[fields[0]] if len(fields) == 1 else tuple(row[f] for f in fields),
                "income": row["income"] or 0,
                "cooperatives": row["cooperatives"],
            }
            for row in rows.order_by(order)
        ]

    province = f"{_PLACE}__province"
    return {
        "by_month": grouped("period_start", order="period_start"),
        "by_province": grouped(
            f"{province}__name_ar", f"{province}__name_fr", order=f"{province}__hcp_code"
        ),
        "by_commune": grouped(f"{_PLACE}__name_ar", f"{_PLACE}__name_fr", order="-income"),
        "by_craft": grouped(
            "application__craft__name_ar", "application__craft__name_fr", order="-income"
        ),
    }


def impact(scope: Scope, *, public: bool) -> dict:
    """What the activities bring, from their reports: a fixed number of aggregate queries
    whatever the number of reports. For the public (`public`), income is summed over the
    publishable cells only (Cell); the staff see every sum."""
    qs = _reports(scope)
    totals = qs.aggregate(
        income=Sum("income_mad"),
        cooperatives=Count("application__cooperative", distinct=True),
        reports=Count("pk"),
        on_time=Count("pk", filter=Q(filed_late=False)),
        used=Sum("days_used"),
        given=Sum("days_given"),
    )
    latest = (
        ActivityReport.objects.filter(application=OuterRef("pk"))
        .filter(scope.period("period_start"))
        .order_by("-period_start")
    )
    women = (
        SpaceApplication.objects.filter(
            scope.place("allocation__space__commune"), reports__isnull=False
        )
        .distinct()
        .annotate(latest_women=Subquery(latest.values("women_workers")[:1]))
        .aggregate(women=Sum("latest_women"))
    )
    closed = AllocationStatusChange.objects.filter(
        scope.place("allocation__space__commune"), scope.period("at")
    ).aggregate(
        renewed=Count("pk", filter=Q(to_status=AllocationStatus.RENEWED)),
        ended=Count("pk", filter=Q(to_status=AllocationStatus.ENDED)),
        terminated=Count("pk", filter=Q(to_status=AllocationStatus.TERMINATED)),
    )
    data = {
        "income": totals["income"] or 0,
        "cooperatives": totals["cooperatives"] or 0,
        "women": women["women"] or 0,
        "reports": totals["reports"],
        "on_time": totals["on_time"],
        "occupancy": round(100 * totals["used"] / totals["given"]) if totals["given"] else None,
        "area_by_weekday": area_by_weekday(scope),
        "renewed": closed["renewed"],
        "ended": closed["ended"],
        "terminated": closed["terminated"],
    }
    if public:
        income = _public_income(scope)
        data.update(income)
        data["enough"] = income.pop("cells") > 0
        data["left_out"] = (totals["income"] or 0) - income["income"]
    else:
        data.update(_staff_income(qs))
        data["enough"] = True
        data["left_out"] = 0
    return data


def income_by_commune() -> list[dict]:
    """Open data's income of the activities: one row per commune and month that adds up at
    least MIN_COOPERATIVES cooperatives (the public's cells; the others are left out)."""
    kept = [cell for cell in cells(Scope()) if cell.publishable]
    communes = Commune.objects.select_related("province").in_bulk(
        {cell.commune_id for cell in kept}
    )
    return [
        {
            "commune_code": communes[cell.commune_id].official_code,
            "commune_name_ar": communes[cell.commune_id].name_ar,
            "commune_name_fr": communes[cell.commune_id].name_fr,
            "province_code": communes[cell.commune_id].province.code,
            "month": cell.month.strftime("%Y-%m"),
            "cooperatives": cell.cooperatives,
            "reports": cell.reports,
            "income_mad": cell.income,
            "days_used": cell.used,
            "days_given": cell.given,
        }
        for cell in sorted(kept, key=lambda c: (communes[c.commune_id].official_code, c.month))
    ]


def area_by_weekday(scope: Scope, today: date | None = None) -> list[int]:
    """Floor area (m²) of the spaces in use on each day of the week today, Monday first:
    one query over the running allocations."""
    today = today or timezone.localdate()
    running = Allocation.objects.filter(
        scope.place("space__commune"),
        status__in=RUNNING,
        starts_on__lte=today,
        ends_on__gte=today,
    )
    found = running.aggregate(
        **{
            f"d{day}": Sum(
                "space__floor_area_m2", filter=GreaterThan(F("weekdays").bitand(1 << day), 0)
            )
            for day in range(7)
        }
    )
    return [found[f"d{day}"] or 0 for day in range(7)]


def all_figures(scope: Scope, *, public: bool = True) -> dict:
    return {
        "impact": impact(scope, public=public),
        "spaces": spaces(scope),
        "cooperatives": cooperatives(scope),
        "applications": applications(scope),
        "apprentices": apprentices(scope),
        "safeguarding": safeguarding(scope),
        "roadmap": roadmap(scope),
    }
