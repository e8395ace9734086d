from decimal import Decimal

from django import forms
from django.core.validators import MinValueValidator
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from chamber.forms import CraftsField, NoteForm, PhoneField, PhoneInput
from chamber.submissions import OnceForm
from spaces.models import MOROCCO, REGION, Space, inside


class CoordinateField(forms.DecimalField):
    """Degrees as people type them: a decimal comma is accepted, and a phone's long value is
    rounded to 6 decimals (about 10 cm) rather than refused."""

    widget = forms.TextInput

    def __init__(self, **kwargs):
        super().__init__(max_digits=9, decimal_places=6, required=False, **kwargs)

    def widget_attrs(self, widget):
        return {"inputmode": "decimal", "dir": "ltr", "autocomplete": "off", "spellcheck": "false"}

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".").replace("\u2212", "-")
        number = super().to_python(value)
        if number is None or not number.is_finite() or abs(number) >= 1000:
            # Left as typed: validate() then says what is wrong (not a number, too many
            # digits); quantizing Infinity or 1e30 would raise instead.
            return number
        return number.quantize(Decimal("0.000001"))


class SpaceChoiceField(forms.ModelChoiceField):
    """A space named with its commune, for staff choosing where an activity goes."""

    def label_from_instance(self, space):
        return f"{space.name} — {space.commune.name}"


class WeekdaysField(forms.TypedMultipleChoiceField):
    """Days of the week as allocations hold them: ticked boxes in, a mask of bits out
    (Monday 1, Tuesday 2, … Sunday 64); a mask, or a list of days, as its initial value."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        choices = [(str(day), name) for day, name in WEEKDAYS.items()]
        super().__init__(choices=choices, coerce=int, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, int):
            value = [day for day in range(7) if value & (1 << day)]
        return [str(day) for day in value or []]

    def clean(self, value) -> int:
        return sum(1 << day for day in set(super().clean(value)))


class SpaceForm(OnceForm, forms.ModelForm):
    """The proposal of a building, in sections a person on a phone can fill one by one; a
    proposal is created once however often it is sent (OnceForm)."""

    purpose = _(
        "The phone and e-mail for visits are shown on the space's public page once the chamber "
        "has accepted the building, so that cooperatives can arrange a visit: give the "
        "commune's contact rather than a private one. They stay as long as the space is on the "
        "portal, and the commune can change them until the chamber starts its review."
    )

    sections = [
        (_("The building"), ["name", "kind", "address", "description"]),
        (_("Where it is"), ["latitude", "longitude"]),
        (_("Size"), ["floor_area_m2", "rooms", "capacity"]),
        (
            _("Utilities"),
            ["has_electricity", "has_water", "has_sanitation", "has_internet", "step_free_access"],
        ),
        (_("Condition and ownership"), ["condition", "works_cost_mad", "ownership"]),
        (_("Crafts it suits"), ["crafts"]),
        (_("Contact for visits"), ["contact_phone", "contact_email"]),
    ]

    latitude = CoordinateField(
        label=_("latitude"),
        help_text=_("In degrees, for example 28.9870 (a phone's map application shows it)."),
    )
    longitude = CoordinateField(
        label=_("longitude"),
        help_text=_("In degrees, west is negative: for example -10.0574."),
    )
    crafts = CraftsField(label=_("Crafts it suits"))

    class Meta:
        model = Space
        fields = [
            "name",
            "kind",
            "address",
            "description",
            "latitude",
            "longitude",
            "floor_area_m2",
            "rooms",
            "capacity",
            "has_electricity",
            "has_water",
            "has_sanitation",
            "has_internet",
            "step_free_access",
            "condition",
            "works_cost_mad",
            "ownership",
            "crafts",
            "contact_phone",
            "contact_email",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
            "name": forms.TextInput(attrs={"dir": "auto"}),
            "address": forms.TextInput(attrs={"dir": "auto"}),
            "contact_phone": PhoneInput,  # dir="ltr", type="tel" (PhoneField)
            "contact_email": forms.EmailInput(attrs={"dir": "ltr"}),
        }
        # A Moroccan number, fixed line or mobile, stored in E.164.
        field_classes = {"contact_phone": PhoneField}
        help_texts = {"works_cost_mad": _("Leave empty if you do not know.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The model's fields say "at least 1"; without this, the form would say "at least 0".
        for name in ("floor_area_m2", "rooms", "capacity"):
            field = self.fields[name]
            field.min_value = 1
            field.validators = [
                v
                for v in field.validators
                if not (isinstance(v, MinValueValidator) and v.limit_value == 0)
            ]
            field.widget.attrs["min"] = "1"
        # The commune's public number: the browser would offer the person's own.
        self.fields["contact_phone"].widget.attrs["autocomplete"] = "off"

    def space_data(self) -> dict:
        """The cleaned values for the space itself (crafts are set apart: a relation)."""
        return {name: value for name, value in self.cleaned_data.items() if name != "crafts"}

    def clean(self):
        cleaned = super().clean()
        if self.has_error("latitude") or self.has_error("longitude"):
            return cleaned
        lat, lng = cleaned.get("latitude"), cleaned.get("longitude")
        if (lat is None) != (lng is None):
            missing = "longitude" if lng is None else "latitude"
            self.add_error(missing, _("Give both the latitude and the longitude, or neither."))
        elif lat is not None and not inside(MOROCCO, lat, lng):
            self.add_error(
                "latitude",
                _(
                    "This point is outside Morocco. Check the latitude and the longitude "
                    "(west of Greenwich, the longitude is negative)."
                ),
            )
        elif lat is not None and not inside(REGION, lat, lng):
            self.add_error(
                "latitude",
                _(
                    "This point is outside the Guelmim-Oued Noun region. Check the latitude "
                    "and the longitude."
                ),
            )
        return cleaned


class PhotoForm(forms.Form):
    image = forms.FileField(
        label=_("Photo"),
        help_text=_("JPEG, PNG or WebP, up to 8 MB. Send photos one at a time."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    caption = forms.CharField(
        label=_("Caption"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"dir": "auto"}),
        help_text=_("What the photo shows, for people who cannot see it."),
    )


class DocumentForm(forms.Form):
    file = forms.FileField(
        label=_("PDF document"),
        help_text=_("A plan, a title deed, a technical report… PDF only, up to 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    title = forms.CharField(
        label=_("Title"), max_length=200, widget=forms.TextInput(attrs={"dir": "auto"})
    )


class DecisionForm(NoteForm):
    help_text = _("The commune reads it. Required for a rejection.")


class WithdrawForm(NoteForm):
    label = _("Why the commune withdraws it (optional)")
    rows = 2


class CloseAllocationForm(NoteForm):
    label = _("Note")
    help_text = _("Required to terminate it early: it is kept with the agreement.")
    rows = 2


class RenewAllocationForm(forms.Form):
    """Staff renew an agreement: its new end (same space, same days) and a note."""

    ends_on = forms.DateField(
        label=_("New end"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )


class DeclineRenewalForm(NoteForm):
    label = _("Why the renewal is refused")
    help_text = _("Required: the cooperative reads it.")
    rows = 2
