"""One-time form tokens: a form that creates something (a proposal, an application, an account)
creates it once, however often its button is pressed, one after the other or twenty at once.

The form carries a hidden, signed token drawn when the page is drawn (`OnceForm`). The view
(`SubmitOnceMixin`) claims the token by inserting it, unique, in the same transaction as the
creation (`submit_once`): on PostgreSQL concurrent posts of one token wait on the unique index,
and only the first creates; the others, like any later press, are sent where the first one went.
A claim whose creation fails is rolled back with it, so the corrected form can be sent again.

A post without a valid token (a page drawn before tokens existed, a token more than
FORM_TOKEN_LIFETIME old, or a made-up one) creates nothing: the form comes back with what was
typed, a fresh token and a message saying to send it again.
"""

import secrets
from collections.abc import Callable
from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chamber.models import SubmittedForm

TOKEN_FIELD = "form_token"
# How long a drawn form may wait before it is sent; claims are kept as long (and no longer
# needed after: an older token is refused before it is looked up).
FORM_TOKEN_LIFETIME = timedelta(days=2)
_SALT = "chamber.submissions"

SENT_AGAIN = _("This form had already been sent: nothing was created twice.")
STALE = _(
    "This page is too old to be sent (or was opened before an update of the portal): check "
    "your answers and send the form again."
)
TAKEN_MEANWHILE = _(
    "Someone else sent the same details at the same moment: check your answers and send the "
    "form again."
)


def new_token() -> str:
    """A random token, signed with the time it was drawn."""
    return signing.TimestampSigner(salt=_SALT).sign(secrets.token_urlsafe(16))


def is_valid_token(token: str) -> bool:
    """Drawn by the portal less than FORM_TOKEN_LIFETIME ago."""
    try:
        signing.TimestampSigner(salt=_SALT).unsign(token, max_age=FORM_TOKEN_LIFETIME)
    except signing.BadSignature:  # SignatureExpired is one
        return False
    return True


class AlreadySent(Exception):
    """The token was claimed already; `submission` is the claim (`created` what it made)."""

    def __init__(self, submission: SubmittedForm | None):
        super().__init__(str(submission))
        self.submission = submission


class StaleToken(Exception):
    """No token, an expired one or one the portal did not draw: nothing is created."""


def _user_id(actor) -> int | None:
    return actor.pk if actor is not None and actor.is_authenticated else None


def earlier_submission(token: str) -> SubmittedForm | None:
    """The claim of `token`, if a form carrying it was already sent (and committed)."""
    if not token or not is_valid_token(token):
        # Only tokens the portal signed are ever claimed (submit_once). Not looking others up
        # also keeps a NUL byte from PostgreSQL, which answers it with a server error.
        return None
    return SubmittedForm.objects.filter(token=token).first()


@transaction.atomic
def submit_once(token: str, *, actor, kind: str, create: Callable[[], object]):
    """Claim `token` for `actor` (None or anonymous for a sign-up), then run `create()` (the
    app's service) and record what it returned, in one transaction. Returns what `create`
    made. Raises StaleToken for an invalid token, AlreadySent when the token was claimed
    already (the first claim wins, even at the same moment: the insert is unique); anything
    `create` raises rolls the claim back with it."""
    if not is_valid_token(token):
        raise StaleToken
    user_id = _user_id(actor)
    try:
        with transaction.atomic():
            claim = SubmittedForm.objects.create(token=token, kind=kind, user_id=user_id)
    except IntegrityError:
        # Another request holds or held it; its transaction is over once the insert failed.
        raise AlreadySent(earlier_submission(token)) from None
    created = create()
    claim.content_type = ContentType.objects.get_for_model(created)
    claim.object_id = created.pk
    claim.save(update_fields=["content_type", "object_id"])
    return created


def forget_submitted_forms(older_than: timedelta = FORM_TOKEN_LIFETIME) -> int:
    """Delete the claims older than `older_than` (never less than FORM_TOKEN_LIFETIME: a
    younger token may still be sent again); return how many. For the retention command."""
    cutoff = timezone.now() - max(older_than, FORM_TOKEN_LIFETIME)
    deleted, _rows = SubmittedForm.objects.filter(created_at__lt=cutoff).delete()
    return deleted


class OnceForm:
    """Mixin for a form that creates something: the hidden one-time token (TOKEN_FIELD),
    checked by the view (SubmitOnceMixin), not by the form, so that the same form can also
    edit. Templates render it with the form's hidden fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[TOKEN_FIELD] = forms.CharField(
            widget=forms.HiddenInput, required=False, max_length=100, initial=new_token()
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned is None:
            cleaned = self.cleaned_data
        cleaned.pop(TOKEN_FIELD, None)  # the view's, never a value to save
        return cleaned

    @property
    def token(self) -> str:
        return self.data.get(self.add_prefix(TOKEN_FIELD), "") if self.is_bound else ""

    def renew_token(self) -> None:
        """A fresh token for the form drawn again after a refusal (what was typed stays)."""
        self.data = self.data.copy()
        self.data[self.add_prefix(TOKEN_FIELD)] = new_token()


class SubmitOnceMixin:
    """For a FormView whose form (OnceForm) creates something. Its `form_valid` creates
    through `self.create_once(form, create)`; a press whose token was claimed already is
    answered before the form is even checked (a sign-up's user name is taken by then): a
    message and a redirect to `created_url(what the first press made)`."""

    once_kind = ""  # names the form in its claims, e.g. "spaces:propose"
    sent_again_message = SENT_AGAIN

    def created_url(self, created) -> str:
        return created.get_absolute_url()

    def post(self, request, *args, **kwargs):
        earlier = earlier_submission(request.POST.get(TOKEN_FIELD, ""))
        if earlier is not None:
            return self.sent_again(earlier)
        try:
            return super().post(request, *args, **kwargs)
        except _Answered as answered:
            return answered.response

    def form_invalid(self, form):
        # The same press sent at the same moment may have created it meanwhile (a sign-up's
        # user name is taken by then): say that, not the refusal it caused.
        earlier = earlier_submission(form.token)
        if earlier is not None:
            return self.sent_again(earlier)
        return super().form_invalid(form)

    def sent_again(self, submission: SubmittedForm | None):
        mine = submission is not None and submission.user_id == _user_id(self.request.user)
        created = submission.created if mine else None
        messages.info(self.request, self.sent_again_message)
        if created is None:
            # What it made is gone, or the token is not this person's: a fresh form.
            return redirect(self.request.get_full_path())
        return redirect(self.created_url(created))

    def create_once(self, form: OnceForm, create: Callable[[], object]):
        """What `create()` made, created once per token; any other press is answered here."""
        try:
            return submit_once(
                form.token, actor=self.request.user, kind=self.once_kind, create=create
            )
        except StaleToken:
            form.renew_token()
            form.add_error(None, STALE)
            raise _Answered(self.form_invalid(form)) from None
        except AlreadySent as earlier:
            raise _Answered(self.sent_again(earlier.submission)) from None
        except IntegrityError:
            # Another form (another page, another token) took the same user name, e-mail
            # address or registration number at the same moment: checked again, the form now
            # says which on its field; nothing of this press was kept.
            form.full_clean()
            if not form.errors:
                form.add_error(None, TAKEN_MEANWHILE)
            raise _Answered(self.form_invalid(form)) from None


class _Answered(Exception):
    """Carries the answer to a press that creates nothing up to SubmitOnceMixin.post."""

    def __init__(self, response):
        super().__init__()
        self.response = response
