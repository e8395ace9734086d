from datetime import timedelta

import pytest
from django.utils import timezone

from chamber.models import Craft, User
from chamber.submissions import new_token
from cooperatives.models import (
    ApplicationStatus,
    Cooperative,
    RepresentativeStatus,
    SpaceApplication,
)
from tests import factories

pytestmark = pytest.mark.django_db


def sign_up_data(commune, **changes):
    data = {
        "first_name": "Fatima",
        "last_name": "Oubella",
        "email": "fatima@example.org",
        "language": "fr",
        "username": "fatima",
        "password1": "a-long-password-2026",
        "password2": "a-long-password-2026",
        "which": "new",
        "registration_number": "2025/0099",
        "function": "Présidente",
        "name": "Coopérative Tafoukt",
        "commune": commune.pk,
        "women_members": "14",
        "men_members": "2",
        "form_token": new_token(),
    }
    data.update(changes)
    return data


def apply_data(commune, **changes):
    data = {
        "target": "commune",
        "commune": commune.pk,
        "craft": Craft.objects.get(code="tissage-tapis").pk,
        "description": "Tissage de tapis.",
        "beneficiaries": "12",
        "women_beneficiaries": "10",
        "days_per_week": "3",
        "starts_on": (timezone.localdate() + timedelta(days=20)).isoformat(),
        "duration_months": "12",
        "form_token": new_token(),
    }
    data.update(changes)
    return data


def test_the_directory_lists_verified_cooperatives_only(client, cooperative_a):
    factories.CooperativeFactory(name="Pas encore vérifiée", verified=False)
    names = [c.name for c in client.get("/fr/cooperatives/").context["page_obj"]]
    assert names == ["Coopérative A"]


def test_the_directory_filters_women_led_cooperatives(client, commune_a):
    factories.CooperativeFactory(name="Femmes", women_members=9, men_members=1, under_30_members=0)
    factories.CooperativeFactory(name="Mixte", women_members=2, men_members=8, under_30_members=0)
    response = client.get("/fr/cooperatives/", {"women_led": "on"})
    assert [c.name for c in response.context["page_obj"]] == ["Femmes"]


def test_the_directory_reads_in_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    factories.CooperativeFactory.create_batch(30)
    with django_assert_max_num_queries(7):
        client.get("/fr/cooperatives/")


def test_a_public_profile_shows_members_but_no_contact(client, cooperative_a):
    Cooperative.objects.filter(pk=cooperative_a.pk).update(phone="+212 600 111 222")
    html = client.get(f"/fr/cooperatives/{cooperative_a.pk}/").content.decode()
    assert "12 au total" in html
    assert "06 00 11 12 22" not in html and "600111222" not in html


def test_staff_see_the_contact(client_as, cooperative_a):
    Cooperative.objects.filter(pk=cooperative_a.pk).update(phone="+212 600 111 222")
    html = client_as("staff").get(f"/fr/cooperatives/{cooperative_a.pk}/").content.decode()
    assert '<a href="tel:+212600111222" dir="ltr">06 00 11 12 22</a>' in html


def test_a_person_signs_up_for_a_new_cooperative(client, commune_a):
    response = client.post("/fr/cooperatives/join/", sign_up_data(commune_a))
    assert response.status_code == 302
    assert response.url == "/fr/cooperatives/mine/"
    user = User.objects.get(username="fatima")
    assert user.representation.status == RepresentativeStatus.PENDING
    assert user.representation.cooperative.name == "Coopérative Tafoukt"
    assert "_auth_user_id" in client.session


def test_a_duplicate_registration_number_is_explained_and_nothing_is_lost(
    client, commune_a, cooperative_a
):
    data = sign_up_data(commune_a, registration_number=cooperative_a.registration_number)
    response = client.post("/fr/cooperatives/join/", data)
    assert response.status_code == 200
    assert "déjà enregistrée" in " ".join(response.context["form"].errors["registration_number"])
    html = response.content.decode()
    assert 'value="Coopérative Tafoukt"' in html and 'value="fatima@example.org"' in html
    assert not User.objects.filter(username="fatima").exists()


def test_asking_to_represent_a_known_cooperative_gives_no_access_before_verification(
    client, commune_a, cooperative_a, application_a
):
    data = sign_up_data(
        commune_a, which="existing", registration_number=cooperative_a.registration_number
    )
    client.post("/fr/cooperatives/join/", data)
    user = User.objects.get(username="fatima")
    assert user.representation.cooperative == cooperative_a
    assert client.get(f"/fr/cooperatives/applications/{application_a.pk}/").status_code == 404
    assert client.get("/fr/cooperatives/mine/").context["applications"] == []
    response = client.get("/fr/cooperatives/apply/")
    assert response.status_code == 302 and response.url == "/fr/cooperatives/mine/"


def test_staff_verify_a_request_from_their_queue(client_as, commune_a):
    pending = factories.RepresentativeFactory(status="pending")
    client = client_as("staff")
    assert pending in [
        r for r, _form in client.get("/fr/cooperatives/staff/representatives/").context["requests"]
    ]
    response = client.post(f"/fr/cooperatives/staff/representatives/{pending.pk}/verify/")
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == RepresentativeStatus.VERIFIED


def test_a_refusal_without_a_reason_is_explained_on_its_field(client_as):
    pending = factories.RepresentativeFactory(status="pending")
    response = client_as("staff").post(
        f"/fr/cooperatives/staff/representatives/{pending.pk}/refuse/", {f"{pending.pk}-note": ""}
    )
    assert response.status_code == 400
    failed = dict(response.context["requests"])[pending]
    assert failed.errors["note"]


def test_a_representative_applies_from_a_space_page(client_as, commune_a):
    space = factories.SpaceFactory(commune=commune_a, status="available")
    client = client_as("coop_a")
    assert (
        f"/fr/cooperatives/apply/?space={space.pk}"
        in client.get(f"/fr/spaces/{space.pk}/").content.decode()
    )
    form = client.get(f"/fr/cooperatives/apply/?space={space.pk}").context["form"]
    assert form.initial["space"] == space
    data = apply_data(commune_a, target="space", space=space.pk)
    response = client.post("/fr/cooperatives/apply/", data)
    application = SpaceApplication.objects.get()
    assert response.url == f"/fr/cooperatives/applications/{application.pk}/"
    assert (application.space, application.commune, application.status) == (space, None, "draft")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"women_beneficiaries": "20"}, "women_beneficiaries", "plus nombreuses"),
        ({"starts_on": "2020-01-01"}, "starts_on", "passé"),
        ({"days_per_week": "8"}, "days_per_week", "inférieure ou égale à 7"),
        ({"target": "space"}, "space", "Choisissez"),
        ({"beneficiaries": "beaucoup"}, "beneficiaries", "nombre entier"),
    ],
)
def test_bad_applications_are_explained_on_their_field_and_kept(
    client_as, commune_a, changes, field, message
):
    response = client_as("coop_a").post("/fr/cooperatives/apply/", apply_data(commune_a, **changes))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "Tissage de tapis." in response.content.decode()
    assert not SpaceApplication.objects.exists()


def test_applying_twice_for_the_same_space_is_explained(client_as, commune_a):
    space = factories.SpaceFactory(commune=commune_a, status="available")
    client = client_as("coop_a")
    data = apply_data(commune_a, target="space", space=space.pk)
    client.post("/fr/cooperatives/apply/", data)
    # From a second tab: the same answers, another page (another token).
    response = client.post("/fr/cooperatives/apply/", {**data, "form_token": new_token()})
    assert response.status_code == 200
    assert "déjà une demande en cours" in " ".join(response.context["form"].errors["space"])
    assert SpaceApplication.objects.count() == 1


def test_cooperative_b_never_sees_cooperative_a_application(client_as, application_a):
    client = client_as("coop_b")
    assert client.get(f"/fr/cooperatives/applications/{application_a.pk}/").status_code == 404
    assert client.get(f"/fr/cooperatives/applications/{application_a.pk}/edit/").status_code == 404
    response = client.post(f"/fr/cooperatives/applications/{application_a.pk}/submit/")
    assert response.status_code == 404
    application_a.refresh_from_db()
    assert application_a.status == ApplicationStatus.DRAFT


def test_the_journey_reject_read_the_reason_and_apply_again(client_as, application_a, users):
    coop = client_as("coop_a")
    coop.post(f"/fr/cooperatives/applications/{application_a.pk}/submit/")
    staff = factories.StaffFactory(username="khadija")
    from django.test import Client

    staff_client = Client()
    staff_client.force_login(staff)
    staff_client.post(f"/fr/cooperatives/applications/{application_a.pk}/start-review/")
    response = staff_client.post(
        f"/fr/cooperatives/applications/{application_a.pk}/reject/", {"note": "Pas d'eau."}
    )
    assert response.status_code == 302
    mine = coop.get("/fr/cooperatives/mine/").content.decode()
    assert "Pas d&#x27;eau." in mine
    response = coop.post(f"/fr/cooperatives/applications/{application_a.pk}/apply-again/")
    again = SpaceApplication.objects.exclude(pk=application_a.pk).get()
    assert response.url == f"/fr/cooperatives/applications/{again.pk}/edit/"
    coop.post(f"/fr/cooperatives/applications/{again.pk}/submit/")
    again.refresh_from_db()
    assert again.status == ApplicationStatus.SUBMITTED


def test_a_rejection_without_a_reason_is_explained_on_the_field(client_as, application_a, users):
    from cooperatives import services

    services.submit_application(application_a.pk, actor=users("coop_a"))
    services.start_review(application_a.pk, actor=users("staff"))
    response = client_as("staff").post(
        f"/fr/cooperatives/applications/{application_a.pk}/reject/", {"note": ""}
    )
    assert response.status_code == 400
    assert response.context["decision_form"].errors["note"]


def test_a_cooperative_cannot_reject_its_own_application(client_as, application_a):
    response = client_as("coop_a").post(
        f"/fr/cooperatives/applications/{application_a.pk}/reject/", {"note": "x"}
    )
    assert response.status_code == 403


def test_staff_file_for_a_cooperative_with_its_consent(client_as, cooperative_a, commune_a):
    client = client_as("staff")
    url = f"/fr/cooperatives/{cooperative_a.pk}/apply-for/"
    response = client.post(url, apply_data(commune_a))
    assert response.context["form"].errors["consent_note"]
    response = client.post(url, apply_data(commune_a, consent_note="Présidente, par téléphone"))
    application = SpaceApplication.objects.get()
    assert application.filed_by.username == "staff"
    html = client.get(f"/fr/cooperatives/applications/{application.pk}/").content.decode()
    assert "(la chambre, pour la coopérative)" in html


def test_staff_register_a_cooperative_with_a_clear_message_on_a_duplicate(
    client_as, cooperative_a, commune_a
):
    data = {
        "name": "Nouvelle",
        "registration_number": cooperative_a.registration_number,
        "commune": commune_a.pk,
        "women_members": "3",
        "men_members": "3",
        "under_30_members": "9",
    }
    response = client_as("staff").post("/fr/cooperatives/staff/register/", data)
    errors = response.context["form"].errors
    assert "déjà enregistrée" in " ".join(errors["registration_number"])
    assert errors["under_30_members"]


def test_the_staff_queue_filters_by_status(client_as, application_a, users):
    from cooperatives import services

    services.submit_application(application_a.pk, actor=users("coop_a"))
    client = client_as("staff")
    assert list(client.get("/fr/cooperatives/staff/applications/").context["page_obj"]) == [
        application_a
    ]
    response = client.get("/fr/cooperatives/staff/applications/", {"status": "under_review"})
    assert list(response.context["page_obj"]) == []


@pytest.mark.parametrize("spelling", ["2016-0412", "2016/412", " 2016/0412 "])
def test_a_registration_number_written_another_way_is_the_same_cooperative(
    client, commune_a, spelling
):
    factories.CooperativeFactory(registration_number="2016/0412")
    response = client.post(
        "/fr/cooperatives/join/", sign_up_data(commune_a, registration_number=spelling)
    )
    assert "déjà enregistrée" in " ".join(response.context["form"].errors["registration_number"])


def test_joining_a_known_cooperative_works_with_another_spelling(client, commune_a):
    known = factories.CooperativeFactory(registration_number="2016/0412")
    client.post(
        "/fr/cooperatives/join/",
        sign_up_data(commune_a, which="existing", registration_number="2016-412"),
    )
    assert User.objects.get(username="fatima").representation.cooperative == known


def test_huge_member_counts_are_explained_not_a_server_error(client, commune_a):
    response = client.post(
        "/fr/cooperatives/join/", sign_up_data(commune_a, women_members=str(10**20))
    )
    assert response.status_code == 200
    assert response.context["form"].errors["women_members"]


def test_the_sign_up_form_speaks_the_pages_language_by_default(client):
    assert client.get("/fr/cooperatives/join/").context["form"]["language"].value() == "fr"


def test_a_new_cooperative_needs_a_name_even_without_a_number(client, commune_a):
    response = client.post(
        "/fr/cooperatives/join/", sign_up_data(commune_a, name="", registration_number="")
    )
    errors = response.context["form"].errors
    assert "name" in errors and "registration_number" in errors


def test_a_representative_cannot_change_the_verified_name_or_number(client_as, cooperative_a):
    data = {
        "name": "Autre nom",
        "registration_number": "1999/1",
        "commune": cooperative_a.commune_id,
        "women_members": "10",
        "men_members": "2",
        "under_30_members": "4",
    }
    client_as("coop_a").post(f"/fr/cooperatives/{cooperative_a.pk}/edit/", data)
    cooperative_a.refresh_from_db()
    assert cooperative_a.name == "Coopérative A"
    assert cooperative_a.registration_number != "1999/1"


def test_communes_are_in_the_readers_alphabetical_order(client_as):
    form = client_as("coop_a").get("/ar/cooperatives/apply/").context["form"]
    names = [commune.name_ar for commune in form.fields["commune"].queryset]
    assert names == sorted(names)


def test_staff_changing_a_draft_is_recorded(client_as, application_a, commune_a):
    client_as("staff").post(
        f"/fr/cooperatives/applications/{application_a.pk}/edit/",
        apply_data(commune_a, beneficiaries="30"),
    )
    change = application_a.history.last()
    assert change.on_behalf and change.actor.username == "staff"


def test_a_request_decided_meanwhile_is_said_in_the_queue(client_as):
    pending = factories.RepresentativeFactory(status="verified")
    response = client_as("staff").post(
        f"/fr/cooperatives/staff/representatives/{pending.pk}/verify/", follow=True
    )
    assert "déjà été tranchée" in response.content.decode()


def test_filing_for_an_unverified_cooperative_is_refused_before_the_form(client_as):
    cooperative = factories.CooperativeFactory(verified=False)
    response = client_as("staff").get(f"/fr/cooperatives/{cooperative.pk}/apply-for/")
    assert response.status_code == 302
    assert response.url == f"/fr/cooperatives/{cooperative.pk}/"


def test_staff_are_not_offered_to_copy_what_a_cooperative_filed_itself(
    client_as, application_a, users
):
    from cooperatives import services

    services.withdraw_application(application_a.pk, actor=users("coop_a"))
    assert (
        "apply-again"
        not in client_as("staff")
        .get(f"/fr/cooperatives/applications/{application_a.pk}/")
        .context["actions"]
    )
    assert (
        "apply-again"
        in client_as("coop_a")
        .get(f"/fr/cooperatives/applications/{application_a.pk}/")
        .context["actions"]
    )


@pytest.mark.parametrize("value", ["²", "①", "1e309", "99999999999999999999", "\x00", "-1"])
def test_query_parameters_that_name_no_object_are_ignored(client_as, application_a, value):
    """`?space=`, `?province=` and `back=` are read by forms: whatever they hold, the page
    answers as if they were not there, never with a server error (a NUL byte in an address is
    a bad request, everywhere: portal.middleware.NoNullBytes)."""
    from cooperatives import services

    staff = client_as("staff")
    services.submit_application(application_a.pk, actor=application_a.filed_by)
    expected = 400 if "\x00" in value else 200
    assert (
        staff.get(
            f"/fr/cooperatives/applications/{application_a.pk}/approve/", {"space": value}
        ).status_code
        == expected
    )
    assert staff.get("/fr/cooperatives/staff/plan/", {"province": value}).status_code == expected
    response = staff.post(
        "/fr/cooperatives/staff/plan/steer/",
        {"application": value, "space": value, "kind": "lock", "reason": "x", "back": value},
    )
    assert response.status_code == 302 and response.url == "/fr/cooperatives/staff/plan/"


def test_a_representative_applying_from_an_unreadable_space_link_gets_the_form(
    client_as, application_a
):
    response = client_as("coop_a").get("/fr/cooperatives/apply/", {"space": "³"})
    assert response.status_code == 200
    assert response.context["form"].initial["target"] == "commune"
