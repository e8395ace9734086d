from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cooperatives import services
from cooperatives.models import (
    ApplicationStatus,
    Cooperative,
    RepresentativeStatus,
    SpaceApplication,
)
from tests import factories

pytestmark = pytest.mark.django_db


def sign_up_for_a_new_cooperative(username, commune):
    """`username` asks to represent Tafoukt, a cooperative of `commune` new to the portal."""
    user = factories.UserFactory.build(username=username, email=f"{username}@example.org")
    return services.sign_up_representative(
        user=user,
        password="a-long-password-2026",
        cooperative=None,
        new_cooperative={"name": "Tafoukt", "registration_number": "2024/77", "commune": commune},
    )


def test_signing_up_for_a_new_cooperative_registers_it_unverified(commune_a):
    representation = sign_up_for_a_new_cooperative("fatima", commune_a)
    assert representation.status == RepresentativeStatus.PENDING
    assert representation.user.role == "cooperative"
    assert representation.user.check_password("a-long-password-2026")
    assert not representation.cooperative.verified


def test_an_unverified_representative_cannot_apply(commune_a, application_data):
    pending = factories.RepresentativeFactory(status="pending")
    with pytest.raises(PermissionDenied):
        services.create_application(
            actor=pending.user, cooperative_id=pending.cooperative_id, data=application_data()
        )


def test_verifying_a_representative_verifies_a_new_cooperative_and_tells_them(
    users, django_capture_on_commit_callbacks
):
    cooperative = factories.CooperativeFactory(verified=False)
    representation = factories.RepresentativeFactory(
        cooperative=cooperative, status="pending", user__language="fr"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.verify_representative(representation.pk, actor=users("staff"))
    cooperative.refresh_from_db()
    assert cooperative.verified and cooperative.verified_by == users("staff")
    assert [m.to for m in mail.outbox] == [[representation.user.email]]
    assert mail.outbox[0].subject == "Vous représentez désormais votre coopérative sur le portail"


def test_a_refusal_needs_a_reason(users):
    representation = factories.RepresentativeFactory(status="pending")
    with pytest.raises(services.TransitionError):
        services.refuse_representative(representation.pk, actor=users("staff"), note=" ")


def test_a_request_is_decided_once(users):
    representation = factories.RepresentativeFactory(status="pending")
    services.verify_representative(representation.pk, actor=users("staff"))
    with pytest.raises(services.TransitionError):
        services.refuse_representative(representation.pk, actor=users("staff"), note="No")


def test_only_staff_verify_representatives(users):
    representation = factories.RepresentativeFactory(status="pending")
    with pytest.raises(PermissionDenied):
        services.verify_representative(representation.pk, actor=users("coop_a"))


def test_a_representative_drafts_an_application_with_its_history(application_a, users):
    assert application_a.status == ApplicationStatus.DRAFT
    change = application_a.history.get()
    assert (change.to_status, change.actor, change.on_behalf) == ("draft", users("coop_a"), False)


def test_a_cooperative_cannot_apply_for_another(users, cooperative_a, application_data):
    with pytest.raises(PermissionDenied):
        services.create_application(
            actor=users("coop_b"), cooperative_id=cooperative_a.pk, data=application_data()
        )


def test_staff_file_for_a_cooperative_only_with_its_consent(users, cooperative_a, application_data):
    with pytest.raises(ValidationError) as error:
        services.create_application(
            actor=users("staff"), cooperative_id=cooperative_a.pk, data=application_data()
        )
    assert "consent_note" in error.value.message_dict
    application = services.create_application(
        actor=users("staff"),
        cooperative_id=cooperative_a.pk,
        data=application_data(),
        consent_note="Mme Oubella, by phone, 12 November",
    )
    assert application.filed_by == users("staff")
    assert application.history.get().on_behalf


def test_a_start_in_the_past_is_refused_on_its_field(users, cooperative_a, application_data):
    with pytest.raises(ValidationError) as error:
        services.create_application(
            actor=users("coop_a"),
            cooperative_id=cooperative_a.pk,
            data=application_data(starts_on=timezone.localdate() - timedelta(days=1)),
        )
    assert "starts_on" in error.value.message_dict


def test_one_open_application_per_space(users, cooperative_a, application_data):
    space = factories.SpaceFactory(status="available")
    data = application_data(space=space, commune=None)
    services.create_application(actor=users("coop_a"), cooperative_id=cooperative_a.pk, data=data)
    with pytest.raises(ValidationError) as error:
        services.create_application(
            actor=users("coop_a"), cooperative_id=cooperative_a.pk, data=data
        )
    assert "space" in error.value.message_dict


def test_a_space_not_in_the_catalogue_cannot_be_asked_for(users, cooperative_a, application_data):
    space = factories.SpaceFactory(status="proposed")
    with pytest.raises(ValidationError) as error:
        services.create_application(
            actor=users("coop_a"),
            cooperative_id=cooperative_a.pk,
            data=application_data(space=space, commune=None),
        )
    assert "space" in error.value.message_dict


def test_submitting_tells_every_staff_member_in_their_language(
    application_a, users, django_capture_on_commit_callbacks
):
    users("staff")
    factories.StaffFactory(username="nadia", email="nadia@example.org", language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_application(application_a.pk, actor=users("coop_a"))
    application_a.refresh_from_db()
    assert application_a.status == ApplicationStatus.SUBMITTED
    assert application_a.submitted_at is not None
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == ["Nouvelle demande de Coopérative A", "طلب جديد من Coopérative A"]


def test_a_sent_application_cannot_be_sent_again_or_changed(application_a, users):
    services.submit_application(application_a.pk, actor=users("coop_a"))
    with pytest.raises(services.TransitionError):
        services.submit_application(application_a.pk, actor=users("coop_a"))
    with pytest.raises(services.TransitionError):
        services.update_application(
            application_a.pk, actor=users("coop_a"), data={"beneficiaries": 3}
        )


def test_staff_start_the_review_and_the_cooperative_is_told(
    application_a, users, django_capture_on_commit_callbacks
):
    services.submit_application(application_a.pk, actor=users("coop_a"))
    with django_capture_on_commit_callbacks(execute=True):
        services.start_review(application_a.pk, actor=users("staff"))
    application_a.refresh_from_db()
    assert application_a.status == ApplicationStatus.UNDER_REVIEW
    assert [m.to for m in mail.outbox] == [[users("coop_a").email]]


def test_a_representative_cannot_start_a_review(application_a, users):
    services.submit_application(application_a.pk, actor=users("coop_a"))
    with pytest.raises(PermissionDenied):
        services.start_review(application_a.pk, actor=users("coop_a"))


def _under_review(application, users):
    services.submit_application(application.pk, actor=users("coop_a"))
    services.start_review(application.pk, actor=users("staff"))


def test_staff_reject_with_a_reason_that_reaches_the_cooperative(
    application_a, users, django_capture_on_commit_callbacks
):
    _under_review(application_a, users)
    with django_capture_on_commit_callbacks(execute=True):
        services.reject_application(application_a.pk, actor=users("staff"), note="No water.")
    application_a.refresh_from_db()
    assert application_a.status == ApplicationStatus.REJECTED
    assert application_a.decision_note == "No water."
    assert "No water." in mail.outbox[-1].body


def test_a_rejection_needs_a_reason(application_a, users):
    _under_review(application_a, users)
    with pytest.raises(services.TransitionError):
        services.reject_application(application_a.pk, actor=users("staff"), note="")


def test_a_submitted_application_cannot_be_rejected_before_its_review(application_a, users):
    services.submit_application(application_a.pk, actor=users("coop_a"))
    with pytest.raises(services.TransitionError):
        services.reject_application(application_a.pk, actor=users("staff"), note="No")


def test_a_failing_mail_server_never_loses_the_decision(
    application_a, users, django_capture_on_commit_callbacks
):
    _under_review(application_a, users)
    with (
        mock.patch(
            "django.core.mail.backends.locmem.EmailBackend.send_messages",
            side_effect=OSError("down"),
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.reject_application(application_a.pk, actor=users("staff"), note="Full.")
    application_a.refresh_from_db()
    assert application_a.status == ApplicationStatus.REJECTED


@pytest.mark.parametrize("status", ["draft", "submitted", "under_review"])
def test_the_cooperative_withdraws_before_a_decision(application_a, users, status):
    if status != "draft":
        services.submit_application(application_a.pk, actor=users("coop_a"))
    if status == "under_review":
        services.start_review(application_a.pk, actor=users("staff"))
    services.withdraw_application(application_a.pk, actor=users("coop_a"))
    application_a.refresh_from_db()
    assert application_a.status == ApplicationStatus.WITHDRAWN


def test_a_decided_application_cannot_be_withdrawn(application_a, users):
    _under_review(application_a, users)
    services.reject_application(application_a.pk, actor=users("staff"), note="No")
    with pytest.raises(services.TransitionError):
        services.withdraw_application(application_a.pk, actor=users("coop_a"))


def test_another_cooperative_cannot_withdraw(application_a, users):
    with pytest.raises(PermissionDenied):
        services.withdraw_application(application_a.pk, actor=users("coop_b"))


def test_applying_again_copies_a_rejected_application(application_a, users):
    _under_review(application_a, users)
    services.reject_application(application_a.pk, actor=users("staff"), note="Dates")
    SpaceApplication.objects.filter(pk=application_a.pk).update(
        starts_on=timezone.localdate() - timedelta(days=10)
    )
    again = services.apply_again(application_a.pk, actor=users("coop_a"))
    assert again.status == ApplicationStatus.DRAFT
    assert (again.craft, again.beneficiaries, again.commune) == (
        application_a.craft,
        application_a.beneficiaries,
        application_a.commune,
    )
    assert again.starts_on == timezone.localdate()


def test_an_open_application_is_followed_not_copied(application_a, users):
    with pytest.raises(services.TransitionError):
        services.apply_again(application_a.pk, actor=users("coop_a"))


def test_the_moves_table_names_every_status():
    assert set(SpaceApplication.MOVES) == set(ApplicationStatus.values)


def test_registration_numbers_are_unique_whatever_the_case(commune_a):
    from django.db import IntegrityError, transaction

    Cooperative.objects.create(name="A", registration_number="2020-1", commune=commune_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Cooperative.objects.create(name="B", registration_number="2020-1", commune=commune_a)


def test_staff_acting_for_a_cooperative_are_recorded_on_its_behalf(
    users, cooperative_a, application_data
):
    staff = users("staff")
    application = services.create_application(
        actor=staff, cooperative_id=cooperative_a.pk, data=application_data(), consent_note="Oui"
    )
    services.update_application(application.pk, actor=staff, data={"beneficiaries": 14})
    services.submit_application(application.pk, actor=staff)
    services.start_review(application.pk, actor=staff)
    services.withdraw_application(application.pk, actor=staff, note="À sa demande")
    rows = [(c.to_status, c.actor, c.on_behalf) for c in application.history.all()]
    assert rows == [
        ("draft", staff, True),  # filed for it
        ("draft", staff, True),  # its answers changed for it
        ("submitted", staff, True),
        ("under_review", staff, False),  # the chamber's own decision
        ("withdrawn", staff, True),
    ]


def test_the_cooperative_s_own_moves_are_not_on_anyone_s_behalf(application_a, users):
    services.submit_application(application_a.pk, actor=users("coop_a"))
    assert not application_a.history.filter(on_behalf=True).exists()


def test_a_verification_is_recorded_for_the_request_and_the_cooperative(users, commune_a):
    representative = sign_up_for_a_new_cooperative("salma", commune_a)
    user = representative.user
    services.verify_representative(representative.pk, actor=users("staff"), note="Registre vu")
    requested, verified = representative.history.all()
    assert (requested.to_status, requested.actor) == ("pending", user)
    assert (verified.from_status, verified.to_status) == ("pending", "verified")
    assert (verified.actor, verified.note) == (users("staff"), "Registre vu")
    created, checked = representative.cooperative.history.all()
    assert (created.from_status, created.to_status, created.actor) == (None, False, user)
    assert (checked.from_status, checked.to_status, checked.actor) == (False, True, users("staff"))


def test_a_refusal_keeps_its_reason_in_the_history(users):
    representative = factories.RepresentativeFactory(status="pending")
    services.refuse_representative(representative.pk, actor=users("staff"), note=" Inconnu ")
    refused = representative.history.get()
    assert (refused.to_status, refused.note, refused.actor) == (
        "refused",
        "Inconnu",
        users("staff"),
    )
