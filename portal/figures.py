"""The region at a glance: every figure is one aggregate query (the portal reads every app).

Filters: a province, a commune, and a period (applied to the date each figure is about:
a space's proposal, an application's submission, a cohort's start…).
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Avg, Count, F, Q, Sum

from cooperatives.models import ApplicationStatus, Cooperative, SpaceApplication
from programs.models import ActionStatus, Enrolment, RoadmapAction, SafeguardingAction
from spaces.models import PUBLIC_STATUSES, Space, SpaceStatus


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


def all_figures(scope: Scope) -> dict:
    return {
        "spaces": spaces(scope),
        "cooperatives": cooperatives(scope),
        "applications": applications(scope),
        "apprentices": apprentices(scope),
        "safeguarding": safeguarding(scope),
        "roadmap": roadmap(scope),
    }
