"""Erasing a person at their request (law 09-08): chamber.services.erase_person and the
administration's erase page and action."""

from datetime import date

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError
from django.test import Client

from chamber.models import Erasure, Role, User
from chamber.services import erase_person
from cooperatives.models import ApplicationStatusChange, Representative
from portal.figures import Scope, all_figures
from programs import services as program_services
from programs.models import Apprentice, Enrolment, EnrolmentStatusChange
from tests import factories

pytestmark = pytest.mark.on_day("2026-12-01")


@pytest.fixture
def apprentice(young, cohort, users):
    """A young woman enrolled in the cohort and accepted by staff, with a confirmed phone
    (and so a notification of her acceptance, by e-mail and SMS)."""
    person = young(age=19, woman=True)
    User.objects.filter(pk=person.pk).update(
        phone="+212600000001", phone_verified=True, notify_by="both"
    )
    enrolment = program_services.apply_to_cohort(cohort.pk, actor=person)
    program_services.accept_enrolment(enrolment.pk, actor=users("staff"))
    return User.objects.get(pk=person.pk)


def sessions_of(user) -> list[Session]:
    return [s for s in Session.objects.all() if s.get_decoded().get(SESSION_KEY) == str(user.pk)]


@pytest.mark.django_db
def test_erasing_an_apprentice_anonymises_the_account(apprentice, users):
    erase_person(apprentice.pk, actor=users("staff"))
    apprentice.refresh_from_db()
    assert apprentice.username == f"erased-{apprentice.pk}"
    assert (apprentice.first_name, apprentice.last_name, apprentice.email) == ("", "", "")
    assert not apprentice.has_usable_password()
    assert not apprentice.is_active
    assert (apprentice.role, apprentice.commune) == ("", None)
    assert (apprentice.phone, apprentice.phone_verified, apprentice.notify_by) == ("", False, "")


@pytest.mark.django_db
def test_erasing_forgets_what_the_person_was_told_and_their_codes(apprentice, users):
    from chamber.models import Delivery, Notification, PhoneCode

    PhoneCode.objects.create(
        user=apprentice,
        purpose="sign_in",
        phone=apprentice.phone,
        digest="x" * 64,
        expires_at=apprentice.date_joined,
    )
    assert Notification.objects.filter(recipient=apprentice).count() == 1
    assert Delivery.objects.filter(notification__recipient=apprentice).count() == 2
    erase_person(apprentice.pk, actor=users("staff"))
    assert not Notification.objects.filter(recipient=apprentice).exists()
    assert not Delivery.objects.filter(notification__recipient=apprentice).exists()
    assert not PhoneCode.objects.filter(user=apprentice).exists()


@pytest.mark.django_db
def test_erasing_an_apprentice_anonymises_the_profile_but_keeps_what_figures_count(
    apprentice, users, commune_a
):
    born = apprentice.apprentice.birth_date
    erase_person(apprentice.pk, actor=users("staff"))
    profile = Apprentice.objects.get(user=apprentice)
    assert profile.birth_date == date(born.year, 1, 1)
    assert (profile.woman, profile.commune, profile.school_level) == (True, commune_a, "primary_6")


@pytest.mark.django_db
def test_an_apprentice_with_enrolments_cannot_be_deleted_but_can_be_erased(apprentice, users):
    with pytest.raises(ProtectedError):
        apprentice.delete()
    erase_person(apprentice.pk, actor=users("staff"))
    assert Enrolment.objects.get().apprentice.user_id == apprentice.pk


@pytest.mark.django_db
def test_erasing_keeps_every_figure(apprentice, users, application_a, space_a):
    from cooperatives import services as cooperative_services

    cooperative_services.submit_application(application_a.pk, actor=users("coop_a"))
    before = all_figures(Scope())
    for person in (apprentice, users("coop_a"), users("president_a")):
        erase_person(person.pk, actor=users("staff"))
    assert all_figures(Scope()) == before


@pytest.mark.django_db
def test_erasing_keeps_the_history_under_the_anonymised_account(apprentice, users, application_a):
    representative = users("coop_a")
    erase_person(apprentice.pk, actor=users("staff"))
    erase_person(representative.pk, actor=users("staff"))
    applied = EnrolmentStatusChange.objects.get(to_status="applied")
    assert applied.actor_id == apprentice.pk
    assert applied.actor.username == f"erased-{apprentice.pk}"
    assert ApplicationStatusChange.objects.get(to_status="draft").actor_id == representative.pk
    assert application_a.__class__.objects.get(pk=application_a.pk).filed_by_id == (
        representative.pk
    )


@pytest.mark.django_db
def test_erasing_a_representative_empties_their_function_and_keeps_the_request(users):
    representative = users("coop_a")
    Representative.objects.filter(user=representative).update(function="Présidente")
    erase_person(representative.pk, actor=users("staff"))
    request = Representative.objects.get(user=representative)
    assert request.function == ""
    assert request.status == "verified"


@pytest.mark.django_db
def test_erasing_a_president_lets_the_commune_have_a_new_presidents_account(users, commune_a):
    erase_person(users("president_a").pk, actor=users("staff"))
    successor = factories.PresidentFactory(username="successor", commune=commune_a)
    assert successor.commune == commune_a


@pytest.mark.django_db
def test_erasing_deletes_the_persons_sessions_only(apprentice, users):
    Client().force_login(apprentice)
    other = users("coop_a")
    Client().force_login(other)
    erase_person(apprentice.pk, actor=users("staff"))
    assert sessions_of(apprentice) == []
    assert len(sessions_of(other)) == 1


@pytest.mark.django_db
def test_erasing_deletes_the_persons_login_records(apprentice, users):
    for name in (apprentice.username, "someone-else"):
        AccessLog.objects.create(username=name, user_agent="x", ip_address="10.0.0.1")
        AccessAttempt.objects.create(
            username=name, user_agent="x", ip_address="10.0.0.1", failures_since_start=1
        )
    erase_person(apprentice.pk, actor=users("staff"))
    assert list(AccessLog.objects.values_list("username", flat=True)) == ["someone-else"]
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["someone-else"]


@pytest.mark.django_db
def test_an_erasure_records_who_erased_whom_and_when(apprentice, users, on_day):
    staff = users("staff")
    erase_person(apprentice.pk, actor=staff, note="Letter of 2026-11-20")
    erasure = Erasure.objects.get()
    assert (erasure.person, erasure.account_number, erasure.actor) == (
        apprentice,
        apprentice.pk,
        staff,
    )
    assert erasure.note == "Letter of 2026-11-20"
    assert erasure.at.date() == on_day


@pytest.mark.django_db
def test_erasing_an_erased_person_records_nothing_more(apprentice, users):
    first = erase_person(apprentice.pk, actor=users("staff"))
    assert erase_person(apprentice.pk, actor=users("superuser")) == first
    assert Erasure.objects.count() == 1


@pytest.mark.django_db
def test_nobody_can_erase_themselves(users):
    for role in ("staff", "superuser"):
        with pytest.raises(PermissionDenied):
            erase_person(users(role).pk, actor=users(role))
    assert not Erasure.objects.exists()


@pytest.mark.django_db
def test_staff_cannot_erase_a_superuser(users):
    root = users("superuser")
    with pytest.raises(PermissionDenied):
        erase_person(root.pk, actor=users("staff"))
    root.refresh_from_db()
    assert root.username == "root"
    assert root.is_active


@pytest.mark.django_db
def test_staff_cannot_erase_another_staff_account(users):
    colleague = factories.StaffFactory(username="colleague")
    with pytest.raises(PermissionDenied):
        erase_person(colleague.pk, actor=users("staff"))
    colleague.refresh_from_db()
    assert colleague.is_staff


@pytest.mark.django_db
def test_a_superuser_can_erase_a_staff_account_and_its_access(users):
    colleague = factories.StaffFactory(username="colleague")
    erase_person(colleague.pk, actor=users("superuser"))
    colleague.refresh_from_db()
    assert not colleague.is_staff
    assert list(colleague.groups.all()) == []


@pytest.mark.django_db
def test_a_president_cannot_erase_anyone(users):
    with pytest.raises(PermissionDenied):
        erase_person(users("coop_a").pk, actor=users("president_a"))


# --- from the administration -------------------------------------------------------------


@pytest.mark.django_db
def test_staff_erase_a_person_from_their_account_page_after_confirming(client_as, apprentice):
    client = client_as("staff")
    page = f"/fr/admin/chamber/user/{apprentice.pk}/change/"
    assert f"/fr/admin/chamber/user/{apprentice.pk}/erase/" in client.get(page).content.decode()
    confirmation = client.get(f"/fr/admin/chamber/user/{apprentice.pk}/erase/")
    assert confirmation.status_code == 200
    assert not Erasure.objects.exists()  # a GET only asks
    response = client.post(
        f"/fr/admin/chamber/user/{apprentice.pk}/erase/", {"post": "yes", "note": "Request"}
    )
    assert response.status_code == 302
    assert response.url == page
    assert Erasure.objects.get().note == "Request"


@pytest.mark.django_db
@pytest.mark.parametrize("note", ["Demande\x00", "x" * 2001])
def test_a_reason_the_portal_cannot_keep_is_explained_and_nobody_erased(
    client_as, apprentice, note
):
    response = client_as("staff").post(
        f"/fr/admin/chamber/user/{apprentice.pk}/erase/", {"post": "yes", "note": note}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["note"]
    assert not Erasure.objects.exists()


@pytest.mark.django_db
def test_staff_erase_people_with_the_list_action(client_as, users):
    client = client_as("staff")
    people = [users("coop_a"), users("president_a")]
    ids = [str(person.pk) for person in people]
    confirmation = client.post(
        "/fr/admin/chamber/user/", {"action": "erase_people", "_selected_action": ids}
    )
    assert confirmation.status_code == 200
    assert not Erasure.objects.exists()
    client.post(
        "/fr/admin/chamber/user/",
        {"action": "erase_people", "_selected_action": ids, "post": "yes"},
    )
    assert set(Erasure.objects.values_list("person", flat=True)) == {p.pk for p in people}


@pytest.mark.django_db
def test_the_list_action_leaves_out_the_accounts_staff_may_not_erase(client_as, users):
    staff = users("staff")
    colleague = factories.StaffFactory(username="colleague")
    ids = [str(staff.pk), str(colleague.pk), str(users("coop_a").pk)]
    client_as("staff").post(
        "/fr/admin/chamber/user/",
        {"action": "erase_people", "_selected_action": ids, "post": "yes"},
    )
    assert list(Erasure.objects.values_list("person", flat=True)) == [users("coop_a").pk]


@pytest.mark.django_db
def test_the_erase_page_of_another_staff_account_is_refused_to_staff(client_as):
    colleague = factories.StaffFactory(username="colleague", role=Role.STAFF)
    response = client_as("staff").get(f"/fr/admin/chamber/user/{colleague.pk}/erase/")
    assert response.status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_the_erase_page_renders_in_each_language(client_as, users, lang):
    person = users("coop_a")
    response = client_as("staff").get(f"/{lang}/admin/chamber/user/{person.pk}/erase/")
    assert response.status_code == 200
    assert f'lang="{lang}"' in response.content.decode()
