"""The site's own forms."""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


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
