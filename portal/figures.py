"""The region at a glance: every figure is one aggregate query (the portal reads every app).

Filters: a province, a commune, and a period (applied to the date each figure is about:
a space's proposal, an application's submission, a cohort's start…).
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Avg, Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.lookups import GreaterThan
from django.utils import timezone

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


def _reports(scope: Scope):
    return ActivityReport.objects.filter(
        scope.place("application__allocation__space__commune"), scope.period("period_start")
    )


def _sums(rows, key) -> list[dict]:
    """(label, income, cooperatives, women) groups from one GROUP BY."""
    return [
        {
            "key": row[key] if isinstance(key, str) else tuple(row[k] for k in key),
            "income": row["income"] or 0,
            "cooperatives": row["cooperatives"],
            "row": row,
        }
        for row in rows
    ]


def protect(groups: list[dict]) -> tuple[list[dict], dict | None]:
    """The groups the public may see, and the rest put together (or None when there is no
    rest, or it would itself add up fewer than MIN_COOPERATIVES).

    A group of fewer than MIN_COOPERATIVES cooperatives is hidden; and while the hidden ones
    together add up fewer (their sum could be found by subtracting the shown ones from the
    total), the smallest shown group is hidden with them."""
    shown = sorted(groups, key=lambda g: (g["cooperatives"], g["income"]), reverse=True)
    hidden = [g for g in shown if g["cooperatives"] < MIN_COOPERATIVES]
    shown = [g for g in shown if g["cooperatives"] >= MIN_COOPERATIVES]
    while hidden and shown and sum(g["cooperatives"] for g in hidden) < MIN_COOPERATIVES:
        hidden.append(shown.pop())
    if not hidden:
        return shown, None
    rest = {
        "income": sum(g["income"] for g in hidden),
        "cooperatives": sum(g["cooperatives"] for g in hidden),
    }
    return shown, rest if rest["cooperatives"] >= MIN_COOPERATIVES else None


def impact(scope: Scope, *, public: bool) -> dict:
    """What the activities bring, from their reports: a fixed number of aggregate queries
    whatever the number of reports. For the public (`public`), a sum over fewer than
    MIN_COOPERATIVES cooperatives is left out (`protect`)."""
    qs = _reports(scope)
    cooperatives = Count("application__cooperative", distinct=True)
    totals = qs.aggregate(
        income=Sum("income_mad"),
        cooperatives=cooperatives,
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
    income = Sum("income_mad")
    by_month = _sums(
        qs.values("period_start")
        .annotate(income=income, cooperatives=cooperatives)
        .order_by("period_start"),
        "period_start",
    )
    by_province = _sums(
        qs.values(
            "application__allocation__space__commune__province__name_ar",
            "application__allocation__space__commune__province__name_fr",
        )
        .annotate(income=income, cooperatives=cooperatives)
        .order_by("application__allocation__space__commune__province__hcp_code"),
        (
            "application__allocation__space__commune__province__name_ar",
            "application__allocation__space__commune__province__name_fr",
        ),
    )
    by_commune = _sums(
        qs.values(
            "application__allocation__space__commune__name_ar",
            "application__allocation__space__commune__name_fr",
        )
        .annotate(income=income, cooperatives=cooperatives)
        .order_by("-income"),
        (
            "application__allocation__space__commune__name_ar",
            "application__allocation__space__commune__name_fr",
        ),
    )
    by_craft = _sums(
        qs.values("application__craft__name_ar", "application__craft__name_fr")
        .annotate(income=income, cooperatives=cooperatives)
        .order_by("-income"),
        ("application__craft__name_ar", "application__craft__name_fr"),
    )
    closed = AllocationStatusChange.objects.filter(
        scope.place("allocation__space__commune"), scope.period("at")
    ).aggregate(
        renewed=Count("pk", filter=Q(to_status=AllocationStatus.RENEWED)),
        ended=Count("pk", filter=Q(to_status=AllocationStatus.ENDED)),
        terminated=Count("pk", filter=Q(to_status=AllocationStatus.TERMINATED)),
    )
    enough = (totals["cooperatives"] or 0) >= MIN_COOPERATIVES
    data = {
        "enough": enough or not public,
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
    for name, groups in (
        ("by_month", by_month),
        ("by_province", by_province),
        ("by_commune", by_commune),
        ("by_craft", by_craft),
    ):
        if public:
            groups, rest = protect(groups) if enough else ([], None)
        else:
            rest = None
        if name == "by_month":
            groups = sorted(groups, key=lambda g: g["key"])
        data[name] = groups
        data[f"{name}_rest"] = rest
    if public and not enough:
        data.update(income=None, women=None)
    return data


def income_by_commune() -> list[dict]:
    """Open data's income of the activities by commune, over every report: the communes whose
    sum adds up at least MIN_COOPERATIVES cooperatives, and the others together when they may
    be shown (`protect`). One query."""
    place = "application__allocation__space__commune"
    rows = (
        ActivityReport.objects.values(
            f"{place}__official_code",
            f"{place}__name_ar",
            f"{place}__name_fr",
            f"{place}__province__code",
        )
        .annotate(
            income=Sum("income_mad"),
            cooperatives=Count("application__cooperative", distinct=True),
            reports=Count("pk"),
            used=Sum("days_used"),
            given=Sum("days_given"),
        )
        .order_by(f"{place}__official_code")
    )
    groups = [
        {
            "key": row[f"{place}__official_code"],
            "income": row["income"] or 0,
            "cooperatives": row["cooperatives"],
            "row": row,
        }
        for row in rows
    ]
    shown, rest = protect(groups)

    def record(row, code=None):
        return {
            "commune_code": code,
            "commune_name_ar": row.get(f"{place}__name_ar") if code else None,
            "commune_name_fr": row.get(f"{place}__name_fr") if code else None,
            "province_code": row.get(f"{place}__province__code") if code else None,
            "cooperatives": row["cooperatives"],
            "reports": row["reports"],
            "income_mad": row["income"] or 0,
            "days_used": row["used"] or 0,
            "days_given": row["given"] or 0,
        }

    found = [record(group["row"], group["key"]) for group in sorted(shown, key=lambda g: g["key"])]
    if rest:
        hidden = [g["row"] for g in groups if g not in shown]
        found.append(
            record(
                {
                    "cooperatives": rest["cooperatives"],
                    "reports": sum(r["reports"] for r in hidden),
                    "income": rest["income"],
                    "used": sum(r["used"] or 0 for r in hidden),
                    "given": sum(r["given"] or 0 for r in hidden),
                }
            )
        )
    return found


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
