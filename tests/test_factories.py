"""Every model of the portal has a factory in tests/factories.py, and it makes a valid row."""

import inspect

import factory
import pytest
from django.apps import apps

from tests import factories

PORTAL_APPS = ("chamber", "spaces", "cooperatives", "programs", "portal")


def factories_by_model():
    found = {}
    for _name, made in inspect.getmembers(factories, inspect.isclass):
        if issubclass(made, factory.django.DjangoModelFactory) and not made._meta.abstract:
            found.setdefault(made._meta.model, made)
    return found


def portal_models():
    return [model for app in PORTAL_APPS for model in apps.get_app_config(app).get_models()]


def test_every_model_has_a_factory():
    missing = [m._meta.label for m in portal_models() if m not in factories_by_model()]
    assert missing == []


@pytest.mark.django_db
@pytest.mark.parametrize("model", portal_models(), ids=lambda model: model._meta.label)
def test_each_factory_makes_a_row_its_model_accepts(model, reference_data):
    made = factories_by_model()[model]()
    # A link the portal leaves empty on purpose (who closed a decision still open) is allowed
    # by the database though the admin's forms would ask for it.
    unset = [f.name for f in model._meta.fields if f.null and getattr(made, f.attname) is None]
    made.full_clean(exclude=unset, validate_unique=False)
    assert model.objects.filter(pk=made.pk).exists()
