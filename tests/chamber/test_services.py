import pytest
from django.contrib.auth.models import Group

from chamber.models import Role
from chamber.services import STAFF_GROUP, ensure_staff_group, sync_role_access
from tests import factories


@pytest.mark.django_db
def test_the_staff_role_opens_the_admin_with_the_staff_permissions():
    user = factories.UserFactory(role=Role.STAFF)
    sync_role_access(user)
    user.refresh_from_db()
    assert user.is_staff
    assert user.groups.filter(name=STAFF_GROUP).exists()
    assert user.has_perm("spaces.change_space")
    assert user.has_perm("chamber.add_user")


@pytest.mark.django_db
def test_taking_the_staff_role_away_closes_the_admin():
    user = factories.StaffFactory()
    user.role = Role.APPRENTICE
    user.save()
    sync_role_access(user)
    user.refresh_from_db()
    assert not user.is_staff
    assert not user.groups.exists()


@pytest.mark.django_db
def test_the_staff_group_cannot_edit_groups_or_permissions():
    group = ensure_staff_group()
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert "change_space" in codenames
    assert "change_group" not in codenames
    assert "change_permission" not in codenames


@pytest.mark.django_db
def test_ensuring_the_staff_group_twice_keeps_one_group():
    ensure_staff_group()
    ensure_staff_group()
    assert Group.objects.filter(name=STAFF_GROUP).count() == 1
