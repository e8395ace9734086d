"""The buildings proposed by communes and who occupies them (DESIGN.md §3 "spaces").

This layer knows the region and the users (chamber), never cooperatives or programmes.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
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


class Space(models.Model):
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
    floor_area_m2 = models.PositiveIntegerField(_("floor area (m²)"))
    rooms = models.PositiveSmallIntegerField(_("rooms"), default=1)
    capacity = models.PositiveSmallIntegerField(_("capacity (people)"))
    has_electricity = models.BooleanField(_("electricity"), default=False)
    has_water = models.BooleanField(_("running water"), default=False)
    has_sanitation = models.BooleanField(_("toilets and sanitation"), default=False)
    has_internet = models.BooleanField(_("internet"), default=False)
    step_free_access = models.BooleanField(_("step-free access"), default=False)
    condition = models.CharField(_("condition"), max_length=20, choices=Condition.choices)
    works_cost_mad = models.PositiveIntegerField(
        _("estimated cost of works (MAD)"), null=True, blank=True
    )
    ownership = models.CharField(_("ownership"), max_length=20, choices=Ownership.choices)
    crafts = models.ManyToManyField(
        Craft, blank=True, related_name="spaces", verbose_name=_("crafts it suits")
    )
    description = models.TextField(_("description"), blank=True)
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
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
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
        ]
        indexes = [models.Index(fields=["status", "commune"])]

    def __str__(self):
        return self.name
