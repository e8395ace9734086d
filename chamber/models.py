"""The region (provinces, communes), the crafts nomenclature and the portal's users.

This is the lowest layer (DESIGN.md §4): nothing here imports spaces, cooperatives or programs.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField


def done_by(verbose_name=None, *, related_name: str = "+", blank: bool = False, **options):
    """Who did something to a row (proposed, reviewed, decided, uploaded it): a link to their
    account, emptied rather than the row deleted if the account ever goes."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=blank,
        related_name=related_name,
        verbose_name=verbose_name,
        **options,
    )


def status_columns(choices, max_length: int) -> tuple[models.CharField, models.CharField]:
    """The `from_status` and `to_status` of a history (StatusChange), between the statuses of
    `choices`; the first status of an object comes from nothing (empty)."""
    return (
        models.CharField(_("from"), max_length=max_length, choices=choices, blank=True),
        models.CharField(_("to"), max_length=max_length, choices=choices),
    )


class BilingualName(models.Model):
    """Reference data named in Arabic and French; `name` follows the active language."""

    name_ar = models.CharField(_("name in Arabic"), max_length=200, blank=True)
    name_fr = models.CharField(_("name in French"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_ar if self.name_lang == "ar" else self.name_fr

    @property
    def name_lang(self) -> str:
        """The language `name` is in: French when Arabic is asked but the name is missing."""
        if (get_language() or settings.LANGUAGE_CODE).startswith("ar") and self.name_ar:
            return "ar"
        return "fr"


class Province(BilingualName):
    code = models.SlugField(_("code"), unique=True)
    hcp_code = models.CharField(_("HCP code"), max_length=16, unique=True)
    capital_ar = models.CharField(_("capital in Arabic"), max_length=100)
    capital_fr = models.CharField(_("capital in French"), max_length=100)
    population_2014 = models.PositiveIntegerField(_("population 2014"), null=True, blank=True)
    population_2024 = models.PositiveIntegerField(_("population 2024"), null=True, blank=True)

    class Meta:
        ordering = ["hcp_code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")


class CommuneKind(models.TextChoices):
    URBAN = "urban", _("Urban municipality")
    RURAL = "rural", _("Rural commune")


class Commune(BilingualName):
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="communes", verbose_name=_("province")
    )
    official_code = models.CharField(_("HCP code"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=CommuneKind.choices)
    # Centroid of the OpenStreetMap boundary (ODbL), not the position of the town.
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    population_2014 = models.PositiveIntegerField(_("population 2014"), null=True, blank=True)
    population_2024 = models.PositiveIntegerField(_("population 2024"), null=True, blank=True)
    alt_names_ar = models.CharField(_("other spellings in Arabic"), max_length=200, blank=True)
    alt_names_fr = models.CharField(_("other spellings in French"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["official_code"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")


class CraftFamily(models.TextChoices):
    TEXTILES = "textiles", _("Textiles")
    POTTERY_CERAMICS = "pottery-ceramics", _("Pottery and ceramics")
    WOOD = "wood", _("Wood")
    LEATHER = "leather", _("Leather")
    METAL_JEWELLERY = "metal-jewellery", _("Metal and jewellery")
    BASKETRY = "basketry-plant-fibres", _("Basketry and plant fibres")
    STONE_PLASTER_EARTH = "stone-plaster-earth", _("Stone, plaster and earth")
    MUSICAL_INSTRUMENTS = "musical-instruments", _("Musical instruments")
    FOOD = "food-related", _("Food crafts")
    OTHER = "other", _("Other crafts")


class Craft(BilingualName):
    code = models.SlugField(_("code"), unique=True)
    family = models.CharField(_("family"), max_length=30, choices=CraftFamily.choices)
    endangered = models.BooleanField(
        _("endangered"),
        default=False,
        help_text=_("Listed by a national safeguarding programme or a ministry statement."),
    )
    regional = models.BooleanField(
        _("practised in the region"),
        default=False,
        help_text=_("A source links the craft to Guelmim-Oued Noun or the southern provinces."),
    )
    name_ar_verified = models.BooleanField(_("Arabic name verified"), default=False)
    name_fr_verified = models.BooleanField(_("French name verified"), default=False)
    source_note = models.TextField(_("sources"), blank=True)

    class Meta:
        ordering = ["family", "code"]
        verbose_name = _("craft")
        verbose_name_plural = _("crafts")


class Role(models.TextChoices):
    STAFF = "staff", _("Chamber staff")
    PRESIDENT = "president", _("Commune president")
    COOPERATIVE = "cooperative", _("Cooperative representative")
    APPRENTICE = "apprentice", _("Apprentice")


class NotifyBy(models.TextChoices):
    """How a person hears of what concerns them; the in-portal list holds everything anyway."""

    AUTOMATIC = "", _("By e-mail if I gave one, otherwise by SMS")
    EMAIL = "email", _("By e-mail")
    SMS = "sms", _("By SMS")
    BOTH = "both", _("By e-mail and by SMS")


class User(AbstractUser):
    """An account of the portal. Its role says what it may do; a president is tied to a commune.

    A cooperative representative is tied to their cooperative by `cooperatives.Representative`,
    so that this lower layer knows nothing of cooperatives.
    """

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="presidents",
        verbose_name=_("commune"),
        help_text=_("Only for a commune president: the commune whose account this is."),
    )
    language = models.CharField(
        _("preferred language"),
        max_length=5,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("Language of the messages the portal sends to this person."),
    )
    # Stored in E.164 (+212…), shown in the national format (PHONENUMBER_* settings).
    phone = PhoneNumberField(
        _("mobile phone"),
        blank=True,
        help_text=_("For messages by SMS and signing in with a code, once it is confirmed."),
    )
    phone_verified = models.BooleanField(
        _("phone confirmed"),
        default=False,
        help_text=_("The person typed the code sent to this number."),
    )
    notify_by = models.CharField(
        _("notifications"), max_length=5, choices=NotifyBy.choices, blank=True
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=(Q(role=Role.PRESIDENT) & Q(commune__isnull=False))
                | (~Q(role=Role.PRESIDENT) & Q(commune__isnull=True)),
                name="user_commune_iff_president",
                violation_error_message=_(
                    "A commune president needs a commune, and only a commune president has one."
                ),
            ),
            models.UniqueConstraint(
                fields=["commune"],
                condition=Q(role=Role.PRESIDENT),
                name="user_one_president_account_per_commune",
                violation_error_message=_("This commune already has a president's account."),
            ),
            # One account per e-mail address, however it is capitalised; many may have none.
            models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email=""),
                name="user_email_unique_ignoring_case",
                violation_error_message=_("Another account already uses this e-mail address."),
            ),
            # A confirmed number signs in one account only.
            models.UniqueConstraint(
                fields=["phone"],
                condition=Q(phone_verified=True),
                name="user_verified_phone_unique",
                violation_error_message=_("Another account has already confirmed this number."),
            ),
            models.CheckConstraint(
                condition=Q(phone_verified=False) | ~Q(phone=""),
                name="user_verified_phone_not_empty",
            ),
        ]

    def clean(self):
        super().clean()
        if self.role == Role.PRESIDENT and self.commune_id is None:
            raise ValidationError({"commune": _("Choose the commune of this president.")})
        if self.role != Role.PRESIDENT and self.commune_id is not None:
            raise ValidationError({"commune": _("Only a commune president is tied to a commune.")})
        if (
            self.role == Role.PRESIDENT
            and User.objects.filter(role=Role.PRESIDENT, commune_id=self.commune_id)
            .exclude(pk=self.pk)
            .exists()
        ):
            # Said on the field; the database constraint stays the guarantee.
            raise ValidationError({"commune": _("This commune already has a president's account.")})

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_chamber_staff(self) -> bool:
        return self.is_active and (self.role == Role.STAFF or self.is_superuser)

    @property
    def is_president(self) -> bool:
        return self.role == Role.PRESIDENT

    @property
    def is_cooperative_representative(self) -> bool:
        return self.role == Role.COOPERATIVE

    @property
    def is_apprentice(self) -> bool:
        return self.role == Role.APPRENTICE

    def channels(self) -> list[str]:
        """Where the portal sends this person's notifications: by e-mail and by SMS as they
        chose, among the addresses they have (an SMS only to a confirmed number)."""
        from chamber.sms import available  # the gateway is a setting

        email = bool(self.email)
        sms = bool(self.phone and self.phone_verified) and available()
        wanted = {
            NotifyBy.AUTOMATIC: {"email"} if email else {"sms"},
            NotifyBy.EMAIL: {"email"},
            NotifyBy.SMS: {"sms"},
            NotifyBy.BOTH: {"email", "sms"},
        }[NotifyBy(self.notify_by)]
        have = {"email"} if email else set()
        if sms:
            have.add("sms")
        chosen = wanted & have
        # a channel chosen but missing falls back on the one the person has
        return sorted(chosen or have)


class StatusChange(models.Model):
    """What every history of moves records (STYLE.md, "Statuses"): who, when, why, and
    whether staff acted on behalf of the object's holder. Each workflow adds the object and
    its own `from_status` and `to_status`; rows are written by chamber.workflow only."""

    actor = done_by(
        _("by"), help_text=_("Empty when the portal itself made the move (the end of a period).")
    )
    note = models.TextField(_("reason or note"), blank=True)
    on_behalf = models.BooleanField(
        _("on behalf of its holder"),
        default=False,
        help_text=_("The chamber acted for the cooperative, the commune or the person."),
    )
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self):
        """The move in the reader's words (the administration shows it above each row)."""
        start = "∅" if self.from_status in ("", None) else self.get_from_status_display()
        return f"{start} → {self.get_to_status_display()}"


class ImportCheck(models.Model):
    """A bulk import's dry run that refused nothing, kept until the person who ran it confirms
    it: the checked rows wait here rather than in the session, which every request loads."""

    kind = models.CharField(_("kind"), max_length=30)
    token = models.CharField(max_length=43, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    records = models.JSONField()

    class Meta:
        verbose_name = _("import check")
        verbose_name_plural = _("import checks")

    def __str__(self):
        return f"{self.kind} ({len(self.records)})"


class SubmittedForm(models.Model):
    """A one-time form token claimed by the form that carried it (chamber.submissions): the
    unique token makes a second press of the same button, or twenty at once, create nothing
    more, and says what the first one created."""

    token = models.CharField(max_length=100, unique=True)
    kind = models.CharField(_("form"), max_length=50)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
        help_text=_("Empty for a form sent without an account (a sign-up)."),
    )
    created_at = models.DateTimeField(_("sent on"), default=timezone.now, db_index=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    created = GenericForeignKey("content_type", "object_id")

    class Meta:
        verbose_name = _("submitted form")
        verbose_name_plural = _("submitted forms")

    def __str__(self):
        return f"{self.kind} ({self.created_at:%Y-%m-%d %H:%M})"


class Erasure(models.Model):
    """A person erased at their request (law 09-08): who asked the portal to forget whom, and
    when. The account itself stays, anonymised, so that the figures and histories it is part
    of still add up (chamber.services.erase_person)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("erased account"),
    )
    # The account's number, kept should the anonymised account ever be deleted.
    account_number = models.PositiveIntegerField(_("account number"))
    actor = done_by(_("by"))
    note = models.TextField(_("reason or note"), blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")

    def __str__(self):
        return f"#{self.account_number} ({self.at:%Y-%m-%d})"


class Notification(models.Model):
    """Something that concerns a person (a decision, a reminder): a row of the outbox, written
    in the decision's transaction (chamber.outbox), listed in the person's portal and sent on
    each of their channels by a Delivery. Its words are not stored: `kind` names its templates
    and `params` what they need, put into words in the reader's language when shown or sent."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=60)
    params = models.JSONField(_("details"), default=dict, blank=True)
    # What makes a notification once only: the same event told twice is one row.
    key = models.CharField(_("key"), max_length=200, unique=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read on"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "-created_at"], name="notification_inbox")]

    def __str__(self):
        return f"{self.kind} → {self.recipient_id}"


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Delivery(models.Model):
    """One notification on one channel. The task worker claims a pending row, sends it and
    marks it sent, in one transaction (chamber.outbox.deliver): a worker that dies mid-send
    leaves it pending for the next one; a failure is retried later, with backoff, then marked
    failed with its reason for the staff to resend. The row is the idempotency key: a sent
    delivery is never sent again, and its key goes with the message (Message-ID, the SMS
    gateway's reference) for the other end to recognise a repeat."""

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("channel"), max_length=5, choices=Channel.choices)
    # a state, not a workflow's status (no table of moves, no history): the attempts and
    # the last error are its record
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=DeliveryState.choices,
        default=DeliveryState.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent on"), null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="delivery_once_per_channel"
            )
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="delivery_due")]

    def __str__(self):
        return f"{self.key} ({self.state})"

    @property
    def key(self) -> str:
        return f"n{self.notification_id}-{self.channel}"


class CodePurpose(models.TextChoices):
    CONFIRM_PHONE = "confirm", _("confirm a phone number")
    SIGN_IN = "sign_in", _("sign in")
    RESET = "reset", _("choose a new password")


class PhoneCode(models.Model):
    """A one-time code sent by SMS (chamber.phone_codes): kept as a keyed hash, valid for a
    few minutes, voided by its use, by too many wrong tries or by a newer code."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=10, choices=CodePurpose.choices)
    phone = PhoneNumberField()
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    tries = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("phone code")
        verbose_name_plural = _("phone codes")
        indexes = [models.Index(fields=["user", "purpose"], name="phone_code_of_user")]

    def __str__(self):
        return f"{self.purpose} ({self.created_at:%Y-%m-%d %H:%M})"
