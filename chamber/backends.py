"""Signing in with a one-time code sent by SMS (chamber.phone_codes), beside the password.

It is an authentication backend so that `authenticate(request, username=<E.164>, code=…)`
goes through django-axes like a password: failures are counted per number and address, and a
lock-out refuses the code as it refuses a password. Staff and superusers never sign in with a
code."""

from django.contrib.auth.backends import ModelBackend

from chamber import phone_codes
from chamber.models import CodePurpose


class PhoneCodeBackend(ModelBackend):
    def authenticate(
        self, request, username=None, code=None, purpose=CodePurpose.SIGN_IN, use=True, **kwargs
    ):
        """The account whose confirmed number is `username`, if `code` is its live code for
        `purpose` (used up, unless `use` is False: checked only, to be used by `use_code`)."""
        if username is None or code is None or kwargs.get("password") is not None:
            return None
        user = phone_codes.account_of(username)
        try:
            phone_codes.check_code(user, purpose, code, use=use)
        except phone_codes.CodeRefused:
            return None
        return user if self.user_can_authenticate(user) else None

    def user_can_authenticate(self, user):
        # The administration's accounts keep their password: a code sent to a phone is one
        # factor, too little for who can see everyone's data.
        return super().user_can_authenticate(user) and not (user.is_staff or user.is_superuser)
