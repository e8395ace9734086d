"""The buildings proposed by communes and who occupies them (DESIGN.md §3 "spaces").

This layer knows the region and the users (chamber), never cooperatives or programmes.
"""

import uuid
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from chamber.models import Commune, Craft, StatusChange, done_by, status_columns


class SpaceKind(models.TextChoices):
    COMMUNITY_HALL = "community_hall", _("Community hall")
    YOUTH_CENTRE = "youth_centre", _("Youth centre")
    WOMENS_CENTRE = "womens_centre", _("Women's centre")
    FORMER_SCHOOL = "former_school", _("Former school")
    CULTURAL_CENTRE = "cultural_centre", _("Cultural centre")
    WORKSHOP = "workshop", _("Workshop")
    OTHER = "other", _("Other building")


class SpaceStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    UNDER_REVIEW = "under_review", _("Under review")
    AVAILABLE = "available", _("Available")
    OCCUPIED = "occupied", _("Occupied")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# What the public catalogue shows; everything else only the commune and the staff see.
PUBLIC_STATUSES = (SpaceStatus.AVAILABLE, SpaceStatus.OCCUPIED)


class Condition(models.TextChoices):
    READY = "ready", _("Ready to use")
    MINOR_WORKS = "minor_works", _("Needs minor works")
    MAJOR_WORKS = "major_works", _("Needs major works")


class Ownership(models.TextChoices):
    COMMUNE = "commune", _("Commune")
    STATE = "state", _("State")
    HABOUS = "habous", _("Habous (endowments)")
    OTHER_PUBLIC = "other_public", _("Other public body")
    PRIVATE = "private", _("Private owner")


# Bounding boxes, generous by a few kilometres. Morocco with its southern provinces, and the
# Guelmim-Oued Noun region (its communes' centre points lie between 27.2 and 29.7 N).
MOROCCO = {"lat": (Decimal("20.7"), Decimal("36.0")), "lng": (Decimal("-17.2"), Decimal("-0.9"))}
REGION = {"lat": (Decimal("26.0"), Decimal("30.2")), "lng": (Decimal("-12.8"), Decimal("-7.6"))}


def inside(box, lat, lng) -> bool:
    """Whether the point (degrees) lies in one of the boxes above."""
    return box["lat"][0] <= lat <= box["lat"][1] and box["lng"][0] <= lng <= box["lng"][1]


# The utilities a space may offer: field name -> label, in the order pages list them.
UTILITIES = {
    "has_electricity": _("Electricity"),
    "has_water": _("Running water"),
    "has_sanitation": _("Toilets"),
    "has_internet": _("Internet"),
    "step_free_access": _("Step-free access"),
}


class Space(models.Model):
    # The allowed moves; chamber.workflow.move() refuses anything else and records each one.
    MOVES = {
        SpaceStatus.PROPOSED: {SpaceStatus.UNDER_REVIEW, SpaceStatus.WITHDRAWN},
        SpaceStatus.UNDER_REVIEW: {
            SpaceStatus.AVAILABLE,
            SpaceStatus.REJECTED,
            SpaceStatus.WITHDRAWN,
        },
        # Driven by allocations (issue #5): occupied while one runs, available again after.
        SpaceStatus.AVAILABLE: {SpaceStatus.OCCUPIED},
        SpaceStatus.OCCUPIED: {SpaceStatus.AVAILABLE},
        SpaceStatus.REJECTED: set(),
        SpaceStatus.WITHDRAWN: set(),
    }
    MOVE_REFUSED = _("This space is “%(current)s”: it cannot become “%(target)s”.")

    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="spaces", verbose_name=_("commune")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind of building"), max_length=30, choices=SpaceKind.choices)
    address = models.CharField(_("address"), max_length=255, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    floor_area_m2 = models.PositiveIntegerField(
        _("floor area (m²)"), validators=[MinValueValidator(1), MaxValueValidator(100_000)]
    )
    rooms = models.PositiveSmallIntegerField(
        _("rooms"), default=1, validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    capacity = models.PositiveSmallIntegerField(
        _("capacity (people)"), validators=[MinValueValidator(1), MaxValueValidator(5000)]
    )
    has_electricity = models.BooleanField(_("electricity"), default=False)
    has_water = models.BooleanField(_("running water"), default=False)
    has_sanitation = models.BooleanField(_("toilets and sanitation"), default=False)
    has_internet = models.BooleanField(_("internet"), default=False)
    step_free_access = models.BooleanField(_("step-free access"), default=False)
    condition = models.CharField(_("condition"), max_length=20, choices=Condition.choices)
    works_cost_mad = models.PositiveIntegerField(
        _("estimated cost of works (MAD)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100_000_000)],
    )
    ownership = models.CharField(_("ownership"), max_length=20, choices=Ownership.choices)
    crafts = models.ManyToManyField(
        Craft, blank=True, related_name="spaces", verbose_name=_("crafts it suits")
    )
    description = models.TextField(_("description"), blank=True, max_length=4000)
    # Stored in E.164 (+212…), shown in the national format (PHONENUMBER_* settings).
    contact_phone = PhoneNumberField(
        _("phone for visits"),
        blank=True,
        help_text=_("A public number, such as the commune's office: it is shown to everyone."),
    )
    contact_email = models.EmailField(
        _("e-mail for visits"),
        blank=True,
        help_text=_("A public address, such as the commune's: it is shown to everyone."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=SpaceStatus.choices, default=SpaceStatus.PROPOSED
    )
    proposed_by = done_by(_("proposed by"), related_name="proposed_spaces", blank=True)
    reviewed_by = done_by(_("reviewed by"), related_name="reviewed_spaces", blank=True)
    created_at = models.DateTimeField(_("proposed on"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["commune", "name"]
        verbose_name = _("space")
        verbose_name_plural = _("spaces")
        constraints = [
            models.CheckConstraint(
                condition=Q(floor_area_m2__gt=0) & Q(capacity__gt=0),
                name="space_area_and_capacity_positive",
            ),
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (Q(latitude__isnull=False) & Q(longitude__isnull=False)),
                name="space_location_both_or_neither",
            ),
            models.CheckConstraint(
                condition=Q(status__in=SpaceStatus.values), name="space_status_known"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "commune"]),
            models.Index(fields=["status", "created_at"]),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("spaces:detail", kwargs={"pk": self.pk})

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    def is_editable_by_proposer(self) -> bool:
        return self.status == SpaceStatus.PROPOSED

    def utilities(self) -> list[tuple[str, str, bool]]:
        """(field, label, present) for each utility, for icon-and-text lists."""
        return [(name, label, getattr(self, name)) for name, label in UTILITIES.items()]

    @property
    def location(self) -> tuple[Decimal, Decimal] | None:
        if self.latitude is None or self.longitude is None:
            return None
        return (self.latitude, self.longitude)


def _photo_path(instance, filename):
    # Unguessable, and never the name the person's device gave the file.
    return f"spaces/photos/{uuid.uuid4().hex}.jpg"


def _thumbnail_path(instance, filename):
    return f"spaces/photos/{uuid.uuid4().hex}-480.jpg"


def _document_path(instance, filename):
    return f"spaces/documents/{uuid.uuid4().hex}.pdf"


class SpacePhoto(models.Model):
    space = models.ForeignKey(
        Space, on_delete=models.CASCADE, related_name="photos", verbose_name=_("space")
    )
    image = models.ImageField(_("photo"), upload_to=_photo_path)
    thumbnail = models.ImageField(_("thumbnail"), upload_to=_thumbnail_path)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    is_cover = models.BooleanField(_("cover photo"), default=False)
    uploaded_by = done_by(_("uploaded by"))
    created_at = models.DateTimeField(_("uploaded on"), default=timezone.now)

    class Meta:
        ordering = ["-is_cover", "created_at", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        constraints = [
            models.UniqueConstraint(
                fields=["space"], condition=Q(is_cover=True), name="space_photo_one_cover"
            )
        ]

    def __str__(self):
        return self.caption or f"{self.space} #{self.pk}"


class SpaceDocument(models.Model):
    space = models.ForeignKey(
        Space, on_delete=models.CASCADE, related_name="documents", verbose_name=_("space")
    )
    file = models.FileField(_("PDF file"), upload_to=_document_path)
    title = models.CharField(_("title"), max_length=200)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = done_by(_("uploaded by"))
    created_at = models.DateTimeField(_("uploaded on"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        return self.title


class SpaceStatusChange(StatusChange):
    """One row per move of a space's status: who, when, from, to, why."""

    space = models.ForeignKey(
        Space, on_delete=models.CASCADE, related_name="history", verbose_name=_("space")
    )
    from_status, to_status = status_columns(SpaceStatus.choices, max_length=20)


class AllocationPurpose(models.TextChoices):
    COOPERATIVE_ACTIVITY = "cooperative_activity", _("Activity of a cooperative")
    APPRENTICESHIP_COHORT = "apprenticeship_cohort", _("Apprenticeship cohort")
    SAFEGUARDING_ACTION = "safeguarding_action", _("Safeguarding action")


class AllocationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    RENEWAL_REQUESTED = "renewal_requested", _("Renewal requested")
    RENEWED = "renewed", _("Renewed")
    ENDED = "ended", _("Ended")
    TERMINATED = "terminated", _("Terminated")


# An agreement that still occupies its space: the days it takes are not free for another.
RUNNING = (
    AllocationStatus.ACTIVE,
    AllocationStatus.RENEWAL_REQUESTED,
    AllocationStatus.RENEWED,
)


def join_words(words) -> str:
    """A list in the reader's punctuation: the Arabic comma in Arabic."""
    return ("، " if (get_language() or "").startswith("ar") else ", ").join(words)


# Days of the week as bits: Monday is 1, Tuesday 2, … Sunday 64 (Python's weekday() order).
ALL_WEEKDAYS = 0b1111111


class Allocation(models.Model):
    """A space used for a period, on given days of the week, by one activity. Halls are
    shared: a cooperative Monday to Wednesday, a cohort Thursday to Saturday. Two active
    allocations of one space never share a day of the week in overlapping periods: checked
    under a lock by spaces.services.allocate_space, and on PostgreSQL by exclusion
    constraints too (migration 0004)."""

    # The agreement's life (issue #13): the holder may ask for a renewal, staff renew it (a
    # new end, same space and days), decline it (active again), end or terminate it.
    MOVES = {
        AllocationStatus.ACTIVE: {
            AllocationStatus.RENEWAL_REQUESTED,
            AllocationStatus.RENEWED,
            AllocationStatus.ENDED,
            AllocationStatus.TERMINATED,
        },
        AllocationStatus.RENEWAL_REQUESTED: {
            AllocationStatus.RENEWED,
            AllocationStatus.ACTIVE,
            AllocationStatus.ENDED,
            AllocationStatus.TERMINATED,
        },
        AllocationStatus.RENEWED: {
            AllocationStatus.RENEWAL_REQUESTED,
            AllocationStatus.RENEWED,
            AllocationStatus.ENDED,
            AllocationStatus.TERMINATED,
        },
        AllocationStatus.ENDED: set(),
        AllocationStatus.TERMINATED: set(),
    }
    MOVE_REFUSED = _("This allocation is “%(current)s”: it cannot become “%(target)s”.")

    space = models.ForeignKey(
        Space, on_delete=models.PROTECT, related_name="allocations", verbose_name=_("space")
    )
    purpose = models.CharField(_("purpose"), max_length=30, choices=AllocationPurpose.choices)
    holder = models.CharField(
        _("held by"), max_length=200, help_text=_("The cooperative, cohort or action.")
    )
    craft = models.ForeignKey(
        Craft,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("craft"),
    )
    activity = models.CharField(_("activity"), max_length=300, blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    weekdays = models.PositiveSmallIntegerField(_("days of the week"))
    agreement_reference = models.CharField(_("agreement reference"), max_length=30, unique=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AllocationStatus.choices,
        default=AllocationStatus.ACTIVE,
    )
    # Why this space was given, written on the agreement; why it closed is in its history.
    note = models.TextField(_("note"), blank=True)
    created_by = done_by(_("decided by"))
    created_at = models.DateTimeField(_("decided on"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed on"), null=True, blank=True)
    # The end this notice was sent for (thirty days before): sent once per end, again after
    # a renewal moves the end.
    end_notice_for = models.DateField(_("end announced"), null=True, blank=True)

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="allocation_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(weekdays__gte=1) & Q(weekdays__lte=ALL_WEEKDAYS),
                name="allocation_weekdays_known",
            ),
        ]
        indexes = [models.Index(fields=["space", "status"])]

    def __str__(self):
        return f"{self.agreement_reference} — {self.space}"

    def get_absolute_url(self):
        return reverse("spaces:agreement", kwargs={"pk": self.pk})

    def weekday_numbers(self) -> list[int]:
        """0 for Monday … 6 for Sunday."""
        return [day for day in range(7) if self.weekdays & (1 << day)]

    def weekday_names(self) -> str:
        return join_words(str(WEEKDAYS[day]) for day in self.weekday_numbers())

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING

    def shares_time_with(self, starts_on, ends_on, weekdays: int) -> bool:
        return (
            self.starts_on <= ends_on
            and starts_on <= self.ends_on
            and bool(self.weekdays & weekdays)
        )


class AllocationStatusChange(StatusChange):
    """One row per move of an allocation: its start, and who closed it, when and why."""

    allocation = models.ForeignKey(
        Allocation, on_delete=models.CASCADE, related_name="history", verbose_name=_("allocation")
    )
    from_status, to_status = status_columns(AllocationStatus.choices, max_length=20)


class MatchingPolicy(models.Model):
    """The weights and thresholds of the matching engine, which staff change in the admin.
    One row (created by migration); see spaces.matching.Policy for their meaning."""

    location = models.FloatField(
        _("weight of location"), default=25, validators=[MinValueValidator(0)]
    )
    craft = models.FloatField(
        _("weight of craft fit"), default=20, validators=[MinValueValidator(0)]
    )
    capacity = models.FloatField(
        _("weight of capacity"), default=15, validators=[MinValueValidator(0)]
    )
    utilities = models.FloatField(
        _("weight of utilities"), default=15, validators=[MinValueValidator(0)]
    )
    readiness = models.FloatField(
        _("weight of readiness"), default=10, validators=[MinValueValidator(0)]
    )
    priorities = models.FloatField(
        _("weight of priorities"),
        default=15,
        validators=[MinValueValidator(0)],
        help_text=_("Women-led cooperatives and endangered crafts."),
    )
    min_capacity_ratio = models.FloatField(
        _("smallest capacity, as a share of the people"),
        default=0.75,
        validators=[MinValueValidator(0), MaxValueValidator(5)],
    )
    min_area_per_person = models.FloatField(
        _("smallest floor area per person (m²)"),
        default=1.0,
        validators=[MinValueValidator(0), MaxValueValidator(50)],
    )
    distance_horizon_km = models.FloatField(
        _("distance beyond which location counts for nothing (km)"),
        default=250,
        validators=[MinValueValidator(1)],
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("matching policy")
        verbose_name_plural = _("matching policy")
        constraints = [
            models.CheckConstraint(
                condition=Q(location__gt=0)
                | Q(craft__gt=0)
                | Q(capacity__gt=0)
                | Q(utilities__gt=0)
                | Q(readiness__gt=0)
                | Q(priorities__gt=0),
                name="matching_policy_some_weight",
                violation_error_message=_("At least one weight must be above zero."),
            )
        ]

    def __str__(self):
        return str(self._meta.verbose_name)
