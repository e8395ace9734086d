"""Form pieces shared by every app: forms in sections, a new account, reference data named
in the reader's language, the note every decision takes, and the file of a bulk import."""

import phonenumbers
from django import forms
from django.conf import settings
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField
from phonenumber_field.phonenumber import PhoneNumber, to_python

from chamber.imports import ImportFileError
from chamber.models import Commune, Craft, User
from chamber.submissions import OnceForm
from chamber.templatetags.phones import is_moroccan, national


class Sections:
    """A form shown in numbered sections, that a person on a phone fills one by one
    (chamber/templates/includes/form_sections.html). `sections`: (title, field names), or
    (title, None) for every field of the form."""

    sections: list[tuple[str, list[str] | None]] = []

    def fieldsets(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [
            (
                title,
                [
                    self[name]
                    for name in names or self.fields
                    if name in self.fields and not self[name].is_hidden
                ],
            )
            for title, names in self.sections
        ]


def email_taken(email: str, *, exclude_pk=None) -> bool:
    """Whether another account has this e-mail address, however it is capitalised (the
    database refuses it too: user_email_unique_ignoring_case)."""
    return bool(email) and (
        User.objects.filter(email__iexact=email).exclude(pk=exclude_pk).exists()
    )


EMAIL_TAKEN = _("Another account already uses this e-mail address: give another one.")


class PhoneInput(forms.TextInput):
    """The input of a chamber.forms.PhoneField: a Moroccan number in the national format,
    anything else as it was typed or saved. The library's widget would show "+212 611" as
    "611", and a saved +33 number in its national format, which reads as a Moroccan one."""

    input_type = "tel"

    def format_value(self, value):
        if isinstance(value, str) and value:
            number = to_python(value, region=settings.PHONENUMBER_DEFAULT_REGION)
            value = number if is_moroccan(number) else value
        if isinstance(value, PhoneNumber):
            return national(value) or None
        return super().format_value(value)


class PhoneField(PhoneNumberField):
    """A Moroccan phone number as people write it (06 12 34 56 78, +212 6 12 34 56 78),
    stored in E.164 and shown back in the national format. `mobile`: only a number that can
    receive an SMS. Anything else is said on the field, with an example."""

    default_error_messages = {
        "invalid": _("Enter a phone number such as 06 12 34 56 78 or +212 6 12 34 56 78."),
        "foreign": _("Only Moroccan numbers (+212) are accepted."),
        "not_mobile": _("Give a mobile number (06… or 07…): SMS are sent to it."),
    }

    def __init__(self, *args, mobile: bool = False, **kwargs):
        kwargs.setdefault("region", settings.PHONENUMBER_DEFAULT_REGION)
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("widget", PhoneInput)
        super().__init__(*args, **kwargs)
        self.error_messages = {**self.error_messages, **self.default_error_messages}
        self.mobile = mobile
        self.widget.attrs.update({"dir": "ltr", "autocomplete": "tel", "inputmode": "tel"})

    def validate(self, value):
        super().validate(value)
        if value in self.empty_values or not getattr(value, "is_valid", lambda: False)():
            return
        if phonenumbers.region_code_for_number(value) != self.region:
            raise forms.ValidationError(self.error_messages["foreign"], code="foreign")
        if self.mobile and not self.is_mobile(value):
            raise forms.ValidationError(self.error_messages["not_mobile"], code="not_mobile")

    @staticmethod
    def is_mobile(number) -> bool:
        """Whether an SMS can reach this (valid) number."""
        return phonenumbers.number_type(number) in MOBILE_TYPES


MOBILE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


class AccountForm(OnceForm, Sections, UserCreationForm):
    """A new account of the portal, made by the person themselves (a cooperative's
    representative, a young person): the role and what goes with it are each app's.
    It is sent once (OnceForm), and says of other accounts only that a user name or an
    e-mail address is taken, which the person needs to know to choose another."""

    purpose = ""  # each sign-up says why it collects what it asks (law 09-08)

    ACCOUNT = ["email", "phone", "language", "username", "password1", "password2"]

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "phone", "language", "username"]
        widgets = {
            "username": forms.TextInput(attrs={"dir": "ltr", "autocomplete": "username"}),
            "email": forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "email"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name"):
            self.fields[name].required = True
        self.fields.pop("usable_password", None)
        # Django focuses the user name; here the form starts with the person's name.
        self.fields["username"].widget.attrs.pop("autofocus", None)
        # Mail comes in the language the person is reading the form in, unless they change it.
        self.fields["language"].initial = get_language()
        self.fields["phone"] = PhoneField(
            mobile=True,
            required=False,
            label=_("Mobile phone"),
            help_text=_(
                "For messages by SMS and signing in with a code; you confirm it on your "
                "account page. Seen by the chamber only."
            ),
        )

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if email_taken(email, exclude_pk=self.instance.pk):
            raise forms.ValidationError(EMAIL_TAKEN)
        return email

    def clean(self):
        cleaned = super().clean()
        if (
            not cleaned.get("email")
            and not cleaned.get("phone")
            and not self.has_error("email")
            and not self.has_error("phone")
        ):
            self.add_error(
                "phone",
                _("Give an e-mail address or a mobile phone: the chamber's answers come there."),
            )
        return cleaned


def communes_in_reading_order():
    """Communes sorted by their name in the active language (Arabic or French)."""
    return Commune.objects.order_by("name_ar" if get_language() == "ar" else "name_fr")


class NamedModelChoiceField(forms.ModelChoiceField):
    """Choices labelled with the object's `name`, which follows the active language."""

    def label_from_instance(self, obj):
        return obj.name


class NamedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name

    def _check_values(self, value):
        # Django looks the ids up with `pk__in`, which, unlike `pk=`, sends a number past the
        # database's integers as it is: SQLite then fails (OverflowError, a server error).
        # No object has such an id: it is not one of the choices.
        if self.to_field_name is None and isinstance(value, (list, tuple)):
            for pk in value:
                try:
                    number = int(str(pk).strip())
                except ValueError:
                    continue  # Django says "not a valid value" itself
                if not -(2**63) <= number < 2**63:
                    raise forms.ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": pk},
                    )
        return super()._check_values(value)


class CraftsField(NamedModelMultipleChoiceField):
    """Crafts of the nomenclature to tick, by family, none required."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(
            queryset=Craft.objects.order_by("family", "code"),
            widget=forms.CheckboxSelectMultiple,
            **kwargs,
        )


def note_field(label=None, help_text="", rows: int = 3) -> forms.CharField:
    """The reason or note that goes with a decision into its history (chamber.workflow):
    free text of at most 2,000 characters, in either direction. A service says when it is
    required; each use says who reads it (`help_text`)."""
    return forms.CharField(
        label=label or _("Reason or note"),
        help_text=help_text,
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": rows, "dir": "auto"}),
    )


class NoteForm(forms.Form):
    """A decision's note alone (note_field); each use sets its label, help and height."""

    label = None
    help_text = ""
    rows = 3

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"] = note_field(self.label, self.help_text, self.rows)


class ImportForm(forms.Form):
    """A CSV or Excel file for a bulk import. Reading it is one of the form's checks, so a
    file that cannot be read is answered on the field; `reader` is the app's `read_file`."""

    file = forms.FileField(
        label=_("CSV or Excel file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args, reader, help_text="", **kwargs):
        super().__init__(*args, **kwargs)
        self.reader = reader
        self.fields["file"].help_text = help_text

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if not uploaded.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Send a .csv or .xlsx file."))
        try:
            self.cleaned_data["records"] = self.reader(uploaded)
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from error
        return uploaded


class ConfirmImportForm(forms.Form):
    """The confirmation of a clean dry run: the token its page quotes."""

    confirm = forms.CharField(max_length=64)
