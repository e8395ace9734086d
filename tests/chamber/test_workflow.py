"""The workflow kernel: every status of the portal moves through one mover, which refuses
what its model's table does not allow and records every move it makes. Tested move by move,
for every table, from the tables themselves: a new status or move is tested by being added."""

import pytest
from django.apps import apps
from django.db import models

from chamber import workflow
from tests import factories

pytestmark = pytest.mark.django_db

PORTAL_APPS = ("chamber", "spaces", "cooperatives", "programs", "portal")

# How to make an object of each model with a status, in a given status.
MAKE = {
    "spaces.Space": lambda status: factories.SpaceFactory(status=status),
    "spaces.Allocation": lambda status: factories.AllocationFactory(status=status),
    "cooperatives.Cooperative": lambda verified: factories.CooperativeFactory(verified=verified),
    "cooperatives.Representative": lambda status: factories.RepresentativeFactory(status=status),
    "cooperatives.SpaceApplication": lambda status: factories.SpaceApplicationFactory(
        status=status
    ),
    "programs.Enrolment": lambda status: factories.EnrolmentFactory(status=status),
    # At 100%: the bare mover moves the status only, and a done action is at 100%.
    "programs.RoadmapAction": lambda status: factories.RoadmapActionFactory(
        status=status, progress=100
    ),
}
# Second status fields: (model, field) -> how to make an object with that value.
MAKE_FIELD = {
    ("programs.Enrolment", "outcome"): lambda outcome: factories.EnrolmentFactory(
        status="completed", outcome=outcome
    ),
}


def portal_models():
    return [model for name in PORTAL_APPS for model in apps.get_app_config(name).get_models()]


def status_fields():
    """(model label, field) for every field that holds a status: a model's status field and
    any other field with its own table of moves."""
    found = []
    for model in portal_models():
        if hasattr(model, "MOVES") or any(f.name == "status" for f in model._meta.fields):
            found.append((model._meta.label, workflow.status_field(model)))
        found += [
            (model._meta.label, f.name)
            for f in model._meta.fields
            if hasattr(model, f"{f.name.upper()}_MOVES")
        ]
    return found


def values(model, field):
    """Every value the field can hold (its choices, or both answers of a yes-or-no)."""
    column = model._meta.get_field(field)
    if isinstance(column, models.BooleanField):
        return [False, True]
    return [value for value, _label in column.choices] + ([""] if column.blank else [])


def every_pair():
    pairs = []
    for label, field in status_fields():
        model = apps.get_model(label)
        table = workflow.moves_table(model, field)
        for current in table:
            for target in values(model, field):
                if target != current and target != "":
                    allowed = target in table[current]
                    pairs.append(pytest.param(label, field, current, target, allowed))
    return pairs


def make(label, field, value):
    model = apps.get_model(label)
    if field == workflow.status_field(model):
        return MAKE[label](value)
    return MAKE_FIELD[(label, field)](value)


def test_the_status_fields_are_the_ones_the_portal_knows():
    assert sorted(status_fields()) == sorted(
        [
            ("spaces.Space", "status"),
            ("spaces.Allocation", "status"),
            ("cooperatives.Cooperative", "verified"),
            ("cooperatives.Representative", "status"),
            ("cooperatives.SpaceApplication", "status"),
            ("programs.Enrolment", "status"),
            ("programs.Enrolment", "outcome"),
            ("programs.RoadmapAction", "status"),
        ]
    )


@pytest.mark.parametrize(("label", "field"), status_fields())
def test_every_status_field_has_a_table_for_every_value_and_a_history(label, field):
    model = apps.get_model(label)
    table = workflow.moves_table(model, field)
    assert set(table) == set(values(model, field))
    assert all(set(targets) <= set(values(model, field)) for targets in table.values())
    history = workflow.history_model(model, field)
    assert {"from_status", "to_status", "actor", "note", "on_behalf", "at"} <= {
        f.name for f in history._meta.fields
    }


@pytest.mark.parametrize(("label", "field", "current", "target", "allowed"), every_pair())
def test_the_mover_makes_only_the_moves_its_table_allows(
    label, field, current, target, allowed, users, reference_data
):
    obj = make(label, field, current)
    model = type(obj)
    history = workflow.history_model(model, field).objects
    before = history.count()
    if allowed:
        row = workflow.move(
            obj, target, actor=users("staff"), note="  Pourquoi.  ", on_behalf=True, field=field
        )
        obj.refresh_from_db()
        assert getattr(obj, field) == target
        assert (row.from_status, row.to_status, row.actor, row.note, row.on_behalf) == (
            current,
            target,
            users("staff"),
            "Pourquoi.",
            True,
        )
        assert history.count() == before + 1
    else:
        with pytest.raises(workflow.TransitionError):
            workflow.move(obj, target, actor=users("staff"), field=field)
        obj.refresh_from_db()
        assert getattr(obj, field) == current
        assert history.count() == before


def test_a_refusal_says_both_statuses_in_the_readers_words(reference_data):
    from django.utils import translation

    space = factories.SpaceFactory(status="rejected")
    with translation.override("fr"), pytest.raises(workflow.TransitionError) as refusal:
        workflow.move(space, "available", actor=None)
    said = str(refusal.value).replace("\u00a0", " ").replace("\u202f", " ")
    assert said == "Cet espace est « Refusé » : il ne peut pas devenir « Disponible »."


def test_a_new_object_s_first_status_is_recorded_from_nothing(users, reference_data):
    cooperative = factories.CooperativeFactory(verified=False)
    workflow.record_creation(cooperative, actor=users("staff"), note="Inscrite.")
    [row] = cooperative.history.all()
    assert (row.from_status, row.to_status, row.note) == (None, False, "Inscrite.")


def test_the_reason_guard_refuses_blanks_and_keeps_the_reason_trimmed():
    with pytest.raises(workflow.TransitionError, match="Dites pourquoi"):
        workflow.require_reason("  \n ", "Dites pourquoi")
    assert workflow.require_reason(" Trop loin. ", "Dites pourquoi") == "Trop loin."


def test_there_is_one_transition_error_in_the_portal():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    defined = [
        path.relative_to(root).as_posix()
        for app in PORTAL_APPS
        for path in (root / app).rglob("*.py")
        if "class TransitionError" in path.read_text(encoding="utf-8")
    ]
    assert defined == ["chamber/workflow.py"]


def test_a_history_row_says_its_move_in_the_readers_words(reference_data):
    from django.utils import translation

    space = factories.SpaceFactory(status="under_review")
    row = workflow.move(space, "available", actor=None)
    with translation.override("fr"):
        assert str(row) == "En cours d'examen → Disponible"
    workflow.record_creation(factories.CooperativeFactory(verified=False), actor=None)
    with translation.override("fr"):
        assert str(apps.get_model("cooperatives.CooperativeStatusChange").objects.get()) == (
            "∅ → Pas encore vérifiée"
        )
