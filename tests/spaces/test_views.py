import pytest

from chamber.submissions import new_token
from spaces import services
from spaces.models import Space, SpaceStatus
from tests import factories
from tests.spaces.images import image_bytes, jpeg, upload

pytestmark = pytest.mark.django_db

PROPOSAL = {
    "name": "Ancienne école de Tighmert",
    "kind": "former_school",
    "address": "Ksar Tighmert",
    "description": "Cinq salles.",
    "latitude": "28.834198",
    "longitude": "-10.090017",
    "floor_area_m2": "240",
    "rooms": "5",
    "capacity": "40",
    "has_electricity": "on",
    "condition": "minor_works",
    "works_cost_mad": "85000",
    "ownership": "commune",
    # One token for the module: each test's rows are rolled back, so each claims it afresh.
    "form_token": new_token(),
}


@pytest.fixture
def under_review(space_a, users):
    """Commune A's proposal `space_a`, its review started by staff."""
    services.start_review(space_a.pk, actor=users("staff"))
    return space_a


def test_a_president_proposes_a_space_and_is_sent_to_add_photos(client_as, commune_a):
    response = client_as("president_a").post("/fr/spaces/propose/", PROPOSAL)
    space = Space.objects.get()
    assert response.status_code == 302
    assert response.url == f"/fr/spaces/{space.pk}/media/"
    assert space.commune == commune_a
    assert space.has_electricity and not space.has_water


def test_a_proposal_cannot_be_filed_for_another_commune(client_as, commune_a, commune_b):
    client_as("president_a").post("/fr/spaces/propose/", {**PROPOSAL, "commune": commune_b.pk})
    assert Space.objects.get().commune == commune_a


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"floor_area_m2": "-20"}, "floor_area_m2", "supérieure ou égale"),
        ({"latitude": "48.85", "longitude": "2.35"}, "latitude", "hors du Maroc"),
        ({"latitude": "33.59", "longitude": "-7.62"}, "latitude", "hors de la région"),
        ({"longitude": ""}, "longitude", "latitude et la longitude"),
        ({"capacity": "beaucoup"}, "capacity", "nombre entier"),
    ],
)
def test_bad_input_is_explained_on_its_field_and_nothing_is_lost(
    client_as, commune_a, changes, field, message
):
    response = client_as("president_a").post("/fr/spaces/propose/", {**PROPOSAL, **changes})
    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    html = response.content.decode()
    assert 'value="Ancienne école de Tighmert"' in html
    assert f'aria-describedby="id_{field}_helptext id_{field}_error"' in html or (
        f'id="id_{field}_error"' in html
    )
    assert not Space.objects.exists()


def test_the_president_sees_their_communes_spaces_only(client_as, commune_a, commune_b):
    factories.SpaceFactory(commune=commune_a, name="Salle A", status="proposed")
    factories.SpaceFactory(commune=commune_b, name="Salle B", status="available")
    response = client_as("president_a").get("/fr/spaces/my-commune/")
    assert [s.name for s in response.context["spaces"]] == ["Salle A"]


def test_a_proposal_is_invisible_to_another_commune_and_the_public(client_as, space_a):
    assert client_as("president_b").get(f"/fr/spaces/{space_a.pk}/").status_code == 404


def test_the_president_of_another_commune_gets_404_on_the_edit_form(client_as, space_a):
    assert client_as("president_b").get(f"/fr/spaces/{space_a.pk}/edit/").status_code == 404


def test_a_public_space_of_another_commune_is_readable_but_not_editable(client_as, commune_a):
    space = factories.SpaceFactory(commune=commune_a, status="available")
    client = client_as("president_b")
    assert client.get(f"/fr/spaces/{space.pk}/").status_code == 200
    assert client.get(f"/fr/spaces/{space.pk}/edit/").status_code == 403
    assert client.post(f"/fr/spaces/{space.pk}/photos/add/", {"image": jpeg()}).status_code == 403


def test_once_under_review_the_edit_form_says_why_it_is_closed(client_as, under_review):
    client = client_as("president_a")
    response = client.get(f"/fr/spaces/{under_review.pk}/edit/", follow=True)
    assert response.redirect_chain[-1][0] == f"/fr/spaces/{under_review.pk}/"
    assert "ne peut plus" in response.content.decode()


def test_an_edit_posted_after_the_review_started_keeps_what_was_typed(client_as, under_review):
    client = client_as("president_a")
    response = client.post(
        f"/fr/spaces/{under_review.pk}/edit/", {**PROPOSAL, "name": "Nouveau nom"}
    )
    # The form is closed: the person is told why, on the space's page.
    assert response.status_code == 302
    under_review.refresh_from_db()
    assert under_review.name == "Foyer A"


def test_a_text_file_renamed_jpg_is_explained_and_the_caption_kept(client_as, space_a):
    response = client_as("president_a").post(
        f"/fr/spaces/{space_a.pk}/photos/add/",
        {"image": upload(b"hello, not an image"), "caption": "La cour intérieure"},
    )
    assert response.status_code == 400
    assert "n'est pas une photo" in " ".join(response.context["photo_form"].errors["image"])
    assert 'value="La cour intérieure"' in response.content.decode()
    assert space_a.photos.count() == 1


def test_an_oversized_image_is_explained(client_as, space_a, settings):
    settings.SPACE_PHOTO_MAX_BYTES = 2000
    response = client_as("president_a").post(
        f"/fr/spaces/{space_a.pk}/photos/add/", {"image": upload(image_bytes(size=(900, 900)))}
    )
    assert response.status_code == 400
    assert "la limite est de" in " ".join(response.context["photo_form"].errors["image"])


def test_a_fake_pdf_is_explained(client_as, space_a):
    response = client_as("president_a").post(
        f"/fr/spaces/{space_a.pk}/documents/add/",
        {"file": upload(b"<html></html>", "plan.pdf", "application/pdf"), "title": "Plan"},
    )
    assert response.status_code == 400
    assert response.context["document_form"].errors["file"]
    assert space_a.documents.count() == 1


def test_a_photo_upload_adds_a_photo(client_as, space_a):
    response = client_as("president_a").post(
        f"/fr/spaces/{space_a.pk}/photos/add/", {"image": jpeg(), "caption": "Salle"}
    )
    assert response.status_code == 302
    assert space_a.photos.count() == 2


def test_documents_are_served_as_pdf_attachments_to_the_commune(client_as, space_a):
    document = space_a.documents.get()
    response = client_as("president_a").get(f"/fr/spaces/{space_a.pk}/documents/{document.pk}.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"] == "sandbox"


def test_documents_of_a_public_space_stay_private(client_as, under_review, users):
    services.approve_space(under_review.pk, actor=users("staff"))
    document = under_review.documents.get()
    url = f"/fr/spaces/{under_review.pk}/documents/{document.pk}.pdf"
    assert client_as("coop_a").get(url).status_code == 404
    photo = under_review.photos.get()
    assert (
        client_as("coop_a")
        .get(f"/fr/spaces/{under_review.pk}/photos/{photo.pk}/thumb.jpg")
        .status_code
        == 200
    )


def test_a_photo_of_another_space_is_not_reachable_through_this_one(client_as, space_a, commune_a):
    other = factories.SpaceFactory(commune=commune_a, status="available")
    photo = space_a.photos.get()
    assert (
        client_as("staff").get(f"/fr/spaces/{other.pk}/photos/{photo.pk}/full.jpg").status_code
        == 404
    )


def test_staff_review_a_proposal_from_the_queue_to_the_catalogue(client_as, space_a):
    client = client_as("staff")
    queue = client.get("/fr/spaces/review/")
    assert space_a in queue.context["spaces"]
    assert client.post(f"/fr/spaces/{space_a.pk}/review/start/").status_code == 302
    response = client.post(f"/fr/spaces/{space_a.pk}/review/approve/", {"note": "Visité."})
    assert response.url == "/fr/spaces/review/"
    space_a.refresh_from_db()
    assert space_a.status == SpaceStatus.AVAILABLE
    catalogue = client.get("/fr/spaces/")
    assert space_a.pk in [s.pk for s in catalogue.context["page_obj"]]


def test_a_rejection_without_a_reason_is_explained_on_the_field(client_as, under_review):
    response = client_as("staff").post(
        f"/fr/spaces/{under_review.pk}/review/reject/", {"note": " "}
    )
    assert response.status_code == 400
    assert response.context["decision_form"].errors["note"]
    under_review.refresh_from_db()
    assert under_review.status == SpaceStatus.UNDER_REVIEW


def test_the_president_reads_the_reason_of_a_rejection(client_as, under_review, users):
    services.reject_space(under_review.pk, actor=users("staff"), note="Toiture dangereuse.")
    response = client_as("president_a").get(f"/fr/spaces/{under_review.pk}/")
    assert response.context["decision"].note == "Toiture dangereuse."
    assert "Toiture dangereuse." in response.content.decode()


def test_approving_twice_is_explained_not_an_error(client_as, under_review):
    client = client_as("staff")
    client.post(f"/fr/spaces/{under_review.pk}/review/approve/")
    response = client.post(f"/fr/spaces/{under_review.pk}/review/approve/")
    assert response.status_code == 400
    assert "ne peut pas devenir" in response.content.decode()


def test_the_president_withdraws_a_proposal(client_as, space_a):
    response = client_as("president_a").post(f"/fr/spaces/{space_a.pk}/withdraw/", {"note": ""})
    assert response.url == "/fr/spaces/my-commune/"
    space_a.refresh_from_db()
    assert space_a.status == SpaceStatus.WITHDRAWN


def test_a_president_of_another_commune_cannot_withdraw(client_as, space_a):
    assert client_as("president_b").post(f"/fr/spaces/{space_a.pk}/withdraw/").status_code == 404
    space_a.refresh_from_db()
    assert space_a.status == SpaceStatus.PROPOSED


def test_a_cooperative_cannot_approve(client_as, space_a):
    assert client_as("coop_a").post(f"/fr/spaces/{space_a.pk}/review/approve/").status_code == 403


def test_a_huge_id_is_a_404_not_an_error(client):
    assert client.get("/fr/spaces/99999999999999999999999/").status_code == 404


def test_a_space_whose_proposer_account_was_deleted_still_shows(client_as, under_review, users):
    users("president_a").delete()
    client = client_as("staff")
    assert client.get(f"/fr/spaces/{under_review.pk}/review/").status_code == 200
    assert client.get(f"/fr/spaces/{under_review.pk}/").status_code == 200


@pytest.mark.parametrize("action", ["photos/add", "documents/add", "withdraw", "review/start"])
def test_posting_to_a_space_that_does_not_exist_is_a_404(client_as, action):
    role = "staff" if action == "review/start" else "president_a"
    response = client_as(role).post(f"/fr/spaces/987654/{action}/", {"image": jpeg()})
    assert response.status_code == 404


def test_uploading_to_another_communes_proposal_is_a_404(client_as, space_a):
    response = client_as("president_b").post(
        f"/fr/spaces/{space_a.pk}/photos/add/", {"image": jpeg()}
    )
    assert response.status_code == 404
    assert space_a.photos.count() == 1


def test_a_withdrawal_with_a_too_long_reason_is_explained_and_not_done(client_as, space_a):
    response = client_as("president_a").post(
        f"/fr/spaces/{space_a.pk}/withdraw/", {"note": "x" * 2001}
    )
    assert response.status_code == 400
    assert response.context["withdraw_form"].errors["note"]
    space_a.refresh_from_db()
    assert space_a.status == SpaceStatus.PROPOSED


def test_the_media_page_after_the_review_started_says_why(client_as, under_review):
    response = client_as("president_a").get(f"/fr/spaces/{under_review.pk}/media/")
    assert response.status_code == 302
    assert response.url == f"/fr/spaces/{under_review.pk}/"


@pytest.mark.parametrize(
    ("latitude", "longitude", "stored"),
    [
        ("28,834198", "-10,090017", ("28.834198", "-10.090017")),
        ("28.83419812345", "-10.0900171234", ("28.834198", "-10.090017")),
        (" 28.8342 ", "\u221210.09", ("28.834200", "-10.090000")),
    ],
)
def test_coordinates_are_read_as_people_type_them(
    client_as, commune_a, latitude, longitude, stored
):
    client_as("president_a").post(
        "/fr/spaces/propose/", {**PROPOSAL, "latitude": latitude, "longitude": longitude}
    )
    space = Space.objects.get()
    assert (str(space.latitude), str(space.longitude)) == stored


@pytest.mark.parametrize("value", ["1e30", "Infinity", "-Infinity", "sNaN", "NaN", "1e309"])
@pytest.mark.parametrize("field", ["latitude", "longitude"])
def test_a_coordinate_that_is_no_number_is_explained_on_its_field(
    client_as, commune_a, space_a, field, value
):
    client = client_as("president_a")
    response = client.post("/fr/spaces/propose/", {**PROPOSAL, field: value})
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    edit = client.post(f"/fr/spaces/{space_a.pk}/edit/", {**PROPOSAL, field: value})
    assert edit.status_code == 200
    assert edit.context["form"].errors[field]
    assert Space.objects.count() == 1


def test_a_negative_area_says_at_least_one(client_as, commune_a):
    response = client_as("president_a").post("/fr/spaces/propose/", {**PROPOSAL, "rooms": "0"})
    assert "supérieure ou égale à 1" in " ".join(response.context["form"].errors["rooms"])


def test_without_a_tile_server_the_form_offers_no_blank_map(client_as, commune_a, settings):
    settings.MAP_TILES_URL = ""
    html = client_as("president_a").get("/fr/spaces/propose/").content.decode()
    assert 'id="location-picker"' not in html
    settings.MAP_TILES_URL = "https://tiles.example/{z}/{x}/{y}.png"
    html = client_as("president_a").get("/fr/spaces/propose/").content.decode()
    assert 'id="location-picker"' in html


@pytest.mark.on_day("2026-12-01")
def test_staff_terminate_an_allocation_with_a_reason_shown_on_the_field_when_missing(
    client_as, users, commune_a, allocation_of
):
    allocation = allocation_of(factories.SpaceFactory(commune=commune_a))
    client = client_as("staff")
    url = f"/fr/spaces/allocations/{allocation.pk}/terminated/"
    refused = client.post(url, {f"close-{allocation.pk}-note": "  "})
    assert refused.status_code == 400
    [row] = refused.context["rows"]
    assert row["form"].errors["note"]
    assert client.post(url, {f"close-{allocation.pk}-note": "Fermée\x00"}).status_code == 400
    response = client.post(url, {f"close-{allocation.pk}-note": "La coopérative a cessé."})
    assert response.status_code == 302
    closed = allocation.history.last()
    assert (closed.to_status, closed.note, closed.actor) == (
        "terminated",
        "La coopérative a cessé.",
        users("staff"),
    )


def test_a_president_cannot_close_an_allocation(client_as, commune_a):
    allocation = factories.AllocationFactory(space__commune=commune_a)
    response = client_as("president_a").post(f"/fr/spaces/allocations/{allocation.pk}/ended/")
    assert response.status_code == 403
    allocation.refresh_from_db()
    assert allocation.status == "active"


@pytest.mark.parametrize("word", ["explode", "APPROVE", "approve%00"])
def test_a_review_decision_the_portal_does_not_know_is_a_404(client_as, space_a, word):
    assert client_as("staff").post(f"/fr/spaces/{space_a.pk}/review/{word}/").status_code == 404


@pytest.mark.on_day("2026-12-01")
def test_the_agreement_says_who_closed_it_when_and_why(client_as, users, commune_a, allocation_of):
    from spaces import services

    space = factories.SpaceFactory(commune=commune_a)
    allocation = allocation_of(space)
    services.close_allocation(
        allocation.pk, actor=users("staff"), to="terminated", note="La coopérative a cessé."
    )
    client = client_as("president_a")
    html = client.get(f"/fr/spaces/allocations/{allocation.pk}/agreement/").content.decode()
    assert "clôturée le 1 décembre 2026 par" in html and "La coopérative a cessé." in html
    occupancy = client.get(f"/ar/spaces/{space.pk}/occupancy/").content.decode()
    assert "La coopérative a cessé." in occupancy


@pytest.mark.on_day("2026-12-01")
def test_an_allocation_the_portal_ended_says_so_in_the_readers_language(
    client_as, commune_a, allocation_of
):
    from datetime import date

    from spaces import services

    space = factories.SpaceFactory(commune=commune_a)
    allocation = allocation_of(space, starts_on=date(2026, 1, 5), ends_on=date(2026, 6, 30))
    services.end_past_allocations()
    html = client_as("staff").get(f"/fr/spaces/allocations/{allocation.pk}/agreement/")
    said = html.content.decode()
    assert (
        "par <bdi>le portail</bdi>" in said and "La période de l’attribution est terminée." in said
    )


def test_a_note_the_portal_wrote_on_a_space_is_read_in_the_readers_language(client_as, users):
    from chamber import workflow

    space = factories.SpaceFactory(status="available")
    workflow.record_creation(
        space, actor=users("staff"), note="Imported from a file by the chamber."
    )
    html = client_as("staff").get(f"/fr/spaces/{space.pk}/").content.decode()
    assert "Imported from a file" not in html
