"""Writes on accounts that must stay consistent (a role and the access it gives), and the
dry runs of bulk imports waiting for their confirmation."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from chamber.models import ImportCheck, Role, User

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
