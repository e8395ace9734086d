"""Writes on accounts that must stay consistent: a role and the access it gives."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from chamber.models import Role, User

STAFF_GROUP = "Chamber staff"
# The apps whose data chamber staff manage in the admin (DESIGN.md §2: "everything").
STAFF_APPS = ("chamber", "spaces", "cooperatives", "programs")


def ensure_staff_group(*, using: str = "default") -> Group:
    """Create or refresh the group holding every permission on the portal's own data.

    Idempotent; called after each migrate. Staff manage accounts too, but not groups or
    permissions themselves: that stays with superusers.
    """
    group, _created = Group.objects.using(using).get_or_create(name=STAFF_GROUP)
    permissions = Permission.objects.using(using).filter(content_type__app_label__in=STAFF_APPS)
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
