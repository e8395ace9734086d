"""The buildings proposed by communes and who occupies them (DESIGN.md §3 "spaces").

This layer knows the region and the users (chamber), never cooperatives or programmes.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chamber.models import Commune, Craft


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


# The utilities a space may offer: field name -> label, in the order pages list them.
UTILITIES = {
    "has_electricity": _("Electricity"),
    "has_water": _("Running water"),
    "has_sanitation": _("Toilets"),
    "has_internet": _("Internet"),
    "step_free_access": _("Step-free access"),
}


class Space(models.Model):
    # The one table of allowed moves; spaces.services._move() refuses anything else.
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
    contact_phone = models.CharField(
        _("phone for visits"),
        max_length=30,
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
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_spaces",
        verbose_name=_("proposed by"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_spaces",
        verbose_name=_("reviewed by"),
    )
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

    def is_withdrawable(self) -> bool:
        return SpaceStatus.WITHDRAWN in self.MOVES[self.status]

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
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
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
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded on"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        return self.title


class SpaceStatusChange(models.Model):
    """One row per move of a space's status: who, when, from, to, why."""

    space = models.ForeignKey(
        Space, on_delete=models.CASCADE, related_name="history", verbose_name=_("space")
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=SpaceStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=SpaceStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.TextField(_("reason or note"), blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self):
        return f"{self.space}: {self.from_status or '∅'} → {self.to_status}"
