"""The portal started as an operator starts it (scripts/prod.sh, the script behind `make prod`):
gunicorn, a Celery worker and beat as separate processes, DEBUG=0, hashed static files,
PostgreSQL and Redis, on a free loopback port, with the demo school. Its own database: the
suite's test database is left alone.

PRODWALK_URL=http://127.0.0.1:8000 walks a portal already running instead (while developing)."""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from axe_playwright_python.sync_playwright import Axe
from psycopg import sql

from conftest import service_unavailable
from tests.browser.conftest import AXE_RULES, CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parent.parent.parent
START_TIMEOUT = 600  # collectstatic compresses ~100 MB of DSFR and API-docs assets first (~1 min)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _walk_database_url() -> str:
    """The suite's PostgreSQL server, a database of the walk's own (recreated each run)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        service_unavailable("la marche de production demande PostgreSQL (DATABASE_URL)")
    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_prodwalk"
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return urlunsplit(parts._replace(path="/" + name))


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/health/", timeout=5) as response:  # noqa: S310
            return response.status == 200
    except OSError:
        return False


@pytest.fixture(scope="session")
def portal_env(tmp_path_factory):
    for name in ("CELERY_BROKER_URL", "REDIS_URL"):
        if not os.environ.get(name):
            service_unavailable(f"la marche de production demande Redis ({name})")
    port = _free_port()
    env = {
        **os.environ,
        # A portal already running (PRODWALK_URL) is read in its own database.
        "DATABASE_URL": (
            os.environ["DATABASE_URL"] if os.environ.get("PRODWALK_URL") else _walk_database_url()
        ),
        "PORT": str(port),
        "SECRET_KEY": secrets.token_urlsafe(50),
        # Nothing in the walk sends mail; a refused connection would show as a server error.
        "EMAIL_URL": "smtp://127.0.0.1:25",
        "TRUSTED_PROXY_COUNT": "0",
        "MEDIA_ROOT": str(tmp_path_factory.mktemp("prodwalk-media")),
        "WEB_CONCURRENCY": "2",
        "CELERY_WORKER_CONCURRENCY": "2",
        "CELERY_BEAT_SCHEDULE_FILE": str(tmp_path_factory.mktemp("beat") / "schedule"),
        # Every session document goes through the worker, as big ones do.
        "SESSION_DOCUMENT_INLINE_MAX_PAGES": "0",
    }
    for name in ("DJANGO_SETTINGS_MODULE", "DEBUG", "REQUIRE_SERVICES"):
        env.pop(name, None)
    return env


@pytest.fixture(scope="session")
def portal_url(portal_env):
    if os.environ.get("PRODWALK_URL"):
        yield os.environ["PRODWALK_URL"].rstrip("/")
        return
    url = f"http://127.0.0.1:{portal_env['PORT']}"
    # Kept after the run (test-results/ is ignored by git): what web, worker and beat said.
    log_path = ROOT / "test-results" / "prodwalk-portal.log"
    log_path.parent.mkdir(exist_ok=True)
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            ["scripts/prod.sh"],
            cwd=ROOT,
            env=portal_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        # Our gunicorn, not another server that took the port while static files were collected.
        while not (f"Listening at: {url}" in log_path.read_text() and _healthy(url)):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"Le portail n'a pas démarré :\n{log_path.read_text()[-5000:]}")
            time.sleep(1)
        seed = subprocess.run(
            [sys.executable, "manage.py", "seed_demo"],
            cwd=ROOT,
            env={**portal_env, "DEBUG": "0"},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert seed.returncode == 0, seed.stderr + log_path.read_text()[-3000:]
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture(scope="session")
def prod_browser():
    if not shutil.which(CHROMIUM):
        service_unavailable(f"chromium introuvable ({CHROMIUM}) : `make test` l'installe")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Recorded from the first byte of each page: the browser reports a refused inline style or
# script as a `securitypolicyviolation` event.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`
  );
});
"""

STYLES_APPLIED = """() => {
  const logo = document.querySelector(".fr-header .fr-logo");
  const icon = document.querySelector(".fr-header [class*='fr-icon-']");
  const iconStyle = icon ? getComputedStyle(icon, "::before") : null;
  const portal = [...document.styleSheets].find(
    (sheet) => (sheet.href || "").includes("/css/portal.")
  );
  return {
    font: getComputedStyle(document.body).fontFamily,
    logo: logo ? getComputedStyle(logo).textTransform : null,
    icon: iconStyle ? iconStyle.maskImage || iconStyle.webkitMaskImage : null,
    portalRules: portal ? [...portal.cssRules].map((rule) => rule.selectorText) : [],
  };
}"""


class ProductionPage:
    """A page of the production walk: `check()` fails on anything an operator's visitor would
    meet broken: unstyled page, script error, CSP refusal, missing static file, WCAG 2.1 AA."""

    def __init__(self, page):
        self.page = page
        self.axe = Axe()
        self.problems: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.problems.append(f"erreur JavaScript : {error}"))
        page.on("response", self._on_response)

    def _on_console(self, message):
        if message.type == "error":
            self.problems.append(f"console : {message.text}")

    def _on_response(self, response):
        if response.status >= 400 and "/static/" in response.url:
            self.problems.append(f"fichier statique {response.status} : {response.url}")

    def check(self):
        page = self.page
        page.wait_for_load_state("load")
        styles = page.evaluate(STYLES_APPLIED)
        # dsfr.min.css (fonts, header logo) and utility.min.css (icons) both applied.
        assert styles["font"].startswith("Marianne"), f"{page.url} : DSFR non appliqué {styles}"
        assert styles["logo"] == "uppercase", f"{page.url} : en-tête DSFR sans style {styles}"
        assert "url(" in (styles["icon"] or ""), f"{page.url} : icônes DSFR absentes {styles}"
        # portal.css parsed to its end (merge-conflict markers once swallowed its rules).
        for selector in (".portal-list-header", ".portal-chart svg", ".portal-candidate-card"):
            assert selector in styles["portalRules"], (
                f"{page.url} : {selector} absent de portal.css"
            )
        violations = page.evaluate("window.__cspViolations || []")
        assert not violations, f"{page.url} : violations CSP {violations}"
        results = self.axe.run(page, options={"runOnly": AXE_RULES})
        assert not results.response["violations"], f"{page.url} :\n{results.generate_report()}"
        problems, self.problems = self.problems, []
        assert not problems, f"{page.url} :\n" + "\n".join(problems)

    def goto(self, path):
        self.page.goto(path)
        self.check()

    def __getattr__(self, name):
        return getattr(self.page, name)


@pytest.fixture
def open_page(prod_browser, portal_url):
    contexts = []

    def open_page(**options):
        context = prod_browser.new_context(
            base_url=portal_url, locale="fr-FR", accept_downloads=True, **options
        )
        context.add_init_script(RECORD_CSP_VIOLATIONS)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        return ProductionPage(page)

    yield open_page
    for context in contexts:
        context.close()
