"""Reads of the programmes: figures computed from the data (never typed), open cohorts,
enrolments by who asks, and the roadmap by commune and programme."""

from django.db.models import (
    Avg,
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
)
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from chamber.models import Commune, User
from chamber.privacy import acts_of
from programs.models import (
    SEAT_STATUSES,
    ActionKind,
    ActionStatus,
    Apprentice,
    Cohort,
    Diagnostic,
    EndangeredCraft,
    Enrolment,
    EnrolmentOutcomeChange,
    EnrolmentStatus,
    EnrolmentStatusChange,
    Indicator,
    MasterArtisan,
    Programme,
    RoadmapAction,
    RoadmapActionStatusChange,
    SafeguardingAction,
    late_actions,
)
from programs.permissions import can_see_enrolment


def achieved(programme: Programme, indicator: str) -> int:
    """What the data says for one indicator of a programme (one aggregate query)."""
    completed = Enrolment.objects.filter(
        cohort__programme=programme, status=EnrolmentStatus.COMPLETED
    )
    held = SafeguardingAction.objects.filter(programme=programme, held=True)
    if indicator == Indicator.APPRENTICES_TRAINED:
        return completed.count()
    if indicator == Indicator.WOMEN_APPRENTICES:
        return completed.filter(apprentice__woman=True).count()
    if indicator == Indicator.CRAFTS_DOCUMENTED:
        return held.filter(kind=ActionKind.DOCUMENTATION).values("craft").distinct().count()
    if indicator == Indicator.SAFEGUARDING_ACTIONS:
        return held.count()
    if indicator == Indicator.ACTION_PARTICIPANTS:
        return held.aggregate(total=Sum("participants"))["total"] or 0
    if indicator == Indicator.MASTER_ARTISANS:
        return (
            MasterArtisan.objects.filter(
                Q(safeguardingaction__programme=programme) | Q(cohorts__programme=programme)
            )
            .distinct()
            .count()
        )
    raise ValueError(indicator)


def objectives_with_progress(programme: Programme) -> list[dict]:
    rows = []
    for objective in programme.objectives.all():
        done = achieved(programme, objective.indicator)
        rows.append(
            {
                "objective": objective,
                "achieved": done,
                "percent": min(100, round(100 * done / objective.target)),
            }
        )
    return rows


def get_programme(code: str) -> Programme:
    return get_object_or_404(Programme.objects.prefetch_related("partners"), code=code)


def open_cohorts() -> QuerySet[Cohort]:
    """Cohorts taking applications, with the seats already taken."""
    return (
        Cohort.objects.filter(open_for_applications=True, starts_on__gte=timezone.localdate())
        .select_related("craft", "master__commune", "space__commune", "programme")
        .annotate(taken=Count("enrolments", filter=Q(enrolments__status__in=SEAT_STATUSES)))
        .order_by("starts_on", "pk")
    )


def get_cohort(pk: int) -> Cohort:
    return get_object_or_404(
        Cohort.objects.select_related(
            "craft", "master__commune", "space__commune", "programme"
        ).annotate(taken=Count("enrolments", filter=Q(enrolments__status__in=SEAT_STATUSES))),
        pk=pk,
    )


def enrolments_of_cohort(cohort: Cohort) -> QuerySet[Enrolment]:
    return cohort.enrolments.select_related("apprentice__user", "apprentice__commune")


def enrolments_of(user: User) -> QuerySet[Enrolment]:
    apprentice = getattr(user, "apprentice", None)
    if apprentice is None:
        return Enrolment.objects.none()
    return apprentice.enrolments.select_related("cohort__craft", "cohort__master")


def get_enrolment_for(user: User, pk: int) -> Enrolment:
    """The young person's own enrolment, or any for staff; 404 for anyone else."""
    enrolment = get_object_or_404(
        Enrolment.objects.select_related(
            "apprentice__user",
            "apprentice__commune",
            "cohort__craft",
            "cohort__master",
            "cohort__space__commune",
        ),
        pk=pk,
    )
    if not can_see_enrolment(user, enrolment):
        raise Http404
    return enrolment


def roadmap_actions(today) -> QuerySet[RoadmapAction]:
    """Roadmap actions, each marked `late` by the database (programs.models.late_actions)."""
    return RoadmapAction.objects.select_related(
        "commune__province", "programme", "responsible"
    ).annotate(late=ExpressionWrapper(late_actions(today), output_field=BooleanField()))


def roadmap() -> dict:
    """Actions by commune (with their mean progress) and progress by programme."""
    today = timezone.localdate()
    actions = roadmap_actions(today)
    counted = ~Q(roadmap_actions__status=ActionStatus.CANCELLED)  # a cancelled action is not 0%
    communes = (
        Commune.objects.filter(roadmap_actions__isnull=False)
        .distinct()
        .annotate(progress=Avg("roadmap_actions__progress", filter=counted))
        .select_related("province")
        .prefetch_related(
            Prefetch("roadmap_actions", queryset=actions.order_by("due_on")),
            Prefetch("diagnostics", queryset=Diagnostic.objects.order_by("field")),
        )
        .order_by("province__hcp_code", "official_code")
    )
    programmes = Programme.objects.annotate(
        progress=Avg("roadmap_actions__progress", filter=counted),
        action_count=Count("roadmap_actions", distinct=True),
        late=Count("roadmap_actions", filter=late_actions(today, "roadmap_actions__")),
    )
    regional = actions.filter(commune__isnull=True).order_by("due_on")
    return {"communes": communes, "programmes": programmes, "regional": regional}


def get_action(pk: int) -> SafeguardingAction:
    return get_object_or_404(SafeguardingAction.objects.select_related("craft", "programme"), pk=pk)


def endangered_crafts():
    """Endangered crafts, each marked documented when a documentation action was held."""
    documented = SafeguardingAction.objects.filter(
        kind=ActionKind.DOCUMENTATION, held=True, craft=OuterRef("craft")
    )
    return EndangeredCraft.objects.select_related("craft").annotate(documented=Exists(documented))


HISTORY_FIELDS = ["enrolment", "from_status", "to_status", "at", "note"]


def personal_data(user: User) -> dict:
    """What the programmes hold about a person (chamber.privacy): their apprentice profile,
    their enrolments with their outcomes and histories, and the moves they made."""
    profile = (
        Apprentice.objects.filter(user=user)
        .values("birth_date", "woman", "school_level", "commune")
        .first()
    )
    enrolments = Enrolment.objects.filter(apprentice__user=user)
    return {
        "apprentice": profile,
        "enrolments": list(
            enrolments.order_by("created_at", "pk").values(
                "id",
                "cohort",
                "cohort__craft__code",
                "cohort__starts_on",
                "cohort__ends_on",
                "status",
                "certificate_number",
                "completed_on",
                "outcome",
                "created_at",
            )
        ),
        "enrolment_history": list(
            EnrolmentStatusChange.objects.filter(enrolment__in=enrolments).values(*HISTORY_FIELDS)
        ),
        "outcome_history": list(
            EnrolmentOutcomeChange.objects.filter(enrolment__in=enrolments).values(*HISTORY_FIELDS)
        ),
        "acts": acts_of(
            user, EnrolmentStatusChange, EnrolmentOutcomeChange, RoadmapActionStatusChange
        ),
    }
