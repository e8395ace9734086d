import pytest

from chamber.models import Role, User


@pytest.mark.django_db
def test_staff_create_a_president_account_linked_to_a_commune(client_as, commune_a):
    response = client_as("staff").post(
        "/fr/admin/chamber/user/add/",
        {
            "username": "president-asrir",
            "first_name": "Alice",
            "last_name": "Ait Lahcen",
            "email": "alice@example.org",
            "language": "ar",
            "role": Role.PRESIDENT,
            "commune": commune_a.pk,
            "password1": "a-long-password-2026",
            "password2": "a-long-password-2026",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username="president-asrir")
    assert user.commune == commune_a
    assert not user.is_staff


@pytest.mark.django_db
def test_a_president_account_without_a_commune_gets_a_message_on_the_field(client_as):
    response = client_as("staff").post(
        "/fr/admin/chamber/user/add/",
        {
            "username": "no-commune",
            "language": "fr",
            "role": Role.PRESIDENT,
            "password1": "a-long-password-2026",
            "password2": "a-long-password-2026",
            "usable_password": "true",
        },
    )
    assert response.status_code == 200
    assert "commune" in response.context["adminform"].form.errors
    assert not User.objects.filter(username="no-commune").exists()


@pytest.mark.django_db
def test_staff_created_in_the_admin_get_the_staff_access(client_as):
    client_as("superuser").post(
        "/fr/admin/chamber/user/add/",
        {
            "username": "new-staff",
            "language": "fr",
            "role": Role.STAFF,
            "password1": "a-long-password-2026",
            "password2": "a-long-password-2026",
            "usable_password": "true",
        },
    )
    assert User.objects.get(username="new-staff").is_staff


@pytest.mark.django_db
def test_staff_cannot_make_themselves_superuser(client_as, users):
    client = client_as("staff")
    staff = users("staff")
    response = client.get(f"/fr/admin/chamber/user/{staff.pk}/change/")
    assert response.status_code == 200
    assert 'name="is_superuser"' not in response.content.decode()


@pytest.mark.django_db
def test_staff_cannot_open_a_superuser_account(client_as, users):
    root = users("superuser")
    response = client_as("staff").get(f"/fr/admin/chamber/user/{root.pk}/change/")
    # The admin answers a user it cannot see with its "does not exist" redirect.
    assert response.status_code == 302
    assert response.url == "/fr/admin/"


@pytest.mark.django_db
def test_a_crafted_post_cannot_make_staff_superuser(client_as, users):
    staff = users("staff")
    client_as("staff").post(
        f"/fr/admin/chamber/user/{staff.pk}/change/",
        {
            "username": "staff",
            "language": "fr",
            "role": Role.STAFF,
            "is_active": "on",
            "is_superuser": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        },
    )
    staff.refresh_from_db()
    assert not staff.is_superuser


@pytest.mark.django_db
def test_staff_cannot_change_a_superusers_password(client_as, users):
    root = users("superuser")
    response = client_as("staff").get(f"/fr/admin/chamber/user/{root.pk}/password/")
    assert response.status_code == 404


@pytest.mark.django_db
def test_only_cooperative_accounts_can_be_linked_to_a_cooperative(client_as, users):
    users("apprentice")
    users("coop_a")
    response = client_as("staff").get(
        "/fr/admin/autocomplete/",
        {
            "app_label": "cooperatives",
            "model_name": "representative",
            "field_name": "user",
            "term": "",
        },
    )
    usernames = {result["text"] for result in response.json()["results"]}
    assert "coop_a" in usernames
    assert "apprentice" not in usernames
