import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_the_home_page_opens_in_arabic_and_switches_to_french(page: Page, portal):
    page.goto(f"{portal}/ar/")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "بنايات مغلقة تفتح أبوابها من جديد للحرف"
    )

    page.get_by_role("link", name="français").click()
    expect(page).to_have_url(f"{portal}/fr/")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Des bâtiments fermés, rouverts pour l'artisanat"
    )


def test_the_first_tab_reaches_the_skip_link_which_leads_to_the_content(page: Page, portal):
    page.goto(f"{portal}/fr/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{portal}/fr/#main")


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_at_360_pixels_the_home_page_does_not_scroll_sideways(page: Page, portal, lang):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{portal}/{lang}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    expect(
        page.get_by_role("link", name="Se connecter" if lang == "fr" else "تسجيل الدخول").first
    ).to_be_visible()
