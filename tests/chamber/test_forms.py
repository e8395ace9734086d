"""Shared form pieces (chamber/forms.py)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from chamber.forms import CraftsField
from spaces.forms import SpaceForm


@pytest.mark.django_db
def test_a_craft_id_past_the_databases_integers_is_not_a_choice(reference_data):
    """Found by tests/fuzz: Django looks several ids up with `pk__in`, which sent a number of
    400 digits to SQLite as it was: OverflowError, a server error on the proposal form."""
    field = CraftsField()
    with pytest.raises(ValidationError) as refused:
        field.clean(["9" * 400])
    assert refused.value.code == "invalid_choice"


@pytest.mark.django_db
def test_the_proposal_form_says_so_on_the_crafts_field(reference_data):
    form = SpaceForm(data={"crafts": ["9" * 400, str(-(2**63) - 1)]})
    assert not form.is_valid()
    assert "crafts" in form.errors


@pytest.mark.django_db
def test_a_form_token_with_a_nul_byte_is_refused_without_a_server_error(client_as):
    """Found by tests/fuzz on PostgreSQL: the one-time token was looked up as sent, and
    PostgreSQL cannot compare a text with a NUL byte (DataError, a server error)."""
    response = client_as("president_a").post(reverse("spaces:propose"), {"form_token": "\x00"})
    assert response.status_code == 200
