from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chamber.forms import (
    AccountForm,
    NamedModelChoiceField,
    NoteForm,
    Sections,
    communes_in_reading_order,
)
from chamber.models import Commune
from programs.models import Outcome, SchoolLevel
from spaces.forms import SpaceChoiceField, WeekdaysField
from spaces.models import PUBLIC_STATUSES, Space


class ApprenticeSignUpForm(AccountForm):
    purpose = _(
        "Why we ask: to create your account, to check that you can join a cohort (your age and "
        "school level) and to count, without names, the young people and young women the "
        "programme trains. Your details are seen by you and the chamber's staff only, never "
        "published, and kept while your account is open; you may ask the chamber to see, "
        "correct or delete them."
    )
    sections = [
        (
            _("You"),
            ["first_name", "last_name", "birth_date", "woman", "school_level", "commune"],
        ),
        (_("Your account"), AccountForm.ACCOUNT),
    ]

    birth_date = forms.DateField(
        label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    woman = forms.BooleanField(label=_("I am a young woman"), required=False)
    school_level = forms.ChoiceField(label=_("School level reached"), choices=SchoolLevel.choices)
    commune = NamedModelChoiceField(
        queryset=Commune.objects.none(), label=_("Commune where you live")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes_in_reading_order()

    def clean_birth_date(self):
        born = self.cleaned_data["birth_date"]
        if born > timezone.localdate():
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        if born.year < 1900:
            raise forms.ValidationError(_("Check the year of birth."))
        return born

    def profile(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in ("birth_date", "woman", "school_level", "commune")
        }


class CohortApplicationForm(forms.Form):
    """Applying to a cohort: a button, which sends the young person's profile with it. A
    second press creates nothing (one enrolment per cohort and apprentice)."""

    purpose = _(
        "Applying sends your profile (date of birth, school level, commune, phone) to the "
        "chamber's staff, who check that you can join this cohort and decide. It is seen by "
        "them only and kept with your application while your account is open."
    )


class EnrolmentNoteForm(NoteForm):
    rows = 2


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Six months after the training"), choices=Outcome.choices)


class OwnOutcomeForm(OutcomeForm):
    """The young person's own answer, on their enrolment's page."""

    outcome = forms.ChoiceField(
        label=_("I am now"), choices=Outcome.choices, widget=forms.RadioSelect
    )


class HostForm(Sections, forms.Form):
    sections = [(_("The allocation"), ["space", "weekdays"])]

    space = SpaceChoiceField(queryset=Space.objects.none(), label=_("Space"))
    weekdays = WeekdaysField(label=_("Days of the week"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["space"].queryset = (
            Space.objects.filter(status__in=PUBLIC_STATUSES)
            .select_related("commune")
            .order_by("name")
        )
