"""Approving an application: the allocation and the approval in one step, never half-done,
and exactly one winner when staff approve overlapping periods at the same moment."""

from datetime import date

import pytest
from django.core import mail
from django.db import connection

from cooperatives import planning, services
from cooperatives.models import ApplicationStatus, PlanDecision, SpaceApplication
from spaces.models import Allocation, SpaceStatus
from tests import factories
from tests.concurrency import DONE, at_the_same_moment

# Fixed dates below: the tests run on this day, whatever the calendar says.
pytestmark = pytest.mark.on_day("2026-12-01")
JAN, DEC = date(2027, 1, 4), date(2027, 12, 31)


def approve(application, space, actor, weekdays=0b111, starts_on=JAN, ends_on=DEC):
    return services.approve_application(
        application.pk,
        actor=actor,
        space_id=space.pk,
        starts_on=starts_on,
        ends_on=ends_on,
        weekdays=weekdays,
        note="Le plus proche, prêt à l'emploi",
    )


def post_approval(client, application, space, **fields):
    """Sends the approval form: the space for 2027 on Mondays, with a reason, unless `fields`
    say otherwise."""
    return client.post(
        f"/fr/cooperatives/applications/{application.pk}/approve/",
        {
            "space": space.pk,
            "starts_on": "2027-01-04",
            "ends_on": "2027-12-31",
            "weekdays": ["0"],
            "note": "Le meilleur score",
            # staff have read what this gives less than asked (test_decision_told.py)
            "confirm_gaps": "on",
            **fields,
        },
    )


@pytest.fixture
def sent(application_a, users):
    services.submit_application(application_a.pk, actor=users("coop_a"))
    return application_a


@pytest.mark.django_db
def test_approval_creates_the_allocation_and_approves_in_one_step(
    sent, users, commune_a, django_capture_on_commit_callbacks
):
    space = factories.SpaceFactory(commune=commune_a)
    with django_capture_on_commit_callbacks(execute=True):
        approve(sent, space, users("staff"))
    sent.refresh_from_db()
    space.refresh_from_db()
    assert sent.status == ApplicationStatus.APPROVED
    assert sent.allocation.space == space and sent.allocation.holder == "Coopérative A"
    # three days given of seven: the shared hall stays in the catalogue, available
    assert space.status == SpaceStatus.AVAILABLE
    # a sent application is taken for review, then approved: two recorded moves
    assert [c.to_status for c in sent.history.all()][-2:] == ["under_review", "approved"]
    assert mail.outbox[-1].to == [users("coop_a").email]


@pytest.mark.django_db
def test_an_application_withdrawn_meanwhile_is_refused_and_nothing_is_written(
    sent, users, commune_a
):
    space = factories.SpaceFactory(commune=commune_a)
    services.withdraw_application(sent.pk, actor=users("coop_a"))
    with pytest.raises(services.TransitionError):
        approve(sent, space, users("staff"))
    space.refresh_from_db()
    assert not Allocation.objects.exists()
    assert space.status == SpaceStatus.AVAILABLE


@pytest.mark.django_db
def test_a_space_that_became_unavailable_is_refused_and_nothing_is_written(
    sent, users, commune_a, allocation_of
):
    space = factories.SpaceFactory(commune=commune_a)
    allocation_of(space, weekdays=0b1, holder="Autre")  # taken by another activity first
    with pytest.raises(services.TransitionError, match="Autre"):
        approve(sent, space, users("staff"))
    sent.refresh_from_db()
    assert sent.status == ApplicationStatus.SUBMITTED
    assert sent.allocation is None


@pytest.mark.django_db
def test_only_staff_approve(sent, users, commune_a):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        approve(sent, factories.SpaceFactory(commune=commune_a), users("coop_a"))


@pytest.mark.django_db
def test_the_approval_form_explains_an_end_before_the_start(client_as, sent, commune_a):
    space = factories.SpaceFactory(commune=commune_a)
    response = post_approval(
        client_as("staff"), sent, space, starts_on="2027-06-01", ends_on="2027-01-01"
    )
    assert response.status_code == 200
    assert response.context["form"].errors["ends_on"]
    assert not Allocation.objects.exists()


@pytest.mark.django_db
def test_staff_see_ranked_spaces_with_reasons_and_approve_the_best(
    client_as, sent, commune_a, commune_b
):
    near = factories.SpaceFactory(commune=commune_a, name="Tout près")
    factories.SpaceFactory(commune=commune_b, name="Loin")
    factories.SpaceFactory(commune=commune_a, name="Trop petite", capacity=2)
    client = client_as("staff")
    response = client.get(f"/fr/cooperatives/applications/{sent.pk}/match/")
    rows = response.context["rows"]
    assert [row["space"].name for row in rows] == ["Tout près", "Loin", "Trop petite"]
    assert rows[0]["components"][0]["why"] == "Dans la commune demandée"
    assert rows[-1]["excluded"].startswith("Seulement 2 places")
    response = post_approval(client, sent, near, weekdays=["0", "1"])
    assert response.status_code == 302
    near.refresh_from_db()
    assert near.status == SpaceStatus.AVAILABLE
    catalogue = client.get("/fr/spaces/").content.decode()
    assert "Libre le mercredi, jeudi, vendredi, samedi, dimanche" in catalogue
    mine = client_as("coop_a").get("/fr/cooperatives/mine/").content.decode()
    assert "badge--approved" in mine


@pytest.mark.django_db
def test_the_plan_respects_locks_and_exclusions(
    users, cooperative_a, cooperative_b, application_data, commune_a
):
    best = factories.SpaceFactory(commune=commune_a, name="Meilleure")
    second = factories.SpaceFactory(commune=commune_a, name="Seconde", condition="major_works")
    applications = []
    for cooperative, role in ((cooperative_a, "coop_a"), (cooperative_b, "coop_b")):
        application = services.create_application(
            actor=users(role), cooperative_id=cooperative.pk, data=application_data()
        )
        services.submit_application(application.pk, actor=users(role))
        applications.append(application)
    rows, _total = planning.build_plan()
    assert {row.space.name for row in rows if row.space} == {"Meilleure", "Seconde"}
    services.steer_plan(
        applications[1].pk, best.pk, actor=users("staff"), kind="lock", reason="Visite"
    )
    rows, _total = planning.build_plan()
    locked = next(row for row in rows if row.application == applications[1])
    assert (locked.space, locked.locked) == (best, True)
    services.steer_plan(
        applications[0].pk, second.pk, actor=users("staff"), kind="exclude", reason="Non"
    )
    rows, _total = planning.build_plan()
    assert next(row for row in rows if row.application == applications[0]).space is None


@pytest.mark.django_db
def test_steering_needs_a_reason_and_one_lock_per_space(
    users, sent, commune_a, cooperative_b, application_data
):
    space = factories.SpaceFactory(commune=commune_a)
    with pytest.raises(services.TransitionError):
        services.steer_plan(sent.pk, space.pk, actor=users("staff"), kind="lock", reason=" ")
    services.steer_plan(sent.pk, space.pk, actor=users("staff"), kind="lock", reason="Vu")
    other = services.create_application(
        actor=users("coop_b"), cooperative_id=cooperative_b.pk, data=application_data()
    )
    with pytest.raises(services.TransitionError):
        services.steer_plan(other.pk, space.pk, actor=users("staff"), kind="lock", reason="Aussi")
    assert PlanDecision.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_of_overlapping_periods_let_exactly_one_through(
    commune_a, application_data
):
    """Twelve staff members approve twelve applications for one space at the same moment,
    each in its own database connection: one allocation, eleven clear refusals."""
    if connection.vendor != "postgresql":
        pytest.skip("the concurrency test runs against PostgreSQL (CI runs it there)")
    space = factories.SpaceFactory(commune=commune_a, capacity=50, floor_area_m2=300)
    staff, applications = [], []
    for n in range(12):
        staff.append(factories.StaffFactory(username=f"staff{n}"))
        representative = factories.RepresentativeFactory(
            status="verified", cooperative__commune=commune_a
        )
        application = services.create_application(
            actor=representative.user,
            cooperative_id=representative.cooperative_id,
            data=application_data(beneficiaries=10, women_beneficiaries=8),
        )
        services.submit_application(application.pk, actor=representative.user)
        applications.append(application)

    outcomes = at_the_same_moment(
        12, lambda n: approve(applications[n], space, staff[n], starts_on=date(2027, 1, 1 + n))
    )
    assert len(outcomes) == 12
    assert list(outcomes.values()).count(DONE) == 1
    allocation = Allocation.objects.get(space=space)
    refusals = [text for text in outcomes.values() if text != DONE]
    assert all(allocation.holder in text for text in refusals), refusals
    assert SpaceApplication.objects.filter(status="approved").count() == 1
    assert SpaceApplication.objects.filter(status="approved", allocation=allocation).exists()


@pytest.mark.django_db
def test_an_approval_without_a_reason_is_explained_on_the_field(client_as, sent, commune_a):
    space = factories.SpaceFactory(commune=commune_a)
    response = post_approval(client_as("staff"), sent, space, note="")
    assert response.context["form"].errors["note"]
    assert not Allocation.objects.exists()


@pytest.mark.django_db
def test_approving_twice_says_it_is_already_approved(sent, users, commune_a):
    space = factories.SpaceFactory(commune=commune_a)
    approve(sent, space, users("staff"))
    with pytest.raises(services.TransitionError, match="موافقة|approved|approuvée"):
        approve(sent, space, users("staff"), weekdays=0b1000000)


@pytest.mark.django_db
def test_only_waiting_applications_and_catalogue_spaces_are_steered(users, sent, commune_a):
    proposed = factories.SpaceFactory(commune=commune_a, status="proposed")
    with pytest.raises(services.TransitionError):
        services.steer_plan(sent.pk, proposed.pk, actor=users("staff"), kind="lock", reason="x")


@pytest.mark.django_db
def test_approving_an_application_closes_its_open_plan_decisions(users, sent, commune_a):
    hall, other = factories.SpaceFactory.create_batch(2, commune=commune_a)
    services.steer_plan(sent.pk, hall.pk, actor=users("staff"), kind="lock", reason="Proche")
    services.steer_plan(sent.pk, other.pk, actor=users("staff"), kind="exclude", reason="Loin")
    approve(sent, hall, users("staff"))
    decisions = PlanDecision.objects.filter(application=sent)
    assert decisions.count() == 2 and not decisions.filter(closed_at__isnull=True).exists()
    assert {(d.closed_by, d.close_reason) for d in decisions} == {
        (users("staff"), "Application approved.")
    }


@pytest.mark.django_db
def test_removing_a_plan_decision_keeps_it_on_record(users, sent, commune_a):
    space = factories.SpaceFactory(commune=commune_a)
    decision = services.steer_plan(
        sent.pk, space.pk, actor=users("staff"), kind="lock", reason="Vu"
    )
    services.forget_plan_decision(decision.pk, actor=users("staff"), reason="Erreur")
    decision.refresh_from_db()
    assert decision.closed_at is not None and decision.close_reason == "Erreur"
    assert services.steer_plan(
        sent.pk, space.pk, actor=users("staff"), kind="exclude", reason="Non"
    )


@pytest.mark.django_db
def test_a_shared_hall_taken_three_days_is_offered_for_the_other_days(
    client_as, sent, commune_a, allocation_of
):
    hall = factories.SpaceFactory(commune=commune_a, name="Salle partagée")
    allocation_of(
        hall,
        starts_on=date(2026, 1, 1),
        ends_on=date(2030, 1, 1),
        purpose="apprenticeship_cohort",
        holder="Cohorte",
    )
    client = client_as("staff")
    rows = client.get(f"/fr/cooperatives/applications/{sent.pk}/match/").context["rows"]
    assert next(r for r in rows if r["space"] == hall)["excluded"] == ""
    form = client.get(f"/fr/cooperatives/applications/{sent.pk}/approve/?space={hall.pk}").context[
        "form"
    ]
    assert form.initial["weekdays"] == [3, 4, 5]  # Thursday to Saturday
