from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chamber.forms import (
    AccountForm,
    CraftsField,
    NamedModelChoiceField,
    NoteForm,
    PhoneField,
    PhoneInput,
    Sections,
    communes_in_reading_order,
)
from chamber.models import Commune, Craft, Province
from chamber.submissions import OnceForm
from cooperatives import approval
from cooperatives.models import (
    REGISTRATION_NUMBER,
    Cooperative,
    SpaceApplication,
    registration_key,
)
from cooperatives.reports import ReportEvery
from spaces.forms import SpaceChoiceField, WeekdaysField
from spaces.models import PUBLIC_STATUSES, Space
from spaces.uploads import reencode_image


def _known_cooperative(number: str, exclude_pk=None) -> Cooperative | None:
    """The cooperative with this number, however it is written (2016-0412 = 2016/412)."""
    return (
        Cooperative.objects.filter(registration_key=registration_key(number))
        .exclude(pk=exclude_pk)
        .first()
    )


class CooperativeForm(OnceForm, Sections, forms.ModelForm):
    """A cooperative's profile, as its representative or staff keep it; registered by staff,
    it is created once however often it is sent (OnceForm)."""

    sections = [(_("The cooperative"), None)]
    purpose = _(
        "The chamber keeps this profile to verify the cooperative and to match it with spaces. "
        "Its phone and e-mail are seen by the chamber's staff and the cooperative's "
        "representatives only; its name, commune, crafts and members are published in the "
        "directory once the chamber has verified it. It is kept while the cooperative is on "
        "the portal; ask the chamber to correct or delete it."
    )

    commune = NamedModelChoiceField(queryset=Commune.objects.none(), label=_("commune"))
    crafts = CraftsField(label=_("crafts"))

    class Meta:
        model = Cooperative
        fields = [
            "name",
            "registration_number",
            "commune",
            "crafts",
            "founded_year",
            "women_members",
            "men_members",
            "under_30_members",
            "phone",
            "email",
        ]
        widgets = {
            "name": forms.TextInput(attrs={"dir": "auto"}),
            "registration_number": forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"}),
            "phone": PhoneInput,  # dir="ltr", type="tel" (PhoneField)
            "email": forms.EmailInput(attrs={"dir": "ltr"}),
        }
        # A Moroccan number, fixed line or mobile, stored in E.164.
        field_classes = {"phone": PhoneField}
        help_texts = {
            "registration_number": _("As in the register of cooperatives, e.g. 2016/0412."),
            "phone": _("Seen by the chamber only."),
            "email": _("Seen by the chamber only."),
        }

    def __init__(self, *args, locked=False, **kwargs):
        """`locked`: the name and number of a verified cooperative, which only staff change
        (the chamber checked them against the register)."""
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes_in_reading_order()
        if locked:
            for name in ("name", "registration_number"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Only the chamber changes it: contact it.")

    def clean_registration_number(self):
        number = self.cleaned_data["registration_number"].strip()
        if _known_cooperative(number, exclude_pk=self.instance.pk):
            raise forms.ValidationError(
                _("A cooperative with this registration number is already registered.")
            )
        return number

    def clean(self):
        cleaned = super().clean()
        women, men = cleaned.get("women_members"), cleaned.get("men_members")
        young = cleaned.get("under_30_members")
        if None not in (women, men, young) and young > women + men:
            self.add_error(
                "under_30_members", _("Members under 30 cannot outnumber all the members.")
            )
        return cleaned

    def profile_data(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "crafts"}


class SignUpForm(AccountForm):
    """A person asks to represent a cooperative: one of the directory, or a new one.

    It tells apart only the cooperatives the directory publishes (verified): a number of a
    cooperative not yet verified is answered as a number the portal does not know, and asked
    as new, the request joins that cooperative for staff to check, with the same answer."""

    purpose = _(
        "Why we ask: to create your account and to check with the cooperative that you speak "
        "for it. Your name, e-mail, phone and function are seen by the chamber's staff only, never "
        "published; a new cooperative's name and commune are published in the directory once "
        "the chamber has verified it. They are kept while your account is open; you may ask "
        "the chamber to see, correct or delete them."
    )

    sections = [
        (_("You"), ["first_name", "last_name", *AccountForm.ACCOUNT]),
        (_("Your cooperative"), ["which", "registration_number", "function"]),
        (
            _("Only for a cooperative new on the portal"),
            ["name", "commune", "women_members", "men_members"],
        ),
    ]

    EXISTING, NEW = "existing", "new"
    which = forms.ChoiceField(
        label=_("The cooperative"),
        choices=[
            (EXISTING, _("is already known to the chamber")),
            (NEW, _("is new on the portal: I register it")),
        ],
        widget=forms.RadioSelect,
        initial=NEW,
    )
    registration_number = forms.CharField(
        label=_("Registration number of the cooperative"),
        max_length=20,
        validators=[REGISTRATION_NUMBER],
        help_text=_("As in the register of cooperatives, e.g. 2016/0412."),
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"}),
    )
    function = forms.CharField(
        label=_("Your function in the cooperative"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    # For a new cooperative only.
    name = forms.CharField(
        label=_("Name of the cooperative"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    commune = NamedModelChoiceField(
        queryset=Commune.objects.none(), label=_("Commune"), required=False
    )
    women_members = forms.IntegerField(
        label=_("Women members"), min_value=0, max_value=100_000, required=False
    )
    men_members = forms.IntegerField(
        label=_("Men members"), min_value=0, max_value=100_000, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes_in_reading_order()

    def clean(self):
        cleaned = super().clean()
        number = cleaned.get("registration_number")
        new = cleaned.get("which") != self.EXISTING
        if new:
            for name in ("name", "commune"):
                if not cleaned.get(name) and not self.has_error(name):
                    self.add_error(name, _("Needed to register a new cooperative."))
        if not number:
            return cleaned
        existing = _known_cooperative(number)
        published = existing if existing is not None and existing.verified else None
        if not new:
            if published is None:
                self.add_error(
                    "registration_number",
                    _(
                        "No cooperative in the chamber's directory has this number: choose "
                        "“is new on the portal”."
                    ),
                )
            cleaned["cooperative"] = published
        else:
            if published is not None:  # the directory shows it to anyone
                self.add_error(
                    "registration_number",
                    _(
                        "A cooperative with this registration number is already registered: "
                        "choose “is already known to the chamber”."
                    ),
                )
            # Not yet verified: the request joins it, said as for a new one; staff check.
            cleaned["cooperative"] = existing
        return cleaned

    def new_cooperative(self) -> dict | None:
        if self.cleaned_data["cooperative"] is not None:
            return None
        return {
            "name": self.cleaned_data["name"],
            "registration_number": self.cleaned_data["registration_number"],
            "commune": self.cleaned_data["commune"],
            "women_members": self.cleaned_data.get("women_members") or 0,
            "men_members": self.cleaned_data.get("men_members") or 0,
        }


class ApplicationForm(OnceForm, Sections, forms.ModelForm):
    """What a cooperative asks for, and for which activity; a new application is created once
    however often it is sent (OnceForm)."""

    purpose = _(
        "What you answer is used to find the cooperative a suitable space and to follow its "
        "activity. It is seen by the chamber's staff and the cooperative's representatives "
        "only, never published with names, and kept with the application and its history."
    )

    sections = [
        (_("Where"), ["target", "space", "commune", "province"]),
        (
            _("The activity"),
            [
                "craft",
                "description",
                "beneficiaries",
                "women_beneficiaries",
                "equipment",
                "expected_monthly_income_mad",
            ],
        ),
        (_("When"), ["days_per_week", "starts_on", "duration_months"]),
    ]

    SPACE, COMMUNE, PROVINCE = "space", "commune", "province"
    target = forms.ChoiceField(
        label=_("We ask for"),
        choices=[
            (SPACE, _("this space")),
            (COMMUNE, _("any suitable space in a commune")),
            (PROVINCE, _("any suitable space in a province")),
        ],
        widget=forms.RadioSelect,
        initial=SPACE,
    )
    space = SpaceChoiceField(
        queryset=Space.objects.filter(status__in=PUBLIC_STATUSES)
        .select_related("commune")
        .order_by("commune__name_fr", "name"),
        label=_("Space"),
        required=False,
    )
    commune = NamedModelChoiceField(
        queryset=Commune.objects.none(), label=_("Commune"), required=False
    )
    province = NamedModelChoiceField(
        queryset=Province.objects.order_by("hcp_code"), label=_("Province"), required=False
    )
    craft = NamedModelChoiceField(
        queryset=Craft.objects.order_by("family", "code"), label=_("Craft")
    )

    class Meta:
        model = SpaceApplication
        fields = SpaceApplication.ANSWERS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
            "equipment": forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "days_per_week": forms.NumberInput(attrs={"min": "1", "max": "7"}),
        }
        help_texts = {
            "description": _("What the members will make, and how the space will be used."),
            "expected_monthly_income_mad": _("An estimate is enough; leave empty if unsure."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["target"].initial = (
                self.SPACE
                if self.instance.space_id
                else self.COMMUNE
                if self.instance.commune_id
                else self.PROVINCE
            )
        self.fields["starts_on"].widget.attrs["min"] = timezone.localdate().isoformat()
        self.fields["commune"].queryset = communes_in_reading_order()

    def clean_starts_on(self):
        # Said here too, so that it comes with the other messages, not after them.
        starts_on = self.cleaned_data["starts_on"]
        if starts_on < timezone.localdate():
            raise forms.ValidationError(_("The start cannot be in the past."))
        return starts_on

    def clean(self):
        cleaned = super().clean()
        target = cleaned.get("target")
        for name in (self.SPACE, self.COMMUNE, self.PROVINCE):
            if name != target:
                cleaned[name] = None
        if target and not cleaned.get(target) and not self.has_error(target):
            self.add_error(target, _("Choose one, or choose another answer above."))
        women, everyone = cleaned.get("women_beneficiaries"), cleaned.get("beneficiaries")
        if None not in (women, everyone) and women > everyone:
            self.add_error(
                "women_beneficiaries",
                _("The women are among the beneficiaries: they cannot be more than all of them."),
            )
        return cleaned

    def application_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class AssistedApplicationForm(ApplicationForm):
    sections = [*ApplicationForm.sections, (_("Consent"), ["consent_note"])]
    purpose = _(
        "What you answer for the cooperative, and the note of who in it agreed, are used to "
        "find it a suitable space and to follow its activity. They are seen by the chamber's "
        "staff and the cooperative's representatives only, never published with names, and "
        "kept with the application and its history."
    )

    consent_note = forms.CharField(
        label=_("Consent of the cooperative"),
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
        help_text=_(
            "Who in the cooperative agreed to this application, when and how (visit, phone…)."
        ),
        max_length=2000,
    )


class DecisionForm(NoteForm):
    help_text = _("The cooperative reads it. Required for a rejection.")


class RenewalRequestForm(forms.Form):
    """The cooperative asks for its agreement to go on: one line of reason."""

    reason = forms.CharField(
        label=_("Why the activity should go on"),
        max_length=300,
        strip=True,
        widget=forms.TextInput(attrs={"dir": "auto"}),
        help_text=_("One line: the chamber reads it before it decides."),
        error_messages={"required": _("Say in a line why the activity should go on.")},
    )


class ApprovalForm(Sections, forms.Form):
    """Staff give a space to an application: which one, for which period and days."""

    sections = [(_("The allocation"), ["space", "starts_on", "ends_on", "weekdays", "note"])]

    space = SpaceChoiceField(queryset=Space.objects.none(), label=_("Space"))
    starts_on = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = forms.DateField(
        label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    weekdays = WeekdaysField(
        label=_("Days of the week"),
        help_text=_("A shared hall can host other activities on the other days."),
    )
    note = forms.CharField(
        label=_("Why this space"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
        help_text=_("Recorded with the decision and written on the agreement."),
    )

    confirm_gaps = forms.BooleanField(
        required=False,
        label=_(
            "I have read what this gives less than asked: the cooperative is told, with the "
            "reason above."
        ),
    )

    def __init__(self, *args, spaces, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["space"].queryset = spaces
        self.application = application
        self.gaps: list[str] = []  # what the allocation gives less than asked, in words

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The end comes before the start."))
        space, weekdays = cleaned.get("space"), cleaned.get("weekdays")
        if space and starts_on and ends_on and weekdays and not self.errors:
            self.gaps = approval.described(
                approval.gaps(self.application, space, starts_on, ends_on, weekdays)
            )
            if self.gaps and not cleaned.get("confirm_gaps"):
                # Warned before confirming: the page shows the gaps above this box.
                self.add_error(
                    "confirm_gaps",
                    _("This gives less than the cooperative asked: read why above, then tick."),
                )
        return cleaned


class PlanReasonForm(forms.Form):
    """Why staff steer the plan, and the province whose plan they were reading (to go back
    to it)."""

    reason = forms.CharField(
        label=_("Why"), max_length=1000, widget=forms.TextInput(attrs={"dir": "auto"})
    )
    back = forms.ModelChoiceField(
        queryset=Province.objects.all(), required=False, widget=forms.HiddenInput
    )


class PlanDecisionForm(PlanReasonForm):
    """Lock a pair into the plan, or exclude it."""

    application = forms.ModelChoiceField(
        queryset=SpaceApplication.objects.all(), widget=forms.HiddenInput
    )
    space = forms.ModelChoiceField(queryset=Space.objects.all(), widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        choices=[("lock", _("Lock")), ("exclude", _("Exclude"))], widget=forms.HiddenInput
    )


class PlanProvinceForm(forms.Form):
    """The plan of one province (`?province=`), or of the whole region."""

    province = forms.ModelChoiceField(queryset=Province.objects.all(), required=False)


class SpaceQueryForm(forms.Form):
    """`?space=`: the space a page starts from (applying for it, approving in it); a space
    that cannot be read is no space."""

    space = forms.ModelChoiceField(queryset=Space.objects.none(), required=False)

    def __init__(self, data, *, spaces):
        super().__init__(data)
        self.fields["space"].queryset = spaces

    @property
    def chosen(self):
        return self.cleaned_data.get("space") if self.is_valid() else None


def _count_field(label, *, maximum: int, help_text="", negative=None) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=maximum,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"dir": "ltr", "inputmode": "numeric", "min": "0"}),
        error_messages={"min_value": negative or _("Write 0 or more.")},
    )


class ActivityReportForm(OnceForm, forms.Form):
    """A month's (or a quarter's) report on the activity, short enough for a phone. The
    periods offered are those of the agreement that have begun; the rules that need the
    database (a period reported already, more days than given) are the service's."""

    purpose = _(
        "The chamber uses these figures to follow the activity and, added up with those of "
        "other cooperatives, to show the income the region's spaces bring. One cooperative's "
        "figures are never published."
    )

    period = forms.ChoiceField(label=_("Period"))
    income_mad = _count_field(
        _("Income earned (MAD)"),
        maximum=100_000_000,
        help_text=_("Sales and orders paid in the period, in dirhams; 0 if nothing was sold."),
        negative=_("Income cannot be negative: write 0 if nothing was sold."),
    )
    women_workers = _count_field(_("Women who worked"), maximum=100_000)
    men_workers = _count_field(_("Men who worked"), maximum=100_000)
    days_used = _count_field(
        _("Days the space was used"),
        maximum=92,
        help_text=_("The days the cooperative worked in the space during the period."),
    )
    products = forms.CharField(
        label=_("Products made"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"dir": "auto"}),
        help_text=_("For example: 12 carpets, 40 cushions."),
    )
    photo = forms.FileField(
        label=_("A photo of the work (optional)"),
        required=False,
        help_text=_("JPEG, PNG or WebP, up to 8 MB. Only the chamber and the cooperative see it."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )

    def __init__(self, *args, periods=(), **kwargs):
        """`periods`: (key, label) of the periods open to a report, the first one chosen."""
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = list(periods)
        if periods and not self.is_bound:
            self.initial.setdefault("period", periods[0][0])

    def clean_photo(self):
        """The photo rebuilt from its pixels (no metadata), or None; a bad file is said here."""
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        return reencode_image(upload).image

    def report_data(self) -> dict:
        data = self.cleaned_data
        return {
            name: data[name] for name in ("income_mad", "women_workers", "men_workers", "days_used")
        } | {"products": data["products"], "comment": data["comment"]}


class ReportEveryForm(forms.Form):
    """Staff set how often an approved application reports on its activity."""

    report_every = forms.ChoiceField(label=_("Activity reports"), choices=ReportEvery.choices)
