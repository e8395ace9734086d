"""Acceptance of the spaces issue, as people would do it: a president proposes a building
with two photos, staff approve it, and it appears in the catalogue and on the map with its
cover photo — in Arabic and in French."""

import pytest
from playwright.sync_api import Page, expect

from tests import factories
from tests.spaces.images import image_bytes

pytestmark = pytest.mark.browser


def photo(name: str) -> dict:
    return {"name": name, "mimeType": "image/jpeg", "buffer": image_bytes(size=(1200, 800))}


@pytest.fixture
def people(reference_data):
    president = factories.PresidentFactory(
        username="president", commune=factories.commune("10.261.05.05")
    )
    factories.StaffFactory(username="staff")
    return president


def test_a_proposal_with_two_photos_reaches_the_catalogue_and_the_map(
    page: Page, portal, log_in, people
):
    # The president proposes, in Arabic.
    log_in(page, "ar", "president")
    page.goto(f"{portal}/ar/spaces/propose/")
    page.fill("#id_name", "المدرسة القديمة بتغمرت")
    page.select_option("#id_kind", "former_school")
    page.fill("#id_latitude", "28.834198")
    page.fill("#id_longitude", "-10.090017")
    page.fill("#id_floor_area_m2", "240")
    page.fill("#id_rooms", "5")
    page.fill("#id_capacity", "40")
    page.check("#id_has_electricity")
    page.select_option("#id_condition", "minor_works")
    page.select_option("#id_ownership", "commune")
    page.locator("form.sectioned-form button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("تم حفظ اقتراحك")

    for name, caption in (("facade.jpg", "الواجهة"), ("salle.jpg", "القاعة الرئيسية")):
        page.set_input_files("#id_image", photo(name))
        page.fill("#id_caption", caption)
        page.locator("form.upload-form").first.locator("button[type=submit]").click()
        expect(page.locator(".messages")).to_contain_text("تمت إضافة الصورة")
    expect(page.locator(".media-item img")).to_have_count(2)
    page.locator("header form button").click()  # log out

    # Staff review it, in French.
    log_in(page, "fr", "staff")
    page.goto(f"{portal}/fr/spaces/review/")
    page.get_by_role("link", name="المدرسة القديمة بتغمرت").click()
    page.get_by_role("button", name="Commencer l'examen").click()
    page.fill("#id_note", "Visité le 12 novembre : salles saines.")
    page.get_by_role("button", name="Approuver : le mettre au catalogue").click()
    expect(page.locator(".messages")).to_contain_text("figure désormais au catalogue")
    page.locator("header form button").click()

    # Anyone finds it, with its cover photo and a marker, in both languages.
    for lang, heading in (("ar", "فضاءات للحرف"), ("fr", "Des espaces pour l'artisanat")):
        page.goto(f"{portal}/{lang}/spaces/")
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        card = page.locator(".space-card", has_text="المدرسة القديمة بتغمرت")
        expect(card.locator("img.space-card__photo")).to_be_visible()
        assert card.locator("img").evaluate("img => img.naturalWidth") == 480
        expect(page.locator("#catalogue-map .leaflet-interactive")).to_have_count(1)


def test_the_catalogue_works_without_javascript(browser, portal, reference_data):
    factories.SpaceFactory(name="Salle sans script", latitude="28.83", longitude="-10.09")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{portal}/fr/spaces/?kind=community_hall")
    expect(page.locator(".space-card")).to_have_count(1)
    expect(page.locator("#catalogue-map")).to_be_hidden()
    context.close()
