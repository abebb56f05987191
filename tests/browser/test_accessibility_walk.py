"""Every page of every persona, at 1280 px, at 320 px and at 200 % zoom: axe-core (WCAG 2.0 and
2.1, A and AA, and its best practices) finds nothing, and the document is never wider than the
window (RGAA 10.11).

Error states, empty lists, the parts htmx replaces and the 403/404/500 pages are walked too. One
walk per window size over the demo data (`seed_demo`): each page is opened once per size, and
every problem of the walk is reported at the end, not only the first.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from accounts.models import Organization
from certification.models import Campaign
from core.errors import server_error
from pix_portal import demo
from sessions.models import Session
from students.models import Student
from tests.browser.conftest import AXE_RULES
from tests.factories import referential_ensure

# resultTypes: axe details only the violations, which makes it several times faster
AXE_OPTIONS = {"runOnly": AXE_RULES, "resultTypes": ["violations"]}
WINDOWS = {
    "1280px": {"viewport": {"width": 1280, "height": 800}},
    "320px": {"viewport": {"width": 320, "height": 640}},
    # a 1280 px screen at 200 % zoom: 640 CSS pixels, each drawn twice as big
    "zoom200": {"viewport": {"width": 640, "height": 400}, "device_scale_factor": 2},
}
ERROR_500 = "/erreur-500-de-test/"


class Walk:
    """Opens pages in one browser context and notes what axe and the width check find."""

    def __init__(self, browser, base_url, window):
        self.context = browser.new_context(locale="fr-FR", **WINDOWS[window])
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.base_url = base_url
        self.axe = Axe()
        self.problems = []

    def goto(self, path, *, check=True):
        self.page.goto(self.base_url + path)
        if check:
            self.check()

    def check(self, what=""):
        self.page.wait_for_load_state("load")
        where = f"{self.page.url} {what}".strip()
        width, window = self.page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if width > window:
            self.problems.append(f"{where} : {width} px de large pour {window} px de fenêtre")
        results = self.axe.run(self.page, options=AXE_OPTIONS)
        if results.response["violations"]:
            self.problems.append(f"{where} :\n{results.generate_report()}")

    def check_tables_fit(self):
        """At 1280 px the lists admins live in show every column (Certificabilité, Actions…)
        without scrolling."""
        cut = self.page.evaluate(
            "[...document.querySelectorAll('.fr-table__container')]"
            ".filter(c => c.scrollWidth > c.clientWidth).map(c => c.getAttribute('aria-label'))"
        )
        if cut:
            self.problems.append(f"{self.page.url} : colonnes coupées dans {cut}")

    def log_in(self, login, password):
        self.page.goto(self.base_url + "/connexion/")
        self.page.get_by_label("Identifiant ou adresse e-mail").fill(login)
        self.page.get_by_label("Mot de passe").fill(password)
        self.page.locator("main").get_by_role("button", name="Se connecter").click()
        self.page.wait_for_load_state("load")

    def close(self):
        self.context.close()


@pytest.fixture
def demo_school(transactional_db):
    referential_ensure()  # a data migration: the flush of a previous browser test removed it
    return demo.seed_demo()


@pytest.mark.parametrize("window", WINDOWS)
def test_every_page_of_every_persona_is_accessible(browser, live_server, demo_school, window):
    school = demo_school
    second = Organization.objects.get(uai=demo.DEMO_SECOND_UAI)
    sessions = {s.status: s for s in Session.objects.filter(organization=school)}
    upcoming = Session.objects.filter(organization=school, status="created").order_by("-date")[0]
    to_finalise = Session.objects.filter(organization=school, status="created").order_by("date")[0]
    campaign = Campaign.objects.filter(organization=school).order_by("-pk")[0]
    student = Student.objects.filter(organization=school).order_by("pk")[0]
    o = f"/o/{school.id}"
    problems = []

    walk = Walk(browser, live_server.url, window)
    for path in [
        "/connexion/",
        "/mot-de-passe/oublie/",
        "/verification/",
        "/espace-surveillant/",
        "/accessibilite/",
        "/plan-du-site/",
        "/mentions-legales/",
        "/donnees-personnelles/",
        "/page-qui-n-existe-pas/",  # 404
    ]:
        walk.goto(path)
    walk.goto("/verification/", check=False)
    walk.page.get_by_label("Code de vérification").fill("P-ZZZZZZZZ")
    walk.page.get_by_role("button", name="Vérifier").click()
    walk.check("(code inconnu)")
    walk.goto("/espace-surveillant/", check=False)
    walk.page.get_by_label("Numéro de session").fill(str(upcoming.pk))
    walk.page.get_by_label("Mot de passe de la session").fill("faux000")
    walk.page.get_by_role("button", name="Accéder à la session").click()
    walk.check("(mot de passe faux)")
    walk.log_in(demo.ADMIN_EMAIL, "faux")
    walk.check("(connexion refusée)")
    body = server_error(None).content
    walk.context.route(
        f"**{ERROR_500}",
        lambda route: route.fulfill(status=500, body=body, content_type="text/html"),
    )
    walk.goto(ERROR_500)
    problems += walk.problems
    walk.close()

    walk = Walk(browser, live_server.url, window)
    walk.log_in(demo.ADMIN_EMAIL, demo.DEMO_PASSWORD)
    for path in [
        f"{o}/eleves/",
        f"{o}/eleves/?recherche=zzzz",  # empty list
        f"{o}/eleves/?classe=301&tri=-nom",
        f"{o}/eleves/import/",
        f"{o}/eleves/imports/",
        f"{o}/eleves/comptes/{student.pk}/",
        f"{o}/campagnes/",
        f"{o}/campagnes/creer/",
        f"{o}/campagnes/{campaign.pk}/",
        f"{o}/campagnes/profils/importer/",
        f"{o}/sessions/",
        f"{o}/sessions/{upcoming.pk}/",
        f"{o}/sessions/{upcoming.pk}/modifier/",
        f"{o}/sessions/{to_finalise.pk}/finaliser/",
        f"{o}/sessions/{upcoming.pk}/candidats/ajouter/",
        f"{o}/sessions/{sessions['finalized'].pk}/",
        f"{o}/sessions/{sessions['published'].pk}/",
        f"{o}/resultats/",
        f"{o}/resultats/?session={sessions['published'].pk}",
        f"{o}/resultats/bilan/",
        f"{o}/equipe/",
        f"{o}/equipe/ajouter/",
        f"/o/{second.id}/eleves/",  # a school without students yet
        f"/o/{second.id}/sessions/",
        f"/o/{second.id}/resultats/bilan/",
        f"/o/{second.id + 1000}/eleves/",  # 404 of an organisation
        "/plan-du-site/",  # with the school's pages
    ]:
        walk.goto(path)
        if window == "1280px" and re.search(r"/(eleves|sessions/\d+)/$", path):
            walk.check_tables_fit()
    # error states
    walk.goto(f"{o}/sessions/creer/", check=False)
    walk.page.get_by_role("button", name="Créer la session").click()
    walk.check("(formulaire incomplet)")
    walk.goto(f"{o}/sessions/{upcoming.pk}/candidats/ajouter-eleves/?classe=301")
    walk.page.get_by_label("Cocher tous les élèves affichés").check(force=True)
    walk.page.get_by_role("button", name="Inscrire les élèves cochés").click()
    walk.check("(confirmation demandée)")
    # htmx: a signalement without its code, answered by the replaced list
    walk.goto(f"{o}/sessions/{to_finalise.pk}/finaliser/", check=False)
    walk.page.locator("#signalements summary").last.click()
    walk.page.get_by_role("button", name="Enregistrer le signalement").click()
    expect(walk.page.locator("#signalements .fr-error-text").first).to_be_visible()
    walk.check("(signalement incomplet, htmx)")
    problems += walk.problems
    walk.close()

    walk = Walk(browser, live_server.url, window)
    walk.log_in(demo.MEMBER_EMAIL, demo.DEMO_PASSWORD)
    walk.goto(f"{o}/eleves/")
    walk.goto(f"{o}/eleves/import/")  # 403: admins only
    walk.goto(f"{o}/sessions/{upcoming.pk}/")
    problems += walk.problems
    walk.close()

    walk = Walk(browser, live_server.url, window)
    walk.log_in("lea.martin0103", demo.DEMO_STUDENT_PASSWORD)
    for path in ["/mon-espace/", "/mot-de-passe/changer/", "/campagne/"]:
        walk.goto(path)
    walk.page.get_by_label("Code de la campagne").fill("ZZZZZZ999")
    walk.page.get_by_role("button", name="Accéder à la campagne").click()
    walk.check("(code de campagne inconnu)")
    if window != "1280px":  # the small-screen menu and its Se déconnecter
        walk.page.get_by_role("button", name="Menu").click()
        expect(walk.page.locator("#menu-mobile").get_by_text("Se déconnecter")).to_be_visible()
        walk.check("(menu ouvert)")
    problems += walk.problems
    walk.close()

    walk = Walk(browser, live_server.url, window)
    walk.log_in(demo.JURY_EMAIL, demo.DEMO_PASSWORD)
    walk.goto("/jury/")
    walk.goto(f"/jury/sessions/{sessions['finalized'].pk}/")
    walk.goto(f"/jury/sessions/{sessions['finalized'].pk}/import/")
    problems += walk.problems
    walk.close()

    walk = Walk(browser, live_server.url, window)  # the invigilator, on a phone or a PC
    walk.goto("/espace-surveillant/", check=False)
    walk.page.get_by_label("Numéro de session").fill(str(upcoming.pk))
    walk.page.get_by_label("Mot de passe de la session").fill(upcoming.invigilator_password)
    walk.page.get_by_role("button", name="Accéder à la session").click()
    walk.check()
    walk.page.locator(".portal-candidate-card input[name=is_present]").first.check(force=True)
    expect(walk.page.get_by_text("Enregistré.")).to_be_visible()
    walk.check("(présence cochée, htmx)")
    walk.page.locator(".portal-candidate-card summary").first.click()
    walk.page.get_by_role("button", name="Ajouter le signalement").first.click()
    expect(walk.page.locator(".portal-candidate-card .fr-error-text").first).to_be_visible()
    walk.check("(signalement incomplet, htmx)")
    walk.goto("/espace-surveillant/session/?nom=zzzz")  # nobody found
    problems += walk.problems
    walk.close()

    assert not problems, "\n\n".join(problems)
