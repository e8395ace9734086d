from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from spaces import services
from spaces.models import Allocation, AllocationStatus, SpaceStatus
from tests import factories

# Fixed dates below: the tests run on this day, whatever the calendar says.
pytestmark = pytest.mark.on_day("2026-12-01")
JAN, DEC = date(2027, 1, 1), date(2027, 12, 31)
MON_TUE_WED, THU_FRI_SAT, THU_TO_SUN, EVERY_DAY = 0b0000111, 0b0111000, 0b1111000, 0b1111111


def allocate(
    space, actor, weekdays=MON_TUE_WED, starts_on=JAN, ends_on=DEC, holder="Coopérative A"
):
    return services.allocate_space(
        space.pk,
        actor=actor,
        starts_on=starts_on,
        ends_on=ends_on,
        weekdays=weekdays,
        purpose="cooperative_activity",
        holder=holder,
    )


@pytest.mark.django_db
def test_allocating_every_day_of_a_space_makes_it_occupied(users, commune_a):
    space = factories.SpaceFactory(commune=commune_a)
    allocation = allocate(space, users("staff"), EVERY_DAY)
    space.refresh_from_db()
    assert space.status == SpaceStatus.OCCUPIED
    assert allocation.agreement_reference.startswith("GON-")
    assert space.history.last().to_status == SpaceStatus.OCCUPIED


@pytest.mark.django_db
def test_a_hall_booked_monday_to_wednesday_stays_available(users, commune_a):
    space = factories.SpaceFactory(commune=commune_a)
    allocate(space, users("staff"), MON_TUE_WED)
    space.refresh_from_db()
    assert space.status == SpaceStatus.AVAILABLE


@pytest.mark.django_db
def test_the_days_of_two_activities_together_fill_a_hall(users, commune_a):
    space = factories.SpaceFactory(commune=commune_a)
    allocate(space, users("staff"), MON_TUE_WED)
    allocate(space, users("staff"), THU_TO_SUN, holder="Cohorte")
    space.refresh_from_db()
    assert space.status == SpaceStatus.OCCUPIED


@pytest.mark.django_db
def test_an_allocation_beyond_the_coming_months_leaves_the_space_available(users, commune_a):
    space = factories.SpaceFactory(commune=commune_a)
    allocate(space, users("staff"), EVERY_DAY, starts_on=date(2027, 6, 1))
    space.refresh_from_db()
    assert space.status == SpaceStatus.AVAILABLE


@pytest.mark.django_db
def test_the_nightly_run_fills_a_space_as_a_full_allocation_comes_near(users, commune_a):
    space = factories.SpaceFactory(commune=commune_a)
    allocate(space, users("staff"), EVERY_DAY, starts_on=date(2027, 6, 1))
    services.end_past_allocations(today=date(2027, 5, 1))
    space.refresh_from_db()
    assert space.status == SpaceStatus.OCCUPIED
    assert space.history.last().actor is None


@pytest.mark.django_db
def test_a_shared_hall_takes_another_activity_on_other_days(users, commune_a):
    space = factories.SpaceFactory(commune=commune_a)
    allocate(space, users("staff"), MON_TUE_WED)
    allocate(space, users("staff"), THU_FRI_SAT, holder="Cohorte")
    assert Allocation.objects.filter(space=space, status="active").count() == 2


@pytest.mark.django_db
def test_two_allocations_sharing_a_day_in_overlapping_periods_are_refused(users, commune_a):
    space = factories.SpaceFactory(commune=commune_a)
    allocate(space, users("staff"), MON_TUE_WED)
    with pytest.raises(services.AllocationConflict):
        allocate(space, users("staff"), 0b0000100, starts_on=date(2027, 6, 1), holder="B")
    assert Allocation.objects.count() == 1


@pytest.mark.django_db
def test_the_same_days_after_the_period_are_free(users, commune_a):
    space = factories.SpaceFactory(commune=commune_a)
    allocate(space, users("staff"), MON_TUE_WED)
    allocate(
        space, users("staff"), MON_TUE_WED, starts_on=date(2028, 1, 1), ends_on=date(2028, 6, 30)
    )
    assert Allocation.objects.count() == 2


@pytest.mark.django_db
def test_an_end_before_the_start_is_refused(users, commune_a):
    space = factories.SpaceFactory(commune=commune_a)
    with pytest.raises(services.TransitionError):
        allocate(space, users("staff"), starts_on=DEC, ends_on=JAN)
    assert not Allocation.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["proposed", "under_review", "rejected", "withdrawn"])
def test_a_space_not_in_the_catalogue_cannot_be_allocated(users, commune_a, status):
    space = factories.SpaceFactory(commune=commune_a, status=status)
    with pytest.raises(services.TransitionError):
        allocate(space, users("staff"))


@pytest.mark.django_db
def test_only_staff_allocate(users, commune_a):
    space = factories.SpaceFactory(commune=commune_a)
    with pytest.raises(PermissionDenied):
        allocate(space, users("president_a"))


@pytest.mark.django_db
@pytest.mark.parametrize("to", ["ended", "terminated"])
def test_closing_the_last_allocation_makes_the_space_available_again(users, commune_a, to):
    space = factories.SpaceFactory(commune=commune_a)
    allocation = allocate(space, users("staff"), EVERY_DAY)
    services.close_allocation(allocation.pk, actor=users("staff"), to=to, note="Fin du projet.")
    space.refresh_from_db()
    allocation.refresh_from_db()
    assert (allocation.status, space.status) == (to, SpaceStatus.AVAILABLE)


@pytest.mark.django_db
def test_ending_one_of_two_activities_gives_its_days_back(users, commune_a):
    space = factories.SpaceFactory(commune=commune_a)
    first = allocate(space, users("staff"), MON_TUE_WED)
    allocate(space, users("staff"), THU_TO_SUN, holder="B")
    services.close_allocation(first.pk, actor=users("staff"), to="ended")
    space.refresh_from_db()
    assert space.status == SpaceStatus.AVAILABLE


@pytest.mark.django_db
def test_a_closed_allocation_cannot_be_closed_again(users, commune_a):
    space = factories.SpaceFactory(commune=commune_a)
    allocation = allocate(space, users("staff"))
    services.close_allocation(allocation.pk, actor=users("staff"), to="ended")
    with pytest.raises(services.TransitionError):
        services.close_allocation(allocation.pk, actor=users("staff"), to="terminated")


@pytest.mark.django_db(transaction=True)
def test_postgresql_itself_refuses_an_overlap_that_skips_the_service(reference_data):
    if connection.vendor != "postgresql":
        pytest.skip("exclusion constraints exist on PostgreSQL only")
    from django.db import IntegrityError

    space = factories.SpaceFactory(commune=factories.commune("10.261.05.05"))
    common = {"space": space, "purpose": "cooperative_activity", "holder": "X", "ends_on": DEC}
    Allocation.objects.create(
        starts_on=JAN, weekdays=MON_TUE_WED, agreement_reference="R1", **common
    )
    Allocation.objects.create(
        starts_on=JAN, weekdays=THU_FRI_SAT, agreement_reference="R2", **common
    )
    with pytest.raises(IntegrityError):
        Allocation.objects.create(
            starts_on=date(2027, 3, 1), weekdays=0b1, agreement_reference="R3", **common
        )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("status", ["renewal_requested", "renewed"])
def test_postgresql_refuses_an_overlap_with_an_agreement_being_renewed(reference_data, status):
    if connection.vendor != "postgresql":
        pytest.skip("exclusion constraints exist on PostgreSQL only")
    from django.db import IntegrityError

    space = factories.SpaceFactory(commune=factories.commune("10.261.05.05"))
    common = {"space": space, "purpose": "cooperative_activity", "holder": "X", "ends_on": DEC}
    Allocation.objects.create(
        starts_on=JAN, weekdays=MON_TUE_WED, agreement_reference="R1", status=status, **common
    )
    with pytest.raises(IntegrityError):
        Allocation.objects.create(
            starts_on=date(2027, 3, 1), weekdays=0b1, agreement_reference="R2", **common
        )


@pytest.mark.django_db
def test_allocations_past_their_period_end_and_free_the_space(users, commune_a):
    import time_machine
    from django.core.management import call_command

    space = factories.SpaceFactory(commune=commune_a)
    allocate(
        space, users("staff"), EVERY_DAY, starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 31)
    )
    with time_machine.travel(date(2027, 1, 2)):
        call_command("end_past_allocations", stdout=__import__("io").StringIO())
    space.refresh_from_db()
    assert space.status == SpaceStatus.AVAILABLE
    assert Allocation.objects.get().status == AllocationStatus.ENDED
    assert space.history.last().actor is None


@pytest.mark.django_db
def test_an_allocation_longer_than_five_years_is_refused(users, commune_a):
    space = factories.SpaceFactory(commune=commune_a)
    with pytest.raises(services.TransitionError):
        allocate(space, users("staff"), ends_on=date(9999, 12, 31))


@pytest.mark.django_db
def test_closing_an_allocation_keeps_who_closed_it_and_why(users, commune_a):
    space = factories.SpaceFactory(commune=commune_a)
    allocation = allocate(space, users("staff"))
    services.close_allocation(
        allocation.pk, actor=users("staff"), to="terminated", note=" La coopérative a cessé. "
    )
    allocation.refresh_from_db()
    opened, closed = allocation.history.all()
    assert (opened.from_status, opened.to_status, opened.actor) == ("", "active", users("staff"))
    assert (closed.from_status, closed.to_status) == ("active", "terminated")
    assert (closed.actor, closed.note) == (users("staff"), "La coopérative a cessé.")
    assert allocation.note == ""  # the reason is in the history, not glued to a note
    assert allocation.closed_at == closed.at


@pytest.mark.django_db
def test_terminating_an_allocation_early_needs_a_reason(users, commune_a):
    space = factories.SpaceFactory(commune=commune_a)
    allocation = allocate(space, users("staff"))
    with pytest.raises(services.TransitionError):
        services.close_allocation(allocation.pk, actor=users("staff"), to="terminated", note=" ")
    allocation.refresh_from_db()
    assert (allocation.status, allocation.history.count()) == ("active", 1)


@pytest.mark.django_db
def test_the_nightly_end_says_that_the_portal_closed_it_and_why(users, commune_a):
    space = factories.SpaceFactory(commune=commune_a)
    allocation = allocate(
        space, users("staff"), starts_on=date(2026, 1, 5), ends_on=date(2026, 6, 30)
    )
    assert services.end_past_allocations() == 1
    closed = allocation.history.last()
    assert (closed.to_status, closed.actor) == ("ended", None)
    assert "period" in closed.note


# --- the agreement's life ----------------------------------------------------------------


@pytest.mark.django_db
def test_a_renewal_asked_and_granted_moves_the_end_and_keeps_the_old_one(users, commune_a):
    space = factories.SpaceFactory(commune=commune_a)
    allocation = allocate(space, users("staff"))
    services.request_renewal(allocation.pk, actor=users("coop_a"), reason="Les ventes montent.")
    services.renew_allocation(allocation.pk, actor=users("staff"), ends_on=date(2028, 6, 30))
    allocation.refresh_from_db()
    assert (allocation.status, allocation.ends_on) == ("renewed", date(2028, 6, 30))
    moves = [(m.to_status, m.note) for m in allocation.history.order_by("at", "pk")]
    assert moves[-2] == ("renewal_requested", "Les ventes montent.")
    assert moves[-1] == ("renewed", "2027-12-31 → 2028-06-30")


@pytest.mark.django_db
def test_a_renewal_request_needs_a_reason(users, commune_a):
    allocation = allocate(factories.SpaceFactory(commune=commune_a), users("staff"))
    with pytest.raises(services.TransitionError):
        services.request_renewal(allocation.pk, actor=users("coop_a"), reason="  ")
    allocation.refresh_from_db()
    assert allocation.status == "active"


@pytest.mark.django_db
def test_a_renewal_overlapping_another_allocation_is_refused(users, commune_a):
    space = factories.SpaceFactory(commune=commune_a)
    allocation = allocate(space, users("staff"), MON_TUE_WED)
    allocate(space, users("staff"), 0b1, starts_on=date(2028, 3, 1), ends_on=date(2028, 12, 31))
    with pytest.raises(services.AllocationConflict):
        services.renew_allocation(allocation.pk, actor=users("staff"), ends_on=date(2028, 6, 30))
    allocation.refresh_from_db()
    assert (allocation.status, allocation.ends_on) == ("active", DEC)


@pytest.mark.django_db
def test_a_renewal_must_end_after_the_present_end(users, commune_a):
    allocation = allocate(factories.SpaceFactory(commune=commune_a), users("staff"))
    with pytest.raises(services.TransitionError):
        services.renew_allocation(allocation.pk, actor=users("staff"), ends_on=DEC)


@pytest.mark.django_db
def test_only_staff_renew(users, commune_a):
    allocation = allocate(factories.SpaceFactory(commune=commune_a), users("staff"))
    with pytest.raises(PermissionDenied):
        services.renew_allocation(allocation.pk, actor=users("coop_a"), ends_on=date(2028, 6, 30))


@pytest.mark.django_db
def test_a_declined_renewal_leaves_the_agreement_running_to_its_end(users, commune_a):
    allocation = allocate(factories.SpaceFactory(commune=commune_a), users("staff"))
    services.request_renewal(allocation.pk, actor=users("coop_a"), reason="Encore un an.")
    with pytest.raises(services.TransitionError):
        services.decline_renewal(allocation.pk, actor=users("staff"), note="")
    services.decline_renewal(allocation.pk, actor=users("staff"), note="Salle promise ailleurs.")
    allocation.refresh_from_db()
    assert (allocation.status, allocation.ends_on) == ("active", DEC)


@pytest.mark.django_db
def test_a_closed_agreement_cannot_be_renewed(users, commune_a):
    allocation = allocate(factories.SpaceFactory(commune=commune_a), users("staff"))
    services.close_allocation(allocation.pk, actor=users("staff"), to="ended")
    with pytest.raises(services.TransitionError):
        services.renew_allocation(allocation.pk, actor=users("staff"), ends_on=date(2028, 6, 30))
    with pytest.raises(services.TransitionError):
        services.request_renewal(allocation.pk, actor=users("coop_a"), reason="Encore.")


@pytest.mark.django_db
def test_a_renewal_requested_agreement_still_holds_its_days(users, commune_a):
    space = factories.SpaceFactory(commune=commune_a)
    allocation = allocate(space, users("staff"), MON_TUE_WED)
    services.request_renewal(allocation.pk, actor=users("coop_a"), reason="Encore.")
    with pytest.raises(services.AllocationConflict):
        allocate(space, users("staff"), 0b1, holder="B")
