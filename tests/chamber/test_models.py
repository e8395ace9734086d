import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from chamber.models import Role, User
from tests import factories


@pytest.mark.django_db
def test_the_database_refuses_a_president_without_a_commune():
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="alice", role=Role.PRESIDENT)


@pytest.mark.django_db
def test_the_database_refuses_a_commune_on_an_account_that_is_not_a_president(commune_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="bob", role=Role.APPRENTICE, commune=commune_a)


@pytest.mark.django_db
def test_a_commune_has_one_president_account_only(commune_a):
    factories.PresidentFactory(commune=commune_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.PresidentFactory(commune=commune_a)


@pytest.mark.django_db
def test_validation_explains_a_missing_commune_on_the_commune_field():
    user = User(username="charlie", role=Role.PRESIDENT)
    with pytest.raises(ValidationError) as error:
        user.full_clean()
    assert "commune" in error.value.message_dict


@pytest.mark.django_db
def test_validation_explains_a_second_president_for_a_commune(commune_a):
    factories.PresidentFactory(commune=commune_a)
    user = User(username="dora", role=Role.PRESIDENT, commune=commune_a, password="x")
    with pytest.raises(ValidationError) as error:
        user.full_clean()
    assert error.value.message_dict == {"commune": ["لهذه الجماعة حساب رئيس من قبل."]}


@pytest.mark.django_db
def test_a_representative_must_have_the_cooperative_role(cooperative_a):
    from cooperatives.models import Representative

    link = Representative(user=factories.ApprenticeFactory(), cooperative=cooperative_a)
    with pytest.raises(ValidationError) as error:
        link.full_clean()
    assert "user" in error.value.message_dict
