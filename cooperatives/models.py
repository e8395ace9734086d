"""Cooperatives and the accounts that represent them (DESIGN.md §3 "cooperatives")."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from chamber.models import Commune, Craft, Role


class Cooperative(models.Model):
    name = models.CharField(_("name"), max_length=200)
    registration_number = models.CharField(
        _("registration number"),
        max_length=30,
        unique=True,
        validators=[
            RegexValidator(
                r"^[0-9A-Za-z][0-9A-Za-z/\-]{1,29}$",
                _("Use the number of the register of cooperatives: digits, letters, / and -."),
            )
        ],
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="cooperatives", verbose_name=_("commune")
    )
    crafts = models.ManyToManyField(
        Craft, blank=True, related_name="cooperatives", verbose_name=_("crafts")
    )
    founded_year = models.PositiveSmallIntegerField(
        _("year founded"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    women_members = models.PositiveIntegerField(_("women members"), default=0)
    men_members = models.PositiveIntegerField(_("men members"), default=0)
    under_30_members = models.PositiveIntegerField(_("members under 30"), default=0)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    verified = models.BooleanField(_("verified by the chamber"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("cooperative")
        verbose_name_plural = _("cooperatives")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    under_30_members__lte=models.F("women_members") + models.F("men_members")
                ),
                name="cooperative_under_30_within_members",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def members(self) -> int:
        return self.women_members + self.men_members

    @property
    def is_women_led(self) -> bool:
        return self.women_members > self.men_members


class Representative(models.Model):
    """Ties an account to the one cooperative it speaks for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        limit_choices_to={"role": Role.COOPERATIVE},
        related_name="representation",
        verbose_name=_("account"),
    )
    cooperative = models.ForeignKey(
        Cooperative,
        on_delete=models.CASCADE,
        related_name="representatives",
        verbose_name=_("cooperative"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")

    def __str__(self):
        return f"{self.user} → {self.cooperative}"

    def clean(self):
        super().clean()
        if self.user_id and self.user.role != Role.COOPERATIVE:
            raise ValidationError(
                {
                    "user": _(
                        "Only an account with the role cooperative representative can be linked."
                    )
                }
            )
