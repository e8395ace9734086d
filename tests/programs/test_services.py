from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from programs import services
from programs.models import Apprentice, EnrolmentStatus, eligibility_problems
from tests import factories

# Fixed dates below: the tests run on this day, whatever the calendar says.
pytestmark = [pytest.mark.django_db, pytest.mark.on_day("2026-12-01")]
START = date(2027, 3, 1)


@pytest.mark.parametrize(
    ("birth", "problem"),
    [
        (date(2012, 3, 1), None),  # 15 on the start date
        (date(2012, 3, 2), "too_young"),  # 15 the day after
        (date(1996, 3, 1), "too_old"),  # 31 on the start date
        (date(1996, 3, 2), None),  # 30 until the day after
    ],
)
def test_age_15_to_30_on_the_start_date(birth, problem):
    problems = eligibility_problems(birth, "beyond", START, "qualification")
    assert [code for code, _ in problems] == ([problem] if problem else [])


@pytest.mark.parametrize(
    ("level", "certificate", "ok"),
    [
        ("literacy", "attestation", True),
        ("none", "attestation", False),
        ("literacy", "specialisation", False),
        ("primary_6", "specialisation", True),
        ("primary_6", "qualification", False),
        ("lower_secondary_3", "qualification", True),
        ("beyond", "qualification", True),
    ],
)
def test_the_school_level_fits_the_certificate(level, certificate, ok):
    problems = eligibility_problems(date(2008, 1, 1), level, START, certificate)
    assert (problems == []) is ok


def test_a_17_year_old_applies_and_is_accepted(cohort, young, users):
    enrolment = services.apply_to_cohort(cohort.pk, actor=young(age=17))
    services.accept_enrolment(enrolment.pk, actor=users("staff"))
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACCEPTED
    assert [c.to_status for c in enrolment.history.all()] == ["applied", "accepted"]


def test_a_31_year_old_is_refused_with_the_reason(cohort, young):
    with pytest.raises(services.NotEligible, match="31"):
        services.apply_to_cohort(cohort.pk, actor=young(age=31))
    assert not cohort.enrolments.exists()


def test_a_school_level_too_low_is_refused_with_the_level_needed(cohort, young):
    with pytest.raises(services.NotEligible):
        services.apply_to_cohort(cohort.pk, actor=young(age=20, level="literacy"))


def test_applying_twice_is_refused(cohort, young):
    person = young()
    services.apply_to_cohort(cohort.pk, actor=person)
    with pytest.raises(services.TransitionError):
        services.apply_to_cohort(cohort.pk, actor=person)


def test_only_an_apprentice_applies(cohort, users):
    with pytest.raises(PermissionDenied):
        services.apply_to_cohort(cohort.pk, actor=users("coop_a"))


def test_seats_are_never_over_filled(cohort, young, users):
    enrolments = [services.apply_to_cohort(cohort.pk, actor=young()) for _ in range(3)]
    services.accept_enrolment(enrolments[0].pk, actor=users("staff"))
    services.accept_enrolment(enrolments[1].pk, actor=users("staff"))
    with pytest.raises(services.TransitionError, match="2"):
        services.accept_enrolment(enrolments[2].pk, actor=users("staff"))
    assert cohort.enrolments.filter(status="accepted").count() == 2


def run_the_cohort(cohort):
    """Time passes: the cohort's dates move to the past (its training is over)."""
    from programs.models import Cohort

    Cohort.objects.filter(pk=cohort.pk).update(
        starts_on=timezone.localdate() - timedelta(days=340),
        ends_on=timezone.localdate() - timedelta(days=1),
    )


def test_the_training_cannot_start_or_end_before_the_cohorts_dates(cohort, young, users):
    enrolment = services.apply_to_cohort(cohort.pk, actor=young())
    staff = users("staff")
    services.accept_enrolment(enrolment.pk, actor=staff)
    with pytest.raises(services.TransitionError):
        services.start_training(enrolment.pk, actor=staff)
    from programs.models import Cohort

    Cohort.objects.filter(pk=cohort.pk).update(starts_on=timezone.localdate())
    services.start_training(enrolment.pk, actor=staff)
    with pytest.raises(services.TransitionError):
        services.complete_training(enrolment.pk, actor=staff)


def test_accepting_twice_says_so_rather_than_that_seats_are_full(cohort, young, users):
    enrolment = services.apply_to_cohort(cohort.pk, actor=young())
    services.accept_enrolment(enrolment.pk, actor=users("staff"))
    with pytest.raises(services.TransitionError, match="مقبول|Accepté|accepted"):
        services.accept_enrolment(enrolment.pk, actor=users("staff"))


def test_the_whole_path_to_a_certificate_and_an_outcome(cohort, young, users):
    enrolment = services.apply_to_cohort(cohort.pk, actor=young())
    staff = users("staff")
    services.accept_enrolment(enrolment.pk, actor=staff)
    run_the_cohort(cohort)
    services.start_training(enrolment.pk, actor=staff)
    enrolment = services.complete_training(enrolment.pk, actor=staff)
    assert enrolment.certificate_number.startswith("GON-APP-")
    services.record_outcome(enrolment.pk, actor=staff, outcome="joined_cooperative")
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.outcome) == ("completed", "joined_cooperative")


@pytest.mark.parametrize(
    ("move", "from_status"),
    [
        (services.start_training, "applied"),
        (services.complete_training, "accepted"),
        (services.complete_training, "applied"),
    ],
)
def test_moves_out_of_order_are_refused(cohort, young, users, move, from_status):
    enrolment = services.apply_to_cohort(cohort.pk, actor=young())
    if from_status == "accepted":
        services.accept_enrolment(enrolment.pk, actor=users("staff"))
    run_the_cohort(cohort)
    with pytest.raises(services.TransitionError):
        move(enrolment.pk, actor=users("staff"))


def test_dropping_needs_a_reason(cohort, young, users):
    enrolment = services.apply_to_cohort(cohort.pk, actor=young())
    services.accept_enrolment(enrolment.pk, actor=users("staff"))
    with pytest.raises(services.TransitionError):
        services.drop_enrolment(enrolment.pk, actor=users("staff"), note="")
    services.drop_enrolment(enrolment.pk, actor=users("staff"), note="Moved to Agadir")


def test_an_outcome_only_after_completion(cohort, young, users):
    enrolment = services.apply_to_cohort(cohort.pk, actor=young())
    with pytest.raises(services.TransitionError):
        services.record_outcome(enrolment.pk, actor=users("staff"), outcome="employed")


def test_only_staff_move_enrolments(cohort, young, users):
    enrolment = services.apply_to_cohort(cohort.pk, actor=young())
    with pytest.raises(PermissionDenied):
        services.accept_enrolment(enrolment.pk, actor=users("president_a"))


def test_a_birth_date_in_the_future_is_refused(commune_a):
    from tests import factories

    user = factories.UserFactory.build(username="future")
    with pytest.raises(Exception) as error:
        services.sign_up_apprentice(
            user=user,
            password="a-long-password-2026",
            profile={
                "birth_date": timezone.localdate() + timedelta(days=1),
                "school_level": "primary_6",
                "commune": commune_a,
                "woman": False,
                "phone": "",
            },
        )
    assert "birth_date" in error.value.message_dict
    assert not Apprentice.objects.exists()


def test_a_cohort_is_hosted_in_a_shared_hall_on_free_days(cohort, users, commune_a, allocation_of):
    from tests import factories

    hall = factories.SpaceFactory(commune=commune_a)
    allocation_of(hall, starts_on=cohort.starts_on, ends_on=cohort.ends_on)  # Monday to Wednesday
    with pytest.raises(services.TransitionError):
        services.host_cohort(cohort.pk, actor=users("staff"), space_id=hall.pk, weekdays=0b0000100)
    services.host_cohort(cohort.pk, actor=users("staff"), space_id=hall.pk, weekdays=0b0111000)
    cohort.refresh_from_db()
    assert cohort.allocation.purpose == "apprenticeship_cohort"


def test_a_safeguarding_action_is_hosted_through_an_allocation(cohort, users, commune_a):
    from programs.models import SafeguardingAction
    from tests import factories

    hall = factories.SpaceFactory(commune=commune_a)
    action = SafeguardingAction.objects.create(
        programme=cohort.programme,
        kind="transmission_workshop",
        title="Atelier du flij",
        craft=cohort.craft,
        starts_on=date(2027, 5, 1),
        ends_on=date(2027, 5, 3),
    )
    services.host_action(action.pk, actor=users("staff"), space_id=hall.pk, weekdays=0b1111111)
    action.refresh_from_db()
    assert action.allocation.purpose == "safeguarding_action"
    assert action.allocation.holder == "Atelier du flij"
    with pytest.raises(services.TransitionError):
        services.host_action(action.pk, actor=users("staff"), space_id=hall.pk, weekdays=1)


def test_an_outcome_and_its_correction_are_both_in_its_history(users, reference_data):
    enrolment = factories.EnrolmentFactory(status="completed")
    staff = users("staff")
    services.record_outcome(enrolment.pk, actor=staff, outcome="looking")
    services.record_outcome(enrolment.pk, actor=staff, outcome="looking")  # nothing new
    services.record_outcome(enrolment.pk, actor=staff, outcome="employed", note="Appel reçu")
    rows = [(c.from_status, c.to_status, c.actor, c.note) for c in enrolment.outcome_history.all()]
    assert rows == [("", "looking", staff, ""), ("looking", "employed", staff, "Appel reçu")]


def test_a_roadmap_action_moves_with_its_reason_and_a_done_one_is_complete(users, reference_data):
    action = factories.RoadmapActionFactory(progress=30)
    staff = users("staff")
    services.update_roadmap_action(action.pk, actor=staff, status="in_progress", progress=60)
    services.update_roadmap_action(action.pk, actor=staff, status="done", progress=60)
    action.refresh_from_db()
    assert (action.status, action.progress) == ("done", 100)
    assert [c.to_status for c in action.history.all()] == ["in_progress", "done"]


@pytest.mark.parametrize(("start", "target"), [("planned", "cancelled"), ("done", "in_progress")])
def test_cancelling_or_reopening_a_roadmap_action_needs_a_reason(users, start, target):
    action = factories.RoadmapActionFactory(status=start, progress=100)
    with pytest.raises(services.TransitionError):
        services.update_roadmap_action(action.pk, actor=users("staff"), status=target, progress=50)
    services.update_roadmap_action(
        action.pk, actor=users("staff"), status=target, progress=50, note="Budget reporté"
    )
    assert action.history.get().note == "Budget reporté"


def test_only_staff_move_roadmap_actions(users):
    action = factories.RoadmapActionFactory()
    with pytest.raises(PermissionDenied):
        services.update_roadmap_action(
            action.pk, actor=users("president_a"), status="in_progress", progress=10
        )
