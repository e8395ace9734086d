import pytest

from chamber.models import Craft
from spaces.models import Space
from tests import factories

pytestmark = pytest.mark.django_db


def names(response):
    return sorted(space.name for space in response.context["page_obj"])


def located_halls(count, communes):
    """`count` available halls with a position, taking turns in `communes`, in one query."""
    Space.objects.bulk_create(
        Space(
            commune=communes[n % len(communes)],
            name=f"Salle {n}",
            kind="community_hall",
            floor_area_m2=50 + n % 300,
            capacity=20,
            condition="ready",
            ownership="commune",
            status="available",
            latitude="28.8",
            longitude="-10.1",
        )
        for n in range(count)
    )


@pytest.fixture
def spaces(commune_a, commune_b):
    weaving = Craft.objects.get(code="tissage-tapis")
    hall = factories.SpaceFactory(
        commune=commune_a,
        name="Salle Asrir",
        floor_area_m2=300,
        has_water=True,
        has_electricity=True,
    )
    hall.crafts.add(weaving)
    factories.SpaceFactory(
        commune=commune_b,
        name="Maison El Ouatia",
        kind="youth_centre",
        floor_area_m2=80,
        has_electricity=True,
        status="occupied",
        condition="minor_works",
    )
    factories.SpaceFactory(commune=commune_a, name="Proposition cachée", status="proposed")
    factories.SpaceFactory(commune=commune_b, name="Refusée", status="rejected")


def test_the_catalogue_lists_available_and_occupied_spaces_only(client, spaces):
    assert names(client.get("/fr/spaces/")) == ["Maison El Ouatia", "Salle Asrir"]


def test_occupied_spaces_are_marked_as_such(client, spaces):
    html = client.get("/fr/spaces/").content.decode()
    assert 'class="badge badge--occupied">Occupé<' in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"province": "PROVINCE_A"}, ["Salle Asrir"]),
        ({"commune": "COMMUNE_B"}, ["Maison El Ouatia"]),
        ({"kind": "youth_centre"}, ["Maison El Ouatia"]),
        ({"craft": "CRAFT"}, ["Salle Asrir"]),
        ({"utilities": ["has_water", "has_electricity"]}, ["Salle Asrir"]),
        ({"utilities": ["has_electricity"]}, ["Maison El Ouatia", "Salle Asrir"]),
        ({"min_area": "100"}, ["Salle Asrir"]),
        ({"condition": "minor_works"}, ["Maison El Ouatia"]),
        ({"available_only": "on"}, ["Salle Asrir"]),
        ({"q": "ouatia"}, ["Maison El Ouatia"]),
        ({"q": "الوطية"}, ["Maison El Ouatia"]),
        ({"q": "cachée"}, []),
    ],
)
def test_each_filter_narrows_the_catalogue(client, spaces, commune_a, commune_b, query, expected):
    substitutes = {
        "PROVINCE_A": commune_a.province_id,
        "COMMUNE_B": commune_b.pk,
        "CRAFT": Craft.objects.get(code="tissage-tapis").pk,
    }
    query = {k: substitutes.get(v, v) if isinstance(v, str) else v for k, v in query.items()}
    assert names(client.get("/fr/spaces/", query)) == expected


def test_sorting_by_floor_area(client, spaces):
    response = client.get("/fr/spaces/", {"sort": "-floor_area_m2"})
    assert [s.name for s in response.context["page_obj"]] == ["Salle Asrir", "Maison El Ouatia"]


@pytest.mark.parametrize(
    "query",
    [
        {"commune": "999999"},
        {"commune": "abc"},
        {"kind": "castle"},
        {"sort": "password"},
        {"min_area": "-5"},
        {"min_area": "lots"},
        {"utilities": ["has_water", "is_superuser"]},
    ],
)
def test_an_unknown_filter_value_never_breaks_the_catalogue(client, spaces, query):
    response = client.get("/fr/spaces/", query)
    assert response.status_code == 200
    assert response.context["filter"].form.errors
    assert len(names(response)) == 2  # the bad value is ignored


@pytest.mark.parametrize("number", ["999", "abc", "0", "-1"])
def test_a_page_that_does_not_exist_shows_the_nearest_one(client, spaces, number):
    response = client.get("/fr/spaces/", {"page": number})
    assert response.status_code == 200
    assert len(names(response)) == 2


def test_filters_stay_in_the_pagination_links(client, commune_a):
    factories.SpaceFactory.create_batch(25, commune=commune_a)
    html = client.get("/fr/spaces/", {"kind": "community_hall"}).content.decode()
    assert "?kind=community_hall&amp;page=2" in html


def test_the_map_shows_the_located_spaces_of_the_result(client, commune_a):
    factories.SpaceFactory(commune=commune_a, name="Située", latitude="28.83", longitude="-10.09")
    factories.SpaceFactory(commune=commune_a, name="Sans position")
    factories.SpaceFactory(
        commune=commune_a, name="Autre type", kind="workshop", latitude="28.8", longitude="-10.1"
    )
    data = client.get("/fr/spaces/map-points.json", {"kind": "community_hall"}).json()
    assert [point["name"] for point in data["points"]] == ["Située"]
    assert data["truncated"] is False


def test_the_catalogue_page_links_its_map_to_the_same_search(client, spaces):
    html = client.get("/fr/spaces/", {"kind": "youth_centre", "page": "1"}).content.decode()
    assert 'data-points-url="/fr/spaces/map-points.json?kind=youth_centre"' in html


def test_the_map_points_of_5000_spaces_take_one_query(client, commune_a, django_assert_num_queries):
    located_halls(5000, [commune_a])
    with django_assert_num_queries(1):
        data = client.get("/fr/spaces/map-points.json").json()
    assert len(data["points"]) == 1000
    assert data["truncated"] is True


@pytest.mark.parametrize("page_size", [5, 20])
def test_the_catalogue_reads_5000_spaces_in_a_fixed_number_of_queries(
    client, commune_a, commune_b, django_assert_max_num_queries, page_size, monkeypatch
):
    from spaces.views import CatalogueView

    monkeypatch.setattr(CatalogueView, "paginate_by", page_size)
    located_halls(5000, [commune_a, commune_b])
    first = Space.objects.order_by("pk").first()
    factories.SpaceFactory(commune=commune_a)  # and one with a cover photo
    from spaces import services
    from tests.spaces.images import jpeg

    services.add_photo(first.pk, actor=factories.StaffFactory(), upload=jpeg())
    # session/user-free visitor request: count, page, map points, filter choices
    with django_assert_max_num_queries(8):
        response = client.get("/fr/spaces/", {"utilities": ["has_water"], "sort": "name"})
    assert response.status_code == 200
    with django_assert_max_num_queries(8):
        response = client.get("/fr/spaces/")
    assert len(response.context["page_obj"]) == page_size
    assert response.context["paginator"].count == 5001
