"""Writes on accounts that must stay consistent (a role and the access it gives), the dry
runs of bulk imports waiting for their confirmation, and what the portal forgets: a person
erased at their request, and records past their retention period (law 09-08)."""

import secrets
from datetime import timedelta
from importlib import import_module

from axes.helpers import get_cool_off
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chamber import phone_codes
from chamber.models import CodePurpose, Erasure, ImportCheck, PhoneCode, Role, User
from chamber.permissions import can_erase_person
from chamber.privacy import PERSONAL_DATA
from chamber.submissions import forget_submitted_forms
from chamber.templatetags.phones import e164

STAFF_GROUP = "Chamber staff"


def ensure_staff_group(*, using: str = "default") -> Group:
    """Create or refresh the group holding every permission on the portal's own data.

    Idempotent; called after each migrate. Staff manage accounts too, but not groups or
    permissions themselves: that stays with superusers.
    """
    group, _created = Group.objects.using(using).get_or_create(name=STAFF_GROUP)
    # The apps whose data staff manage are the portal's to name (settings.STAFF_APPS).
    apps = settings.STAFF_APPS
    permissions = Permission.objects.using(using).filter(content_type__app_label__in=apps)
    group.permissions.set(permissions)
    return group


@transaction.atomic
def sync_role_access(user: User) -> User:
    """Give a staff account access to the admin and the staff group; take it from others.

    Called whenever a role is set (admin, seed). Superusers keep their access whatever their role.
    """
    group = ensure_staff_group()
    is_staff_role = user.role == Role.STAFF
    if user.is_staff != (is_staff_role or user.is_superuser):
        user.is_staff = is_staff_role or user.is_superuser
        user.save(update_fields=["is_staff"])
    if is_staff_role:
        user.groups.add(group)
    else:
        user.groups.remove(group)
    return user


# --- bulk imports: the dry run waits for its confirmation ---------------------------------

IMPORT_CHECK_LIFETIME = timedelta(hours=12)


def drop_stale_import_checks() -> int:
    """Delete the checks nobody confirmed in time (their rows may hold contact details);
    return how many. Run daily, and at every new check."""
    deleted, _rows = ImportCheck.objects.filter(
        created_at__lt=timezone.now() - IMPORT_CHECK_LIFETIME
    ).delete()
    return deleted


@transaction.atomic
def keep_import_check(*, actor: User, kind: str, records: list[dict]) -> str:
    """Keep a clean dry run for `actor` to confirm; return the token the confirmation quotes.
    A person has one check of a kind waiting at a time, and old checks are dropped."""
    drop_stale_import_checks()
    ImportCheck.objects.filter(created_by=actor, kind=kind).delete()
    token = secrets.token_urlsafe(32)
    ImportCheck.objects.create(kind=kind, token=token, created_by=actor, records=records)
    return token


@transaction.atomic
def confirm_import(*, actor: User, kind: str, token: str, run) -> dict | None:
    """Import the rows of `actor`'s waiting check through `run(actor=, records=)` (the app's
    import service), taking the check in the same transaction: a second confirmation,
    someone else's token or an expired check gets None, and a failed import keeps the check.
    The app's service is passed in, as this layer knows none of them."""
    check = (
        ImportCheck.objects.select_for_update()
        .filter(
            kind=kind,
            token=token,
            created_by=actor,
            created_at__gte=timezone.now() - IMPORT_CHECK_LIFETIME,
        )
        .first()
    )
    if check is None:
        return None
    check.delete()
    return run(actor=actor, records=check.records)


# --- law 09-08: erasing a person, forgetting what is past its time ------------------------


def erased_username(user_id: int) -> str:
    return f"erased-{user_id}"


def _delete_sessions_of(user: User) -> int:
    """Delete the sessions of `user` held in the database (the other session stores cannot be
    searched; the unusable password ends those sessions at their next request anyway)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store, "get_model_class"):
        return 0
    sessions = store.get_model_class().objects.filter(expire_date__gt=timezone.now())
    keys = [
        session.session_key
        for session in sessions.iterator()
        if session.get_decoded().get(SESSION_KEY) == str(user.pk)
    ]
    for key in keys:
        store(session_key=key).delete()  # also from the cache of a cached_db store
    return len(keys)


def _forget_login_records(username: str) -> None:
    for model in (AccessLog, AccessAttempt, AccessFailureLog):
        model.objects.filter(username=username).delete()


@transaction.atomic
def erase_person(user_id: int, *, actor: User, note: str = "") -> Erasure:
    """Staff only (chamber.permissions.can_erase_person: never oneself; a staff account or a
    superuser only by a superuser), else PermissionDenied. Anonymises the account (names,
    e-mail, user name "erased-<id>", no password, no role, no access) and what each app holds
    about the person (chamber.privacy), deletes their sessions, login records and waiting
    import checks, and records who erased whom. The account and every row pointing to it stay,
    so histories and figures are unchanged. Erasing an erased person changes nothing and
    returns the first erasure."""
    person = User.objects.select_for_update().get(pk=user_id)
    if not can_erase_person(actor, person):
        raise PermissionDenied
    done = Erasure.objects.filter(person=person).first()
    if done is not None:
        return done
    PERSONAL_DATA.erase(person)
    _delete_sessions_of(person)
    _forget_login_records(person.username)
    ImportCheck.objects.filter(created_by=person).delete()  # their rows hold others' contacts
    person.username = erased_username(person.pk)
    person.first_name = person.last_name = person.email = ""
    person.phone, person.phone_verified, person.notify_by = "", False, ""
    # what was told to them names them and others; their codes are of no use any more
    person.notifications.all().delete()
    PhoneCode.objects.filter(user=person).delete()
    person.set_unusable_password()
    person.is_active = person.is_staff = person.is_superuser = False
    # No role, hence no commune: the commune can have a new president's account.
    person.role, person.commune = "", None
    person.last_login = None
    person.save(
        update_fields=[
            "username",
            "first_name",
            "last_name",
            "email",
            "phone",
            "phone_verified",
            "notify_by",
            "password",
            "is_active",
            "is_staff",
            "is_superuser",
            "role",
            "commune",
            "last_login",
        ]
    )
    person.groups.clear()
    person.user_permissions.clear()
    return Erasure.objects.create(person=person, account_number=person.pk, actor=actor, note=note)


# How long records are kept (DESIGN.md §6, law 09-08: no longer than needed). Successful
# logins (who, from which address, when) serve to investigate a misuse of an account.
LOGIN_RECORDS_RETENTION_DAYS = 90


def login_records_retention() -> timedelta:
    return timedelta(
        days=getattr(settings, "LOGIN_RECORDS_RETENTION_DAYS", LOGIN_RECORDS_RETENTION_DAYS)
    )


def _forget_failed_attempts(now) -> int:
    """Failed-login counters serve the lock-out alone, which ignores them once their cool-off
    is over; without a cool-off (a lock-out until an admin lifts it) they are kept for the
    login records' period, so that deleting them never unlocks anyone early."""
    cool_off = get_cool_off()
    keep = cool_off if cool_off is not None else login_records_retention()
    deleted, _rows = AccessAttempt.objects.filter(attempt_time__lte=now - keep).delete()
    return deleted


def _forget_expired_sessions(now) -> int:
    """Django's `clearsessions`, counting what a database store deletes."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    expired = 0
    if hasattr(store, "get_model_class"):
        expired = store.get_model_class().objects.filter(expire_date__lt=now).count()
    try:
        store.clear_expired()
    except NotImplementedError:  # a store whose sessions expire by themselves (cookies)
        return 0
    return expired


def forget_expired() -> dict[str, int]:
    """Delete what is kept no longer than needed: login records and failed logins past
    `LOGIN_RECORDS_RETENTION_DAYS`, failed-login counters past their cool-off, expired
    sessions, import checks nobody confirmed, and one-time form tokens past their lifetime.
    Return how many of each. Idempotent; run daily."""
    now = timezone.now()
    limit = now - login_records_retention()
    logins, _rows = AccessLog.objects.filter(attempt_time__lte=limit).delete()
    failures, _rows = AccessFailureLog.objects.filter(attempt_time__lte=limit).delete()
    counts = {
        "login records": logins,
        "failed-login records": failures,
        "failed-login counters": _forget_failed_attempts(now),
        "expired sessions": _forget_expired_sessions(now),
        "import checks": drop_stale_import_checks(),
        # one-time form tokens, kept as long as they may be sent again
        "submitted forms": forget_submitted_forms(),
        "phone codes": phone_codes.forget_used_codes(),
    }
    return counts


# --- a person's phone and notifications -------------------------------------------------------


@transaction.atomic
def update_contact(user_id: int, *, actor: User, phone, notify_by: str) -> User:
    """The person themselves only (PermissionDenied otherwise). A new number must be
    confirmed again (its codes so far are void); how they are told is their choice."""
    person = User.objects.select_for_update().get(pk=user_id)
    if actor.pk != person.pk:
        raise PermissionDenied
    fields = ["notify_by"]
    if e164(person.phone) != e164(phone):
        person.phone, person.phone_verified = phone or "", False
        fields += ["phone", "phone_verified"]
        PhoneCode.objects.filter(user=person, used_at__isnull=True).update(used_at=timezone.now())
    person.notify_by = notify_by
    person.save(update_fields=fields)
    return person


def confirm_phone(user_id: int, *, actor: User, code: str) -> User:
    """The person types the code sent to their number: it is confirmed, for SMS and for
    signing in with a code. phone_codes.CodeRefused with the reason otherwise, also when
    another account has already confirmed this number (one number signs in one account).
    The code is checked first, in a transaction of its own, so that a wrong try counts."""
    if actor.pk != user_id or not actor.phone:
        raise PermissionDenied
    phone_codes.check_code(actor, CodePurpose.CONFIRM_PHONE, code)
    with transaction.atomic():
        return _confirm(user_id)


def _confirm(user_id: int) -> User:
    person = User.objects.select_for_update().get(pk=user_id)
    taken = _("Another account has already confirmed this number: give another one.")
    if User.objects.filter(phone=person.phone, phone_verified=True).exclude(pk=person.pk).exists():
        raise phone_codes.CodeRefused(taken)
    person.phone_verified = True
    try:
        with transaction.atomic():
            person.save(update_fields=["phone_verified"])
    except IntegrityError:  # confirmed by another account at the same moment
        raise phone_codes.CodeRefused(taken) from None
    return person
