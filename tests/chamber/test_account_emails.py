"""One account per e-mail address, however capitalised; empty as often as needed."""

import importlib

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction

from chamber.models import User
from tests import factories
from tests.chamber.test_submissions import apprentice_data
from tests.cooperatives.test_views import sign_up_data

pytestmark = pytest.mark.django_db


def test_the_database_refuses_an_address_of_another_account_in_other_capitals():
    factories.UserFactory(email="Fatima@Example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.UserFactory(email="fatima@example.ORG")


def test_many_accounts_may_have_no_address():
    factories.UserFactory.create_batch(3, email="")
    assert User.objects.filter(email="").count() == 3


@pytest.mark.parametrize("url", ["/fr/cooperatives/join/", "/fr/programmes/join/"])
def test_a_sign_up_with_a_taken_address_is_told_on_the_field_and_keeps_what_was_typed(
    client, commune_a, url
):
    factories.UserFactory(email="fatima@example.org")
    data = (sign_up_data if "cooperatives" in url else apprentice_data)(
        commune_a, email="FATIMA@example.org", username="fatima2"
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"email"}
    assert 'value="FATIMA@example.org"' in response.content.decode()
    assert not User.objects.filter(username="fatima2").exists()


def test_the_migration_keeps_a_shared_address_on_the_oldest_account_only():
    with connection.cursor() as cursor:  # undone with the test's transaction
        cursor.execute("DROP INDEX user_email_unique_ignoring_case")
    first = factories.UserFactory(email="a@example.org")
    second = factories.UserFactory(email="A@example.org")
    other = factories.UserFactory(email="b@example.org")
    migration = importlib.import_module("chamber.migrations.0006_blank_duplicate_emails")
    migration.blank_duplicate_emails(apps, None)
    emails = dict(User.objects.values_list("pk", "email"))
    assert emails[first.pk] == "a@example.org"
    assert emails[second.pk] == ""
    assert emails[other.pk] == "b@example.org"
