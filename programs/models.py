"""Programmes, safeguarding, apprenticeship and the roadmap (DESIGN.md §3 "programs", §5).

This layer uses chamber and spaces (a cohort or an action is hosted through an allocation),
never cooperatives.
"""

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from phonenumber_field.modelfields import PhoneNumberField

from chamber.models import BilingualName, Commune, Craft, StatusChange, status_columns
from spaces.models import Allocation, Space


class Partner(BilingualName):
    code = models.SlugField(_("code"), unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")


class Programme(BilingualName):
    SAFEGUARDING = "safeguarding"
    APPRENTICESHIP = "apprenticeship"

    code = models.SlugField(_("code"), unique=True)
    description_ar = models.TextField(_("description in Arabic"), blank=True)
    description_fr = models.TextField(_("description in French"), blank=True)
    starts_on = models.DateField(_("start"), null=True, blank=True)
    ends_on = models.DateField(_("end"), null=True, blank=True)
    partners = models.ManyToManyField(Partner, blank=True, verbose_name=_("partners"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="programme_ends_after_start",
            )
        ]

    def get_absolute_url(self):
        return reverse("programs:programme", kwargs={"code": self.code})

    @property
    def description(self) -> str:
        return (
            self.description_ar
            if self.name_lang == "ar" and self.description_ar
            else self.description_fr
        )


class Indicator(models.TextChoices):
    """What an objective counts; each is computed from the data (programs.selectors)."""

    APPRENTICES_TRAINED = "apprentices_trained", _("Apprentices trained")
    WOMEN_APPRENTICES = "women_apprentices", _("Young women trained")
    CRAFTS_DOCUMENTED = "crafts_documented", _("Endangered crafts documented")
    SAFEGUARDING_ACTIONS = "safeguarding_actions", _("Safeguarding actions held")
    ACTION_PARTICIPANTS = "action_participants", _("Participants in safeguarding actions")
    MASTER_ARTISANS = "master_artisans", _("Master artisans involved")


class Objective(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="objectives", verbose_name=_("programme")
    )
    indicator = models.CharField(_("indicator"), max_length=30, choices=Indicator.choices)
    target = models.PositiveIntegerField(_("target"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["pk"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        constraints = [
            models.UniqueConstraint(fields=["programme", "indicator"], name="objective_once")
        ]

    def __str__(self):
        return f"{self.get_indicator_display()}: {self.target}"


# --- safeguarding ------------------------------------------------------------------------


class ThreatLevel(models.TextChoices):
    VULNERABLE = "vulnerable", _("Vulnerable")
    ENDANGERED = "endangered", _("Endangered")
    CRITICAL = "critical", _("Critically endangered")


class EndangeredCraft(models.Model):
    craft = models.OneToOneField(
        Craft, on_delete=models.PROTECT, related_name="threat", verbose_name=_("craft")
    )
    threat_level = models.CharField(
        _("level of threat"), max_length=12, choices=ThreatLevel.choices
    )
    known_practitioners = models.PositiveIntegerField(_("known practitioners"), default=0)
    where_practised = models.CharField(_("where it is practised"), max_length=300, blank=True)

    class Meta:
        ordering = ["craft__code"]
        verbose_name = _("endangered craft")
        verbose_name_plural = _("endangered crafts")

    def __str__(self):
        return str(self.craft)


class MasterArtisan(models.Model):
    """A maâlem who holds a know-how. Name and crafts are public; the contact is staff-only."""

    name = models.CharField(_("name"), max_length=200)
    crafts = models.ManyToManyField(Craft, related_name="masters", verbose_name=_("crafts"))
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="masters", verbose_name=_("commune")
    )
    living_treasure = models.BooleanField(_("recognised as a living treasure"), default=False)
    phone = PhoneNumberField(_("phone (staff only)"), blank=True)  # E.164, shown nationally
    email = models.EmailField(_("e-mail (staff only)"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("master artisan")
        verbose_name_plural = _("master artisans")

    def __str__(self):
        return self.name


class ActionKind(models.TextChoices):
    DOCUMENTATION = "documentation", _("Documentation")
    TRANSMISSION = "transmission_workshop", _("Transmission workshop")
    INVENTORY = "inventory", _("Inventory")
    EXHIBITION = "exhibition", _("Exhibition")


class SafeguardingAction(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="actions", verbose_name=_("programme")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=ActionKind.choices)
    title = models.CharField(_("title"), max_length=200)
    craft = models.ForeignKey(
        Craft, on_delete=models.PROTECT, related_name="+", verbose_name=_("craft")
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner"),
    )
    masters = models.ManyToManyField(MasterArtisan, blank=True, verbose_name=_("master artisans"))
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    participants = models.PositiveIntegerField(_("participants"), default=0)
    women_participants = models.PositiveIntegerField(_("women among them"), default=0)
    held = models.BooleanField(_("held"), default=False)
    allocation = models.OneToOneField(
        Allocation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hosting allocation"),
    )

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("safeguarding action")
        verbose_name_plural = _("safeguarding actions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="action_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(women_participants__lte=F("participants")),
                name="action_women_within_participants",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("programs:programme", kwargs={"code": self.programme.code})


# --- apprenticeship ----------------------------------------------------------------------


class SchoolLevel(models.TextChoices):
    """In order: each certificate asks for at least one of these (DESIGN.md §5, law 12-00)."""

    NONE = "none", _("No schooling")
    LITERACY = "literacy", _("Basic literacy")
    PRIMARY_6 = "primary_6", _("6th year of primary school")
    LOWER_SECONDARY_3 = "lower_secondary_3", _("3rd year of lower secondary school")
    BEYOND = "beyond", _("Beyond lower secondary school")


SCHOOL_ORDER = list(SchoolLevel.values)


class Certificate(models.TextChoices):
    ATTESTATION = "attestation", _("Attestation of apprenticeship")
    SPECIALISATION = "specialisation", _("Specialisation diploma")
    QUALIFICATION = "qualification", _("Qualification diploma")


# The school level each certificate needs at least (DESIGN.md §5).
CERTIFICATE_NEEDS = {
    Certificate.ATTESTATION: SchoolLevel.LITERACY,
    Certificate.SPECIALISATION: SchoolLevel.PRIMARY_6,
    Certificate.QUALIFICATION: SchoolLevel.LOWER_SECONDARY_3,
}
MIN_AGE, MAX_AGE = 15, 30


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def eligibility_problems(birth_date: date, school_level: str, starts_on: date, certificate: str):
    """Why a young person cannot join a cohort (empty if they can): age 15 to 30 on the
    start date, and the school level the certificate needs (DESIGN.md §5)."""
    problems = []
    age = age_on(birth_date, starts_on)
    if age < MIN_AGE:
        problems.append(("too_young", {"age": age}))
    elif age > MAX_AGE:
        problems.append(("too_old", {"age": age}))
    needed = CERTIFICATE_NEEDS[certificate]
    if SCHOOL_ORDER.index(school_level) < SCHOOL_ORDER.index(needed):
        problems.append(("school_level", {"needed": needed}))
    return problems


class Cohort(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="cohorts", verbose_name=_("programme")
    )
    craft = models.ForeignKey(
        Craft, on_delete=models.PROTECT, related_name="+", verbose_name=_("craft")
    )
    master = models.ForeignKey(
        MasterArtisan,
        on_delete=models.PROTECT,
        related_name="cohorts",
        verbose_name=_("master artisan"),
    )
    space = models.ForeignKey(
        Space,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hosting space"),
    )
    allocation = models.OneToOneField(
        Allocation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hosting allocation"),
    )
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    seats = models.PositiveSmallIntegerField(
        _("seats"), validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    certificate = models.CharField(_("certificate"), max_length=20, choices=Certificate.choices)
    open_for_applications = models.BooleanField(_("open for applications"), default=True)

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")),
                name="cohort_ends_after_start",
                violation_error_message=_("The end of the cohort must come after its start."),
            )
        ]

    def __str__(self):
        return f"{self.craft} — {self.starts_on:%Y-%m}"

    def get_absolute_url(self):
        return reverse("programs:cohort", kwargs={"pk": self.pk})

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            from django.core.exceptions import ValidationError

            raise ValidationError(
                {"ends_on": _("The end of the cohort must come after its start.")}
            )


class Apprentice(models.Model):
    """A young person's profile: personal data, seen by the person and by staff only."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="apprentice",
        verbose_name=_("account"),
    )
    birth_date = models.DateField(_("date of birth"))
    woman = models.BooleanField(
        _("young woman"), default=False, help_text=_("Counted for the programme's objectives.")
    )
    school_level = models.CharField(_("school level"), max_length=20, choices=SchoolLevel.choices)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="+", verbose_name=_("commune")
    )

    class Meta:
        verbose_name = _("apprentice")
        verbose_name_plural = _("apprentices")

    def __str__(self):
        return self.user.display_name

    def clean(self):
        super().clean()
        if self.birth_date and self.birth_date > timezone.localdate():
            from django.core.exceptions import ValidationError

            raise ValidationError({"birth_date": _("The date of birth cannot be in the future.")})


class EnrolmentStatus(models.TextChoices):
    APPLIED = "applied", pgettext_lazy("enrolment", "Applied")
    ACCEPTED = "accepted", pgettext_lazy("enrolment", "Accepted")
    IN_TRAINING = "in_training", pgettext_lazy("enrolment", "In training")
    COMPLETED = "completed", pgettext_lazy("enrolment", "Completed")
    DROPPED = "dropped", pgettext_lazy("enrolment", "Dropped")
    REFUSED = "refused", pgettext_lazy("enrolment", "Refused")


# Statuses that hold a seat of the cohort.
SEAT_STATUSES = (EnrolmentStatus.ACCEPTED, EnrolmentStatus.IN_TRAINING, EnrolmentStatus.COMPLETED)


class Outcome(models.TextChoices):
    EMPLOYED = "employed", _("Employed")
    SELF_EMPLOYED = "self_employed", _("Self-employed")
    JOINED_COOPERATIVE = "joined_cooperative", _("Joined a cooperative")
    LOOKING = "looking", _("Looking for work")


class Enrolment(models.Model):
    MOVES = {
        EnrolmentStatus.APPLIED: {EnrolmentStatus.ACCEPTED, EnrolmentStatus.REFUSED},
        EnrolmentStatus.ACCEPTED: {EnrolmentStatus.IN_TRAINING, EnrolmentStatus.DROPPED},
        EnrolmentStatus.IN_TRAINING: {EnrolmentStatus.COMPLETED, EnrolmentStatus.DROPPED},
        EnrolmentStatus.COMPLETED: set(),
        EnrolmentStatus.DROPPED: set(),
        EnrolmentStatus.REFUSED: set(),
    }
    MOVE_REFUSED = _("This enrolment is “%(current)s”: it cannot become “%(target)s”.")
    # The outcome six months after a completed training: recorded once, corrected if wrong.
    OUTCOME_MOVES = {
        "": set(Outcome.values),
        **{outcome: set(Outcome.values) - {outcome} for outcome in Outcome.values},
    }

    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("cohort")
    )
    apprentice = models.ForeignKey(
        Apprentice,
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("apprentice"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=EnrolmentStatus.choices, default=EnrolmentStatus.APPLIED
    )
    certificate_number = models.CharField(_("certificate number"), max_length=30, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome after six months"), max_length=20, choices=Outcome.choices, blank=True
    )
    created_at = models.DateTimeField(_("applied on"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "apprentice"], name="enrolment_once_per_cohort"
            )
        ]

    def __str__(self):
        return f"{self.apprentice} — {self.cohort}"

    def get_absolute_url(self):
        return reverse("programs:enrolment", kwargs={"pk": self.pk})

    @property
    def has_certificate(self) -> bool:
        """A completed training has its numbered certificate (programs.services)."""
        return bool(self.certificate_number)


class EnrolmentStatusChange(StatusChange):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="history")
    from_status, to_status = status_columns(EnrolmentStatus.choices, max_length=12)


class EnrolmentOutcomeChange(StatusChange):
    """The outcome of a training as it was recorded, and each correction of it."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="outcome_history"
    )
    from_status, to_status = status_columns(Outcome.choices, max_length=20)

    class Meta(StatusChange.Meta):
        verbose_name = _("outcome change")
        verbose_name_plural = _("outcome changes")


# --- roadmap -----------------------------------------------------------------------------


class Field(models.TextChoices):
    PREMISES = "premises", _("Premises and equipment")
    TRAINING = "training", _("Training and skills")
    MARKETING = "marketing", _("Marketing and sales")
    FINANCING = "financing", _("Financing")
    ORGANISATION = "organisation", _("Organisation of cooperatives")
    HERITAGE = "heritage", _("Heritage and endangered crafts")


class Diagnostic(models.Model):
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="diagnostics", verbose_name=_("commune")
    )
    field = models.CharField(_("field"), max_length=20, choices=Field.choices)
    challenges = models.TextField(_("challenges"))
    constraints = models.TextField(_("constraints"), blank=True)

    class Meta:
        ordering = ["commune", "field"]
        verbose_name = _("diagnostic")
        verbose_name_plural = _("diagnostics")

    def __str__(self):
        return f"{self.commune} — {self.get_field_display()}"


class ActionStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("roadmap", "Planned")
    IN_PROGRESS = "in_progress", pgettext_lazy("roadmap", "In progress")
    DONE = "done", pgettext_lazy("roadmap", "Done")
    CANCELLED = "cancelled", pgettext_lazy("roadmap", "Cancelled")


# An action still to do; past its due date, it is late.
PENDING_ACTION_STATUSES = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


def late_actions(today: date, through: str = "") -> Q:
    """The one rule for a late roadmap action: past its due date and neither done nor
    cancelled. `through` reaches the actions from another model ("roadmap_actions__")."""
    return Q(**{f"{through}due_on__lt": today, f"{through}status__in": PENDING_ACTION_STATUSES})


class RoadmapAction(models.Model):
    MOVES = {
        ActionStatus.PLANNED: {ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.CANCELLED},
        ActionStatus.IN_PROGRESS: {ActionStatus.DONE, ActionStatus.CANCELLED},
        # Reopened, or taken up again, with the reason.
        ActionStatus.DONE: {ActionStatus.IN_PROGRESS},
        ActionStatus.CANCELLED: {ActionStatus.PLANNED},
    }
    MOVE_REFUSED = _("This action is “%(current)s”: it cannot become “%(target)s”.")

    title = models.CharField(_("title"), max_length=250)
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="roadmap_actions",
        verbose_name=_("commune"),
        help_text=_("Empty for an action of the whole region."),
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="roadmap_actions",
        verbose_name=_("programme"),
    )
    responsible = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="+", verbose_name=_("responsible partner")
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("roadmap action")
        verbose_name_plural = _("roadmap actions")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="roadmap_progress_percent"),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(progress=100),
                name="roadmap_done_is_complete",
                violation_error_message=_("A done action is at 100%."),
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.status == ActionStatus.DONE and self.progress != 100:
            from django.core.exceptions import ValidationError

            raise ValidationError({"progress": _("A done action is at 100%.")})


class RoadmapActionStatusChange(StatusChange):
    """One row per move of a roadmap action: who moved it, when and why."""

    action = models.ForeignKey(
        RoadmapAction, on_delete=models.CASCADE, related_name="history", verbose_name=_("action")
    )
    from_status, to_status = status_columns(ActionStatus.choices, max_length=12)
