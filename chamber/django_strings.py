"""Strings of Django's own admin that Django 5.2's Arabic catalogue lacks. Listed here so that
`makemessages` keeps them in locale/, whose translations take precedence over Django's."""

from django.utils.translation import gettext_noop

MISSING_FROM_DJANGO = [
    gettext_noop("Raw passwords are not stored, so there is no way to see the user’s password."),
    gettext_noop("Reset password"),
    gettext_noop("Set password"),
]
