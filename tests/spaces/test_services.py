import pytest
from django.core.exceptions import PermissionDenied

from spaces import services
from spaces.models import Space, SpaceStatus, SpaceStatusChange
from tests import factories

pytestmark = pytest.mark.django_db

DATA = {
    "name": "Ancienne école de Tighmert",
    "kind": "former_school",
    "floor_area_m2": 240,
    "rooms": 5,
    "capacity": 40,
    "condition": "minor_works",
    "ownership": "commune",
}


def _space(status, commune, **fields):
    return factories.SpaceFactory(commune=commune, status=status, **fields)


def test_a_president_proposes_a_space_in_their_own_commune(users, commune_a):
    space = services.propose_space(actor=users("president_a"), data=DATA, crafts=[])
    assert space.commune == commune_a
    assert space.status == SpaceStatus.PROPOSED
    change = space.history.get()
    assert (change.from_status, change.to_status, change.actor) == (
        "",
        "proposed",
        space.proposed_by,
    )


@pytest.mark.parametrize("role", ["coop_a", "apprentice", "staff"])
def test_only_a_president_proposes_a_space(users, role):
    with pytest.raises(PermissionDenied):
        services.propose_space(actor=users(role), data=DATA, crafts=[])
    assert not Space.objects.exists()


def test_staff_start_the_review_of_a_proposal(users, commune_a):
    space = _space("proposed", commune_a)
    services.start_review(space.pk, actor=users("staff"))
    space.refresh_from_db()
    assert space.status == SpaceStatus.UNDER_REVIEW
    assert space.history.last().actor == users("staff")


def test_a_president_cannot_start_a_review(users, commune_a):
    space = _space("proposed", commune_a)
    with pytest.raises(PermissionDenied):
        services.start_review(space.pk, actor=users("president_a"))


def test_staff_approve_a_space_under_review_with_a_note(users, commune_a):
    space = _space("under_review", commune_a)
    services.approve_space(space.pk, actor=users("staff"), note="Visited on 12 November.")
    space.refresh_from_db()
    assert space.status == SpaceStatus.AVAILABLE
    assert space.reviewed_by == users("staff")
    assert space.history.last().note == "Visited on 12 November."


def test_a_proposal_cannot_be_approved_before_its_review_starts(users, commune_a):
    space = _space("proposed", commune_a)
    with pytest.raises(services.TransitionError, match="لا يمكن أن يصبح"):
        services.approve_space(space.pk, actor=users("staff"))
    space.refresh_from_db()
    assert space.status == SpaceStatus.PROPOSED
    assert not SpaceStatusChange.objects.filter(space=space).exists()


def test_a_cooperative_cannot_approve_a_space(users, commune_a):
    space = _space("under_review", commune_a)
    with pytest.raises(PermissionDenied):
        services.approve_space(space.pk, actor=users("coop_a"))


def test_staff_reject_a_space_with_a_reason(users, commune_a):
    space = _space("under_review", commune_a)
    services.reject_space(space.pk, actor=users("staff"), note="  The roof is unsafe.  ")
    space.refresh_from_db()
    assert space.status == SpaceStatus.REJECTED
    assert space.history.last().note == "The roof is unsafe."


def test_a_rejection_without_a_reason_is_refused(users, commune_a):
    space = _space("under_review", commune_a)
    with pytest.raises(services.TransitionError, match="سبب الرفض"):
        services.reject_space(space.pk, actor=users("staff"), note="   ")
    space.refresh_from_db()
    assert space.status == SpaceStatus.UNDER_REVIEW


def test_an_available_space_cannot_be_rejected(users, commune_a):
    space = _space("available", commune_a)
    with pytest.raises(services.TransitionError):
        services.reject_space(space.pk, actor=users("staff"), note="Too late")


@pytest.mark.parametrize("status", ["proposed", "under_review"])
def test_the_president_withdraws_a_proposal_not_yet_decided(users, commune_a, status):
    space = _space(status, commune_a)
    services.withdraw_space(space.pk, actor=users("president_a"), note="Sold")
    space.refresh_from_db()
    assert space.status == SpaceStatus.WITHDRAWN


@pytest.mark.parametrize("status", ["available", "rejected", "withdrawn", "occupied"])
def test_a_decided_space_cannot_be_withdrawn(users, commune_a, status):
    space = _space(status, commune_a)
    with pytest.raises(services.TransitionError):
        services.withdraw_space(space.pk, actor=users("president_a"))


def test_the_president_of_another_commune_cannot_withdraw(users, commune_a):
    space = _space("proposed", commune_a)
    with pytest.raises(PermissionDenied):
        services.withdraw_space(space.pk, actor=users("president_b"))


def test_staff_cannot_withdraw_a_communes_proposal(users, commune_a):
    space = _space("proposed", commune_a)
    with pytest.raises(PermissionDenied):
        services.withdraw_space(space.pk, actor=users("staff"))


def test_the_president_edits_a_proposal_while_it_is_proposed(users, commune_a):
    space = _space("proposed", commune_a)
    services.update_space(space.pk, actor=users("president_a"), data={"capacity": 55}, crafts=[])
    space.refresh_from_db()
    assert space.capacity == 55


def test_the_president_cannot_edit_a_proposal_under_review(users, commune_a):
    space = _space("under_review", commune_a, capacity=30)
    with pytest.raises(services.TransitionError, match="لم يعد بإمكان"):
        services.update_space(
            space.pk, actor=users("president_a"), data={"capacity": 55}, crafts=[]
        )
    space.refresh_from_db()
    assert space.capacity == 30


def test_the_president_of_another_commune_cannot_edit(users, commune_a):
    space = _space("proposed", commune_a)
    with pytest.raises(PermissionDenied):
        services.update_space(space.pk, actor=users("president_b"), data={"capacity": 1}, crafts=[])


def test_staff_correct_an_available_space(users, commune_a):
    space = _space("available", commune_a)
    services.update_space(space.pk, actor=users("staff"), data={"rooms": 7}, crafts=[])
    space.refresh_from_db()
    assert space.rooms == 7


def test_the_moves_table_names_every_status():
    assert set(Space.MOVES) == set(SpaceStatus.values)
    for targets in Space.MOVES.values():
        assert targets <= set(SpaceStatus.values)


@pytest.mark.parametrize("status", ["occupied", "available", "proposed"])
def test_a_review_decision_is_refused_outside_the_review(users, commune_a, status):
    """Occupied and available again are the allocations' moves: approving an occupied space
    must not free it while its allocations run."""
    space = factories.SpaceFactory(commune=commune_a, status=status)
    with pytest.raises(services.TransitionError):
        services.approve_space(space.pk, actor=users("staff"))
    space.refresh_from_db()
    assert space.status == status


def test_the_review_page_offers_no_decision_on_an_occupied_space(client_as, commune_a):
    space = factories.SpaceFactory(commune=commune_a, status="occupied")
    assert client_as("staff").get(f"/fr/spaces/{space.pk}/review/").context["decisions"] == []
