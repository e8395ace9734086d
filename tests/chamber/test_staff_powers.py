"""Staff manage the public's accounts; only a superuser manages a staff account or a superuser
(chamber.permissions.can_manage_account), through every door of the administration."""

import pytest

from chamber.models import Role, User
from tests import factories

NEW_PASSWORD = {"password1": "another-long-pass-2026", "password2": "another-long-pass-2026"}


@pytest.fixture
def colleague(db):
    return factories.StaffFactory(username="colleague", email="colleague@example.org")


def change_data(user: User, **changes) -> dict:
    """What the change form posts for `user`, with `changes`."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "language": user.language,
        "role": user.role,
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_staff_cannot_set_the_password_of_another_staff_account(client_as, colleague):
    client = client_as("staff")
    url = f"/fr/admin/chamber/user/{colleague.pk}/password/"
    assert client.get(url).status_code == 403
    assert client.post(url, NEW_PASSWORD).status_code == 403
    colleague.refresh_from_db()
    assert not colleague.check_password(NEW_PASSWORD["password1"])


@pytest.mark.django_db
def test_staff_can_set_the_password_of_a_cooperative_representative(client_as, users):
    representative = users("coop_a")
    url = f"/fr/admin/chamber/user/{representative.pk}/password/"
    response = client_as("staff").post(url, {**NEW_PASSWORD, "usable_password": "true"})
    assert response.status_code == 302, response.content.decode()[:1000]
    representative.refresh_from_db()
    assert representative.check_password(NEW_PASSWORD["password1"])


@pytest.mark.django_db
def test_a_superuser_can_set_the_password_of_a_staff_account(client_as, colleague):
    url = f"/fr/admin/chamber/user/{colleague.pk}/password/"
    response = client_as("superuser").post(url, {**NEW_PASSWORD, "usable_password": "true"})
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.check_password(NEW_PASSWORD["password1"])


@pytest.mark.django_db
def test_staff_see_another_staff_account_read_only(client_as, colleague):
    response = client_as("staff").get(f"/fr/admin/chamber/user/{colleague.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    for field in ("email", "role", "is_active", "username"):
        assert f'name="{field}"' not in html
    assert f"/fr/admin/chamber/user/{colleague.pk}/password/" not in html


@pytest.mark.django_db
def test_staff_cannot_change_the_email_or_role_of_another_staff_account(client_as, colleague):
    response = client_as("staff").post(
        f"/fr/admin/chamber/user/{colleague.pk}/change/",
        change_data(colleague, email="mine@example.org", role=Role.COOPERATIVE),
    )
    assert response.status_code == 403
    colleague.refresh_from_db()
    assert colleague.email == "colleague@example.org"
    assert colleague.is_staff


@pytest.mark.django_db
def test_a_superuser_can_take_the_staff_role_from_a_staff_account(client_as, colleague):
    response = client_as("superuser").post(
        f"/fr/admin/chamber/user/{colleague.pk}/change/",
        change_data(colleague, role=Role.COOPERATIVE),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    colleague.refresh_from_db()
    assert not colleague.is_staff
    assert list(colleague.groups.all()) == []


@pytest.mark.django_db
def test_staff_still_change_a_representatives_account(client_as, users):
    representative = users("coop_a")
    response = client_as("staff").post(
        f"/fr/admin/chamber/user/{representative.pk}/change/",
        change_data(representative, email="new@example.org"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    representative.refresh_from_db()
    assert representative.email == "new@example.org"


@pytest.mark.django_db
def test_staff_still_change_their_own_name(client_as, users):
    staff = users("staff")
    response = client_as("staff").post(
        f"/fr/admin/chamber/user/{staff.pk}/change/", change_data(staff, first_name="Nadia")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    staff.refresh_from_db()
    assert staff.first_name == "Nadia"


@pytest.mark.django_db
def test_staff_cannot_delete_another_staff_account(client_as, colleague):
    client = client_as("staff")
    url = f"/fr/admin/chamber/user/{colleague.pk}/delete/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=colleague.pk).exists()


@pytest.mark.django_db
def test_the_bulk_deletion_refuses_a_list_with_a_staff_account(client_as, users, colleague):
    representative = users("apprentice")
    client_as("staff").post(
        "/fr/admin/chamber/user/",
        {
            "action": "delete_selected",
            "_selected_action": [str(colleague.pk), str(representative.pk)],
            "post": "yes",
        },
    )
    assert User.objects.filter(pk__in=[colleague.pk, representative.pk]).count() == 2


@pytest.mark.django_db
def test_staff_can_delete_an_account_of_the_public(client_as, users):
    apprentice = users("apprentice")
    response = client_as("staff").post(
        f"/fr/admin/chamber/user/{apprentice.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not User.objects.filter(pk=apprentice.pk).exists()


@pytest.mark.django_db
def test_a_superuser_can_delete_a_staff_account(client_as, colleague):
    response = client_as("superuser").post(
        f"/fr/admin/chamber/user/{colleague.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not User.objects.filter(pk=colleague.pk).exists()


@pytest.mark.django_db
def test_staff_cannot_create_a_staff_account(client_as):
    response = client_as("staff").post(
        "/fr/admin/chamber/user/add/",
        {
            "username": "puppet",
            "language": "fr",
            "role": Role.STAFF,
            "password1": "a-long-password-2026",
            "password2": "a-long-password-2026",
            "usable_password": "true",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["role"]
    assert not User.objects.filter(username="puppet").exists()


@pytest.mark.django_db
def test_staff_cannot_make_a_public_account_staff(client_as, users):
    coop = users("apprentice")
    client = client_as("staff")
    page = client.get(f"/fr/admin/chamber/user/{coop.pk}/change/").content.decode()
    assert f'value="{Role.STAFF}"' not in page
    client.post(
        f"/fr/admin/chamber/user/{coop.pk}/change/",
        {
            "username": coop.username,
            "language": "fr",
            "role": Role.STAFF,
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        },
    )
    coop.refresh_from_db()
    assert coop.role != Role.STAFF and not coop.is_staff
