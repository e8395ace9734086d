"""Browser tests: Playwright drives Debian's Chromium (never a downloaded browser) against
Django's live server. Without /usr/bin/chromium they are skipped, except in CI where that is
a failure."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests import factories

CHROMIUM = Path("/usr/bin/chromium")


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists() or os.environ.get("CI") == "true":
        return
    skip = pytest.mark.skip(reason="Debian's chromium is not installed (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        # The machine has no network: keep Chromium from trying to reach Google's services.
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def portal(live_server, reference_data):
    """The live server's address, with the reference data a page needs."""
    return live_server.url


@pytest.fixture
def log_in(portal):
    """`log_in(page, "fr", "staff")`: that person logs in through the portal's login page in
    that language, with the factories' password unless another is given."""

    def fill_in(page: Page, lang: str, username: str, password: str = factories.PASSWORD):
        page.goto(f"{portal}/{lang}/account/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.locator("main button[type=submit]").click()

    return fill_in
