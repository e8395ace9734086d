"""Cooperatives, the accounts that represent them, and their applications for a space
(DESIGN.md §3 "cooperatives"). This layer may use spaces and chamber, never programs."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from phonenumber_field.modelfields import PhoneNumberField

from chamber.models import Commune, Craft, Province, Role, StatusChange, done_by, status_columns
from cooperatives.reports import ReportEvery
from spaces.models import Space

# Numbers of the register of cooperatives are written like 2016/0412, 412, or 2016-412.
REGISTRATION_NUMBER = RegexValidator(
    r"^[0-9]{1,8}([/-][0-9]{1,8})?$",
    _("Write the number of the register of cooperatives, for example 2016/0412."),
)


def registration_key(number: str) -> str:
    """One spelling for the numbers people write differently: 2016-0412, 2016/412 → 2016/412."""
    parts = number.strip().replace("-", "/").split("/")
    return "/".join(part.lstrip("0") or "0" for part in parts)


# A cooperative's status, in words.
VERIFICATION = [(False, _("Not verified yet")), (True, _("Verified by the chamber"))]


class Cooperative(models.Model):
    # Its status is whether the chamber verified it (against the register of cooperatives).
    STATUS_FIELD = "verified"
    MOVES = {False: {True}, True: set()}
    MOVE_REFUSED = _("This cooperative is “%(current)s”: it cannot become “%(target)s”.")

    name = models.CharField(_("name"), max_length=200)
    registration_number = models.CharField(
        _("registration number"), max_length=20, validators=[REGISTRATION_NUMBER]
    )
    # The number in one spelling, so that 2016-0412 and 2016/412 are one cooperative.
    registration_key = models.CharField(max_length=20, editable=False)
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
    women_members = models.PositiveIntegerField(
        _("women members"), default=0, validators=[MaxValueValidator(100_000)]
    )
    men_members = models.PositiveIntegerField(
        _("men members"), default=0, validators=[MaxValueValidator(100_000)]
    )
    under_30_members = models.PositiveIntegerField(
        _("members under 30"), default=0, validators=[MaxValueValidator(100_000)]
    )
    # The cooperative's own contact, for the chamber: never shown to the public.
    phone = PhoneNumberField(_("phone"), blank=True)  # E.164, shown in the national format
    email = models.EmailField(_("e-mail"), blank=True)
    verified = models.BooleanField(_("verified by the chamber"), default=False)
    verified_at = models.DateTimeField(_("verified on"), null=True, blank=True)
    verified_by = done_by(_("verified by"), blank=True)
    registered_by = done_by(
        _("registered by"),
        blank=True,
        help_text=_("Chamber staff who registered the cooperative for it, if any."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("cooperative")
        verbose_name_plural = _("cooperatives")
        constraints = [
            models.UniqueConstraint(
                fields=["registration_key"],
                name="cooperative_registration_number_unique",
                violation_error_message=_(
                    "A cooperative with this registration number is already registered."
                ),
            ),
            models.CheckConstraint(
                condition=Q(under_30_members__lte=F("women_members") + F("men_members")),
                name="cooperative_under_30_within_members",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # A derived column kept in step with its source, not a workflow.
        self.registration_key = registration_key(self.registration_number)
        if kwargs.get("update_fields") and "registration_number" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "registration_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("cooperatives:profile", kwargs={"pk": self.pk})

    @property
    def members(self) -> int:
        return self.women_members + self.men_members

    @property
    def is_women_led(self) -> bool:
        """Women are most of the members (the portal's priority, DESIGN.md §1)."""
        return self.women_members > self.men_members


class RepresentativeStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the chamber")
    VERIFIED = "verified", _("Verified")
    REFUSED = "refused", _("Refused")


class Representative(models.Model):
    """Ties an account to the one cooperative it speaks for, once the chamber verified it."""

    MOVES = {
        RepresentativeStatus.PENDING: {RepresentativeStatus.VERIFIED, RepresentativeStatus.REFUSED},
        RepresentativeStatus.VERIFIED: set(),
        RepresentativeStatus.REFUSED: set(),
    }
    MOVE_REFUSED = _("This request has already been decided.")

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
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RepresentativeStatus.choices,
        default=RepresentativeStatus.PENDING,
    )
    function = models.CharField(
        _("function in the cooperative"), max_length=100, blank=True, help_text=_("President…")
    )
    decided_by = done_by(_("decided by"), blank=True)
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)
    decision_note = models.TextField(_("reason or note"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")

    def __str__(self):
        return f"{self.user} → {self.cooperative}"

    @property
    def is_refused(self) -> bool:
        return self.status == RepresentativeStatus.REFUSED

    def shows_cooperative(self) -> bool:
        """Whether the person may read which cooperative the request joined: a pending
        request may have been joined to a cooperative the directory does not publish yet, and
        saying its name would tell a stranger what the sign-up does not (issue #12)."""
        return self.status == RepresentativeStatus.VERIFIED or self.cooperative.verified

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

    @property
    def is_verified(self) -> bool:
        return self.status == RepresentativeStatus.VERIFIED


class ApplicationStatus(models.TextChoices):
    # "application" context: in French an application (demande) is feminine.
    DRAFT = "draft", pgettext_lazy("application", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("application", "Submitted")
    UNDER_REVIEW = "under_review", pgettext_lazy("application", "Under review")
    APPROVED = "approved", pgettext_lazy("application", "Approved")
    REJECTED = "rejected", pgettext_lazy("application", "Rejected")
    WITHDRAWN = "withdrawn", pgettext_lazy("application", "Withdrawn")


# An application still waiting for a decision: at most one per cooperative and space.
OPEN_STATUSES = (
    ApplicationStatus.DRAFT,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.UNDER_REVIEW,
)


class SpaceApplication(models.Model):
    MOVES = {
        ApplicationStatus.DRAFT: {ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN},
        ApplicationStatus.SUBMITTED: {ApplicationStatus.UNDER_REVIEW, ApplicationStatus.WITHDRAWN},
        ApplicationStatus.UNDER_REVIEW: {
            ApplicationStatus.APPROVED,
            ApplicationStatus.REJECTED,
            ApplicationStatus.WITHDRAWN,
        },
        ApplicationStatus.APPROVED: set(),
        ApplicationStatus.REJECTED: set(),
        ApplicationStatus.WITHDRAWN: set(),
    }
    MOVE_REFUSED = _("This application is “%(current)s”: it cannot become “%(target)s”.")
    # What the cooperative answers: its form's fields, and what applying again copies.
    ANSWERS = [
        "space",
        "commune",
        "province",
        "craft",
        "description",
        "beneficiaries",
        "women_beneficiaries",
        "days_per_week",
        "starts_on",
        "duration_months",
        "equipment",
        "expected_monthly_income_mad",
    ]

    cooperative = models.ForeignKey(
        Cooperative,
        on_delete=models.PROTECT,  # applications and their history outlive a deletion attempt
        related_name="applications",
        verbose_name=_("cooperative"),
    )
    # What is asked for: one given space, or any suitable space of a commune or a province.
    space = models.ForeignKey(
        Space,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("space asked for"),
    )
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("any suitable space in the commune"),
    )
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("any suitable space in the province"),
    )
    craft = models.ForeignKey(
        Craft, on_delete=models.PROTECT, related_name="+", verbose_name=_("craft")
    )
    description = models.TextField(_("the activity"), max_length=4000)
    beneficiaries = models.PositiveIntegerField(
        _("beneficiaries"), validators=[MinValueValidator(1), MaxValueValidator(5000)]
    )
    women_beneficiaries = models.PositiveIntegerField(
        _("women among them"), default=0, validators=[MaxValueValidator(5000)]
    )
    days_per_week = models.PositiveSmallIntegerField(
        _("days per week"), validators=[MinValueValidator(1), MaxValueValidator(7)]
    )
    starts_on = models.DateField(_("start"))
    duration_months = models.PositiveSmallIntegerField(
        _("duration (months)"), validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    equipment = models.TextField(_("equipment needed"), blank=True, max_length=2000)
    expected_monthly_income_mad = models.PositiveIntegerField(
        _("expected monthly income (MAD)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(10_000_000)],
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    decision_note = models.TextField(_("reason of the decision"), blank=True)
    # Set on approval: what the allocation gives less than asked, as staff were warned of it
    # before confirming (cooperatives.approval: codes and numbers, put into words when shown).
    approval_gaps = models.JSONField(_("less than asked"), default=list, blank=True)
    # Set on approval: the application points to its allocation, never the other way round.
    allocation = models.OneToOneField(
        "spaces.Allocation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="application",
        verbose_name=_("allocation"),
    )
    # How often the cooperative reports on the activity once approved (staff set it).
    report_every = models.CharField(
        _("activity reports"),
        max_length=10,
        choices=ReportEvery.choices,
        default=ReportEvery.MONTH,
    )
    # The latest period whose missing report the cooperative was reminded of.
    reminded_through = models.DateField(_("reminded of reports until"), null=True, blank=True)
    # Assisted filing: the staff member who filed for the cooperative, and its consent.
    filed_by = done_by(_("filed by"))
    consent_note = models.TextField(
        _("consent of the cooperative"),
        blank=True,
        help_text=_("When staff file for a cooperative: who agreed, when and how."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted on"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("space application")
        verbose_name_plural = _("space applications")
        constraints = [
            models.CheckConstraint(
                condition=Q(women_beneficiaries__lte=F("beneficiaries")),
                name="application_women_within_beneficiaries",
            ),
            models.CheckConstraint(
                condition=Q(days_per_week__gte=1) & Q(days_per_week__lte=7),
                name="application_days_per_week_1_to_7",
            ),
            models.CheckConstraint(
                condition=(
                    Q(space__isnull=False, commune__isnull=True, province__isnull=True)
                    | Q(space__isnull=True, commune__isnull=False, province__isnull=True)
                    | Q(space__isnull=True, commune__isnull=True, province__isnull=False)
                ),
                name="application_asks_for_one_place",
                violation_error_message=_(
                    "Ask for one space, or for any space in one commune or one province."
                ),
            ),
            models.UniqueConstraint(
                fields=["cooperative", "space"],
                condition=Q(status__in=OPEN_STATUSES),
                name="application_one_open_per_space",
                violation_error_message=_(
                    "Your cooperative already has an open application for this space."
                ),
            ),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self):
        return f"{self.cooperative} — {self.craft}"

    def get_absolute_url(self):
        return reverse("cooperatives:application", kwargs={"pk": self.pk})

    @property
    def is_editable(self) -> bool:
        return self.status == ApplicationStatus.DRAFT

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_assisted(self) -> bool:
        return bool(self.consent_note)

    @property
    def place(self):
        """What the application asks for: the space, or the commune or province."""
        return self.space or self.commune or self.province


class CooperativeStatusChange(StatusChange):
    """The cooperative's verification: who verified it (or registered it verified), when."""

    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.CASCADE, related_name="history", verbose_name=_("cooperative")
    )
    from_status = models.BooleanField(_("from"), null=True, blank=True, choices=VERIFICATION)
    to_status = models.BooleanField(_("to"), choices=VERIFICATION)


class RepresentativeStatusChange(StatusChange):
    """A request to represent a cooperative: sent, then verified or refused, with why."""

    representative = models.ForeignKey(
        Representative,
        on_delete=models.CASCADE,
        related_name="history",
        verbose_name=_("representative"),
    )
    from_status, to_status = status_columns(RepresentativeStatus.choices, max_length=10)


class ApplicationStatusChange(StatusChange):
    """One row per move: who, when, from, to, why — and for whom, when staff acted for a
    cooperative."""

    application = models.ForeignKey(
        SpaceApplication, on_delete=models.CASCADE, related_name="history"
    )
    from_status, to_status = status_columns(ApplicationStatus.choices, max_length=20)


class PlanDecisionKind(models.TextChoices):
    LOCK = "lock", _("Locked in the plan")
    EXCLUDE = "exclude", _("Excluded from the plan")


class PlanDecision(models.Model):
    """Staff steering the plan: keep this pair, or never propose it; with the reason. A
    decision is closed, never deleted (on approval, or when staff remove it, with why)."""

    application = models.ForeignKey(
        SpaceApplication, on_delete=models.CASCADE, related_name="plan_decisions"
    )
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("decision"), max_length=10, choices=PlanDecisionKind.choices)
    reason = models.TextField(_("reason"))
    actor = done_by()
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed on"), null=True, blank=True)
    closed_by = done_by()
    close_reason = models.TextField(_("why it was closed"), blank=True)

    class Meta:
        verbose_name = _("plan decision")
        verbose_name_plural = _("plan decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "space"],
                condition=Q(closed_at__isnull=True),
                name="plan_decision_once",
            ),
            # One open lock per application (it gets one space) and per space (it goes to one).
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(kind="lock", closed_at__isnull=True),
                name="plan_one_lock_per_application",
            ),
            models.UniqueConstraint(
                fields=["space"],
                condition=Q(kind="lock", closed_at__isnull=True),
                name="plan_one_lock_per_space",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.application} ↔ {self.space}"


def _report_photo_path(instance, filename):
    return f"cooperatives/reports/{uuid.uuid4().hex}.jpg"


class ActivityReport(models.Model):
    """What an activity did in a month or a quarter of its agreement: the income it earned,
    who worked, how many days the space was used (issue #13). Filed by the cooperative, or
    by staff on its behalf (`on_behalf`). One per period of an application."""

    application = models.ForeignKey(
        SpaceApplication,
        on_delete=models.CASCADE,
        related_name="reports",
        verbose_name=_("application"),
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    income_mad = models.PositiveIntegerField(
        _("income earned (MAD)"), validators=[MaxValueValidator(100_000_000)]
    )
    women_workers = models.PositiveIntegerField(
        _("women who worked"), validators=[MaxValueValidator(100_000)]
    )
    men_workers = models.PositiveIntegerField(
        _("men who worked"), validators=[MaxValueValidator(100_000)]
    )
    days_used = models.PositiveSmallIntegerField(
        _("days the space was used"), validators=[MaxValueValidator(92)]
    )
    # Kept with the report, for the figures to add up in the database: the days the
    # agreement gave in the period, and whether the report came after its due date.
    days_given = models.PositiveSmallIntegerField(
        _("days the agreement gave"), default=0, validators=[MaxValueValidator(92)]
    )
    filed_late = models.BooleanField(_("filed after its due date"), default=False)
    products = models.CharField(_("products made"), max_length=500, blank=True)
    photo = models.ImageField(_("photo"), upload_to=_report_photo_path, blank=True)
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    filed_by = done_by(_("filed by"))
    on_behalf = models.BooleanField(_("filed by the chamber for the cooperative"), default=False)
    created_at = models.DateTimeField(_("filed on"), default=timezone.now)

    class Meta:
        ordering = ["application", "period_start"]
        verbose_name = _("activity report")
        verbose_name_plural = _("activity reports")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "period_start"], name="one_report_per_period"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="report_period_ordered"
            ),
            models.CheckConstraint(
                condition=Q(days_used__lte=F("days_given")), name="report_days_within_given"
            ),
        ]
        indexes = [models.Index(fields=["period_start"])]

    def __str__(self):
        return f"{self.application} — {self.period_start:%Y-%m}"

    def clean(self):
        """For a correction in the admin (the service checks more when a report is filed)."""
        if self.days_used is not None and self.days_used > self.days_given:
            raise ValidationError(
                {
                    "days_used": _("The agreement gave %(given)s days in this period.")
                    % {"given": self.days_given}
                }
            )

    @property
    def workers(self) -> int:
        return self.women_workers + self.men_workers


class SpaceInterest(models.Model):
    """A cooperative marks a space it would like to use, a step before applying: counted on
    the space's page for the staff and its commune (issue #13)."""

    space = models.ForeignKey(
        Space, on_delete=models.CASCADE, related_name="interests", verbose_name=_("space")
    )
    cooperative = models.ForeignKey(
        Cooperative,
        on_delete=models.CASCADE,
        related_name="interests",
        verbose_name=_("cooperative"),
    )
    marked_by = done_by(_("marked by"))
    created_at = models.DateTimeField(_("marked on"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("interest in a space")
        verbose_name_plural = _("interests in spaces")
        constraints = [
            models.UniqueConstraint(fields=["space", "cooperative"], name="one_interest_per_space")
        ]

    def __str__(self):
        return f"{self.cooperative} → {self.space}"
