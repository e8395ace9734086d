"""One-time codes sent by SMS: to confirm a phone number, to sign in, to choose a new password.

A code is six digits, kept as a keyed hash (HMAC with the secret key), valid PHONE_CODE_MINUTES
(ten), once. A newer code voids the older ones of the same purpose; PHONE_CODE_TRIES (five)
wrong tries void it too. Sending is limited per number and per address (PHONE_CODES_PER_NUMBER
and PHONE_CODES_PER_ADDRESS an hour, counted in the cache whether or not the number has an
account, so that the limit tells nothing). Signing in and resetting a password with a code go
through `authenticate` (chamber.backends.PhoneCodeBackend): django-axes counts the failures
per number and address and locks out as it does for passwords.
"""

import hashlib
import hmac
import logging
import secrets
import unicodedata
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chamber import sms
from chamber.models import CodePurpose, PhoneCode, User

logger = logging.getLogger(__name__)


class CodeRefused(Exception):
    """The code is wrong, expired, used or voided: the message says which, to its owner."""


class TooManyCodes(Exception):
    """Too many codes were asked for this number or from this address within the hour."""


def _digest(code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), code.encode(), hashlib.sha256).hexdigest()


def _counted(key: str, limit: int) -> bool:
    """Count one more under `key` for an hour; False once `limit` is passed, and while the
    cache does not answer (no code is sent that nobody counted; passwords still work)."""
    try:
        cache.add(key, 0, timeout=3600)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=3600)
            count = 1
    except Exception:  # the cache server is down
        logger.warning("The cache does not answer: no code is sent until it is back")
        return False
    return count <= limit


def may_send(phone: str, address: str) -> None:
    """TooManyCodes if this number or this address asked too many codes within the hour."""
    number_ok = _counted(f"phone-codes:number:{phone}", settings.PHONE_CODES_PER_NUMBER)
    address_ok = _counted(f"phone-codes:address:{address}", settings.PHONE_CODES_PER_ADDRESS)
    if not (number_ok and address_ok):
        raise TooManyCodes


SMS_TEXT = {
    CodePurpose.CONFIRM_PHONE: lambda code: (
        _("%(code)s is your code to confirm this number.") % {"code": code}
    ),
    CodePurpose.SIGN_IN: lambda code: (
        _("%(code)s is your code to sign in to the portal.") % {"code": code}
    ),
    CodePurpose.RESET: lambda code: (
        _("%(code)s is your code to choose a new password.") % {"code": code}
    ),
}


def send_code(user: User, purpose: str) -> None:
    """Send `user` a new code for `purpose` by SMS, in their language, to their phone (for
    confirming, the number they gave; else their confirmed one), voiding the older ones.
    The SMS goes at once, not through the outbox: a code is of use for ten minutes only.
    sms.SmsError (or the backend's own) if it could not be sent."""
    code = f"{secrets.randbelow(10**6):06d}"
    now = timezone.now()
    with transaction.atomic():
        PhoneCode.objects.filter(user=user, purpose=purpose, used_at__isnull=True).update(
            used_at=now
        )
        PhoneCode.objects.create(
            user=user,
            purpose=purpose,
            phone=user.phone,
            digest=_digest(code),
            expires_at=now + timedelta(minutes=settings.PHONE_CODE_MINUTES),
        )
    with translation.override(user.language or settings.LANGUAGE_CODE):
        text = SMS_TEXT[CodePurpose(purpose)](code)
    sms.send_sms(user.phone.as_e164, text, reference=f"code-{user.pk}-{int(now.timestamp())}")


def ascii_digits(text: str) -> str:
    """The code as typed, in any script's digits (٠٤٢٩١٧ on an Arabic keyboard), as the
    ASCII digits it was made of; spaces dropped."""
    return "".join(
        str(unicodedata.digit(char)) if char.isdigit() else char for char in "".join(text.split())
    )


def check_code(user: User | None, purpose: str, code: str, *, use: bool = True) -> None:
    """Use `user`'s live code for `purpose` if `code` is it; CodeRefused otherwise, saying
    why (for the owner of the account: the sign-in pages say one thing for every refusal).
    A wrong try is counted even when the caller's transaction is rolled back: it is saved in
    a transaction of its own before the refusal is raised."""
    code = ascii_digits(code)
    refusal = None
    with transaction.atomic():
        live = (
            PhoneCode.objects.select_for_update()
            .filter(user=user, purpose=purpose, used_at__isnull=True)
            .order_by("-created_at")
            .first()
            if user is not None
            else None
        )
        now = timezone.now()
        if live is None:
            refusal = _("There is no code waiting: ask for a new one.")
        elif live.expires_at <= now:
            live.used_at = now
            refusal = _(
                "This code has expired (a code lasts %(minutes)s minutes): ask for a new one."
            ) % {"minutes": settings.PHONE_CODE_MINUTES}
        elif live.phone != user.phone:
            live.used_at = now
            refusal = _("The number changed since this code was sent: ask for a new one.")
        elif not hmac.compare_digest(live.digest, _digest(code)):
            live.tries += 1
            if live.tries >= settings.PHONE_CODE_TRIES:
                live.used_at = now
                refusal = _("Too many wrong tries: this code no longer works. Ask for a new one.")
            else:
                refusal = _("This is not the code sent: check it (%(left)s tries left).") % {
                    "left": settings.PHONE_CODE_TRIES - live.tries
                }
        elif use:
            live.used_at = now
        if live is not None:
            live.save(update_fields=["tries", "used_at"])
    if refusal:
        raise CodeRefused(refusal)


def use_code(user: User, purpose: str) -> None:
    """Use up `user`'s live code for `purpose` (checked before with use=False)."""
    PhoneCode.objects.filter(user=user, purpose=purpose, used_at__isnull=True).update(
        used_at=timezone.now()
    )


def account_of(phone) -> User | None:
    """The active account whose confirmed number this is, if any."""
    if not phone:
        return None
    return User.objects.filter(phone=phone, phone_verified=True, is_active=True).first()


def forget_used_codes() -> int:
    """Delete codes used or expired for a day (they prove nothing any more)."""
    limit = timezone.now() - timedelta(days=1)
    deleted, _rows = PhoneCode.objects.filter(expires_at__lte=limit).delete()
    return deleted
