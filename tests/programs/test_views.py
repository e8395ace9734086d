from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from chamber.models import User
from chamber.submissions import new_token
from programs import services
from programs.models import Enrolment, RoadmapAction
from tests import factories
from tests.concurrency import DONE, at_the_same_moment

# Fixed dates below: the tests run on this day, whatever the calendar says.
pytestmark = [pytest.mark.django_db, pytest.mark.on_day("2026-12-01")]


def refused_in_the_admin(client_as, url, data):
    """Posts `data` to the admin form at `url` as the superuser: the form is shown again, and
    its errors are returned."""
    response = client_as("superuser").post(url, data)
    assert response.status_code == 200
    return response.context["adminform"].form.errors


def test_a_young_person_signs_up_and_applies_in_french(client, cohort, commune_a):
    response = client.post(
        "/fr/programmes/join/",
        {
            "first_name": "Youssef",
            "last_name": "Amlal",
            "email": "y@example.org",
            "language": "fr",
            "username": "youssef",
            "password1": "a-long-password-2026",
            "password2": "a-long-password-2026",
            "birth_date": (timezone.localdate() - timedelta(days=17 * 366)).isoformat(),
            "school_level": "primary_6",
            "commune": commune_a.pk,
            "form_token": new_token(),
        },
    )
    assert response.status_code == 302
    response = client.post(f"/fr/programmes/cohorts/{cohort.pk}/apply/")
    assert response.url == "/fr/programmes/mine/"
    assert Enrolment.objects.get().apprentice.user.username == "youssef"


def test_a_birth_date_in_the_future_is_explained_and_kept(client, commune_a):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(
        "/fr/programmes/join/",
        {
            "first_name": "Y",
            "last_name": "A",
            "birth_date": tomorrow,
            "username": "y",
            "school_level": "primary_6",
            "commune": commune_a.pk,
        },
    )
    assert "futur" in " ".join(response.context["form"].errors["birth_date"])
    assert f'value="{tomorrow}"' in response.content.decode()
    assert not User.objects.filter(username="y").exists()


def test_a_refusal_reason_reaches_the_young_person(client_as, client, cohort, young):
    person = young(age=31)
    client.force_login(person)
    response = client.post(f"/ar/programmes/cohorts/{cohort.pk}/apply/", follow=True)
    assert "31" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_an_apprentice_sees_only_their_own_enrolments(client, cohort, young):
    first, second = young(), young()
    mine = services.apply_to_cohort(cohort.pk, actor=first)
    theirs = services.apply_to_cohort(cohort.pk, actor=second)
    client.force_login(first)
    assert list(client.get("/fr/programmes/mine/").context["enrolments"]) == [mine]
    assert client.get(f"/fr/programmes/enrolments/{theirs.pk}/").status_code == 404


def test_master_artisans_contacts_never_reach_the_public(client, cohort):
    html = client.get("/fr/programmes/safeguarding/").content.decode()
    assert "Maâlema Aicha" in html
    assert "+212 611" not in html
    assert "+212 611" not in client.get(f"/fr/programmes/cohorts/{cohort.pk}/").content.decode()


def test_staff_complete_a_cohort_print_the_certificate_and_the_figure_goes_up(
    client_as, cohort, young
):
    def trained():
        page = client_as("visitor").get("/fr/programmes/apprenticeship/")
        return next(
            row["achieved"]
            for row in page.context["objectives"]
            if row["objective"].indicator == "apprentices_trained"
        )

    before = trained()
    enrolment = services.apply_to_cohort(cohort.pk, actor=young(age=17))
    staff = client_as("staff")
    staff.post(f"/fr/programmes/enrolments/{enrolment.pk}/accept/")
    from programs.models import Cohort

    Cohort.objects.filter(pk=cohort.pk).update(  # the eleven months pass
        starts_on=timezone.localdate() - timedelta(days=340),
        ends_on=timezone.localdate() - timedelta(days=1),
    )
    for action in ("start", "complete"):
        staff.post(f"/fr/programmes/enrolments/{enrolment.pk}/{action}/")
    enrolment.refresh_from_db()
    assert enrolment.status == "completed"
    certificate = staff.get(f"/ar/programmes/enrolments/{enrolment.pk}/certificate/")
    assert certificate.status_code == 200
    assert enrolment.certificate_number in certificate.content.decode()
    assert trained() == before + 1


def test_accepting_more_than_the_seats_is_explained(client_as, cohort, young, users):
    enrolments = [services.apply_to_cohort(cohort.pk, actor=young()) for _ in range(3)]
    staff = client_as("staff")
    for enrolment in enrolments:
        response = staff.post(f"/fr/programmes/enrolments/{enrolment.pk}/accept/", follow=True)
    assert "places de cette cohorte sont prises" in response.content.decode()
    assert Enrolment.objects.filter(status="accepted").count() == 2


def test_a_cohort_ending_before_it_starts_is_explained_in_the_admin(client_as, cohort):
    errors = refused_in_the_admin(
        client_as,
        f"/fr/admin/programs/cohort/{cohort.pk}/change/",
        {
            "programme": cohort.programme_id,
            "craft": cohort.craft_id,
            "master": cohort.master_id,
            "starts_on": "2027-06-01",
            "ends_on": "2027-01-01",
            "seats": "10",
            "certificate": "attestation",
            "open_for_applications": "on",
        },
    )
    assert "ends_on" in errors


def test_the_roadmap_shows_communes_progress_and_late_actions(client, commune_a):
    from programs.models import Partner, Programme

    partner = Partner.objects.get(code="chamber")
    programme = Programme.objects.get(code="apprenticeship")
    RoadmapAction.objects.create(
        title="Rénover le toit",
        commune=commune_a,
        programme=programme,
        responsible=partner,
        due_on=timezone.localdate() - timedelta(days=3),
        status="in_progress",
        progress=40,
    )
    RoadmapAction.objects.create(
        title="Ouvrir l'atelier",
        commune=commune_a,
        programme=programme,
        responsible=partner,
        due_on=timezone.localdate() + timedelta(days=30),
        progress=80,
    )
    for lang, late in (("fr", "En retard"), ("ar", "متأخر")):
        html = client.get(f"/{lang}/programmes/roadmap/").content.decode()
        assert "Rénover le toit" in html and late in html
        assert html.count("roadmap-action--late") == 1
    page = client.get("/fr/programmes/roadmap/")
    [commune] = list(page.context["communes"])
    assert commune.progress == 60


@pytest.mark.django_db(transaction=True)
def test_concurrent_acceptances_never_fill_a_seat_twice(cohort, young):
    """Ten staff members accept ten applicants to a cohort of two seats at the same moment,
    each in its own database connection: two accepted, eight refused."""
    if connection.vendor != "postgresql":
        pytest.skip("the concurrency test runs against PostgreSQL (CI runs it there)")
    enrolments = [services.apply_to_cohort(cohort.pk, actor=young()) for _ in range(10)]
    staff = [factories.StaffFactory(username=f"s{n}") for n in range(10)]
    outcomes = at_the_same_moment(
        10, lambda n: services.accept_enrolment(enrolments[n].pk, actor=staff[n])
    )
    assert cohort.seats == 2
    assert len(outcomes) == 10
    assert list(outcomes.values()).count(DONE) == 2
    assert Enrolment.objects.filter(cohort=cohort, status="accepted").count() == 2


def test_an_apprentice_born_in_the_future_is_refused_in_the_admin(client_as, commune_a):
    user = factories.ApprenticeFactory(username="later")
    errors = refused_in_the_admin(
        client_as,
        "/fr/admin/programs/apprentice/add/",
        {
            "user": user.pk,
            "birth_date": "2031-01-01",
            "school_level": "literacy",
            "commune": commune_a.pk,
        },
    )
    assert "birth_date" in errors


def test_a_done_roadmap_action_must_be_complete(client_as, commune_a):
    from programs.models import Partner

    errors = refused_in_the_admin(
        client_as,
        "/fr/admin/programs/roadmapaction/add/",
        {
            "title": "X",
            "commune": commune_a.pk,
            "responsible": Partner.objects.get(code="chamber").pk,
            "due_on": "2027-01-01",
            "status": "done",
            "progress": "10",
        },
    )
    assert "progress" in errors


def test_the_admin_moves_a_roadmap_action_through_the_workflow(client_as, users):
    action = factories.RoadmapActionFactory(status="planned")
    data = {
        "title": action.title,
        "commune": action.commune_id,
        "responsible": action.responsible_id,
        "due_on": action.due_on.isoformat(),
        "progress": "100",
        "note": "",
        "history-TOTAL_FORMS": "0",
        "history-INITIAL_FORMS": "0",
    }
    url = f"/fr/admin/programs/roadmapaction/{action.pk}/change/"
    assert "note" in refused_in_the_admin(client_as, url, {**data, "status": "cancelled"})
    response = client_as("superuser").post(url, {**data, "status": "done"})
    assert response.status_code == 302
    change = action.history.get()
    assert (change.from_status, change.to_status, change.actor) == (
        "planned",
        "done",
        users("superuser"),
    )


def test_an_action_added_in_the_admin_starts_its_history(client_as, commune_a, users):
    from programs.models import Partner, RoadmapAction

    response = client_as("superuser").post(
        "/fr/admin/programs/roadmapaction/add/",
        {
            "title": "Ouvrir l'atelier",
            "commune": commune_a.pk,
            "responsible": Partner.objects.get(code="chamber").pk,
            "due_on": "2027-01-01",
            "status": "planned",
            "progress": "0",
            "history-TOTAL_FORMS": "0",
            "history-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    change = RoadmapAction.objects.get(title="Ouvrir l'atelier").history.get()
    assert (change.from_status, change.to_status, change.actor) == (
        "",
        "planned",
        users("superuser"),
    )
