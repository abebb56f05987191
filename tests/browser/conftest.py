"""Browser tests: Playwright drives Debian's chromium against a live server; axe-core checks
every page visited and the test fails on any accessibility violation."""

import os
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe

from conftest import service_unavailable

# WCAG 2.1 A and AA, and axe's best practices (an empty table header, a second main landmark…),
# as an accessibility audit runs it by default.
AXE_RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        service_unavailable(f"chromium introuvable ({CHROMIUM}) : `make test` l'installe")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop; Django must not refuse DB calls in the tests.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class AccessiblePage:
    """A Playwright page that runs axe-core after each navigation it is asked to check."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.axe = Axe()

    def goto(self, path):
        self.page.goto(self.base_url + path)
        self.check()

    def check(self):
        self.page.wait_for_load_state("load")
        results = self.axe.run(self.page, options={"runOnly": AXE_RULES})
        violations = results.response["violations"]
        assert not violations, f"{self.page.url} :\n{results.generate_report()}"

    def __getattr__(self, name):
        return getattr(self.page, name)


@pytest.fixture
def page(browser, live_server, transactional_db):
    context = browser.new_context(locale="fr-FR", accept_downloads=True)
    raw_page = context.new_page()
    raw_page.set_default_timeout(15_000)
    yield AccessiblePage(raw_page, live_server.url)
    context.close()
