"""Acceptance of the figures issue's import, as staff would do it in a browser: send a file of
50 cooperatives with three wrong rows, read the dry run, send the fixed file, import it, see
the figures page count them, and open the Excel export with its Arabic intact. Then the same
page imports spaces without JavaScript."""

import csv

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests import factories

pytestmark = pytest.mark.browser


def cooperatives_file(tmp_path, wrong: bool):
    rows = [[f"2024/{n:04d}", f"تعاونية الأمل {n}", "أسرير", "2024", "12"] for n in range(50)]
    if wrong:
        rows[10][2] = "Atlantis"
        rows[20][4] = "douze"
        rows[30][0] = rows[0][0]
    path = tmp_path / ("wrong.csv" if wrong else "fixed.csv")
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["registration_number", "name", "commune", "founded_year", "women_members"])
        writer.writerows(rows)
    return path


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_fifty_cooperatives_three_wrong_then_fixed_then_counted_and_exported(
    page: Page, portal, log_in, tmp_path, lang
):
    factories.StaffFactory(username="staff")
    log_in(page, lang, "staff")
    page.goto(f"{portal}/{lang}/figures/")
    expect(page.locator("ul.figures")).not_to_contain_text("50")

    page.goto(f"{portal}/{lang}/cooperatives/staff/import/")
    page.set_input_files("#id_file", cooperatives_file(tmp_path, wrong=True))
    page.locator("form[data-import-upload] button[type=submit]").click()
    report = page.locator("section[aria-labelledby=report-title]")
    expect(report.locator("[role=status]")).to_contain_text("47")
    expect(report.locator("tbody tr", has_text="Atlantis")).to_have_count(1)
    expect(report.locator("tbody tr", has_text="douze")).to_have_count(1)
    expect(report.locator("form[data-import-progress]")).to_have_count(0)  # nothing to confirm

    page.set_input_files("#id_file", cooperatives_file(tmp_path, wrong=False))
    page.locator("form[data-import-upload] button[type=submit]").click()
    confirm = page.locator("form[data-import-progress] button[type=submit]")
    expect(confirm).to_be_visible()
    confirm.click()
    expect(page).to_have_url(f"{portal}/{lang}/cooperatives/")
    expect(page.locator(".message, .messages").first).to_contain_text("50")

    page.goto(f"{portal}/{lang}/figures/")
    expect(page.locator("ul.figures li strong", has_text="50").first).to_be_visible()

    page.goto(f"{portal}/{lang}/figures/dashboard/")
    with page.expect_download() as download:
        page.locator("a[href*='/export/cooperatives.xlsx']").click()
    with download.value.path().open("rb") as file:
        sheet = load_workbook(file).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "تعاونية الأمل 7" in names


def test_spaces_import_without_javascript(browser, portal, log_in, tmp_path):
    factories.StaffFactory(username="staff")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, "ar", "staff")
    path = tmp_path / "spaces.csv"
    header = ["name", "commune", "kind", "floor_area_m2", "capacity", "condition", "ownership"]
    with path.open("w", encoding="cp1256", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        writer.writerow(["قاعة الحي", "أسرير", "دار الشباب", "90", "20", "ready", "commune"])
    page.goto(f"{portal}/ar/spaces/staff/import/")
    page.set_input_files("#id_file", path)
    page.locator("form[data-import-upload] button[type=submit]").click()
    page.locator("form[data-import-progress] button[type=submit]").click()
    expect(page).to_have_url(f"{portal}/ar/spaces/")
    expect(page.locator("main")).to_contain_text("قاعة الحي")
    context.close()
