"""The site's own forms."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from chamber import phone_codes
from chamber.forms import PhoneField
from chamber.models import NotifyBy, User


class LongNamesRefused:
    """Django's login form sets the user name's max_length after the field is built, so its
    length is never checked: a name of 300 characters went on to django-axes, whose record of
    the attempt holds 255, and PostgreSQL answered with a server error. Check it here."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


class LoginForm(LongNamesRefused, AuthenticationForm):
    pass


class AdminLoginForm(LongNamesRefused, AdminAuthenticationForm):
    pass


class ContactForm(forms.ModelForm):
    """The person's mobile number and how they want to be told (their account page)."""

    class Meta:
        model = User
        fields = ["phone", "notify_by"]
        widgets = {"notify_by": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"] = PhoneField(
            mobile=True,
            required=False,
            label=_("Mobile phone"),
            help_text=_("SMS and sign-in codes come to it once you confirm it."),
        )
        self.fields["notify_by"].label = _("How the portal tells you what concerns you")
        self.fields["notify_by"].help_text = _(
            "Whatever you choose, every message is also in your portal's notifications."
        )

    def clean(self):
        cleaned = super().clean()
        wants_sms = cleaned.get("notify_by") in (NotifyBy.SMS, NotifyBy.BOTH)
        if wants_sms and not cleaned.get("phone") and not self.has_error("phone"):
            self.add_error("phone", _("Give a mobile number to be told by SMS."))
        wants_email = cleaned.get("notify_by") in (NotifyBy.EMAIL, NotifyBy.BOTH)
        if wants_email and not self.instance.email:
            self.add_error(
                "notify_by",
                _("Your account has no e-mail address: choose SMS, or ask the chamber to add one."),
            )
        return cleaned


class PhoneForm(forms.Form):
    """The number to send a one-time code to (signing in, or choosing a new password)."""

    phone = PhoneField(mobile=True, label=_("Your mobile phone"))


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("The code received by SMS"),
        min_length=6,
        max_length=12,  # spaces typed between the digits are dropped
        widget=forms.TextInput(
            attrs={
                "dir": "ltr",
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9 ]*",
            }
        ),
        help_text=_("Six digits."),
    )

    def clean_code(self):
        code = phone_codes.ascii_digits(self.cleaned_data["code"])
        if len(code) != 6 or not (code.isascii() and code.isdigit()):
            raise forms.ValidationError(_("The code is six digits, such as 042917."))
        return code


class CodePasswordForm(CodeForm):
    """The code sent for a new password, and the new password twice."""

    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    new_password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("new_password1"), cleaned.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", _("The two passwords differ."))
        return cleaned

    def check_password_for(self, user: User | None) -> bool:
        """Apply the password rules (which compare it with the person's name): False with
        the errors on the field if it is refused."""
        try:
            password_validation.validate_password(self.cleaned_data["new_password1"], user)
        except forms.ValidationError as refusal:
            self.add_error("new_password1", refusal)
            return False
        return True
