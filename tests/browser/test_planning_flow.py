"""The demo collège plans its 3e over two days, creates the sessions, prints the day pack and
sees its readiness board move."""

import re
from datetime import timedelta

import pypdf
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Organization
from pix_portal.demo import ADMIN_EMAIL, DEMO_PASSWORD, DEMO_UAI
from sessions.models import Session
from tests.browser.test_login_flow import log_in
from tests.factories import referential_ensure


def enrolled(page, division):
    return page.locator(f"tr:has(th:text-is('{division}')) td[data-state='inscrit']")


def test_the_demo_college_plans_its_3e_and_prints_the_day_pack(page, tmp_path):
    referential_ensure()  # earlier browser tests flushed the data migrations' rows
    call_command("seed_demo")
    school = Organization.objects.get(uai=DEMO_UAI)
    first_day = timezone.localdate() + timedelta(days=20)
    log_in(page, ADMIN_EMAIL, DEMO_PASSWORD)

    page.goto(f"/o/{school.id}/certification/preparation/")
    before = {d: int(enrolled(page, d).inner_text()) for d in ("305", "306")}
    page.check()

    page.goto(f"/o/{school.id}/sessions/")
    expect(
        page.get_by_text(re.compile(r"Période nationale de certification \(Collège\)"))
    ).to_be_visible()
    page.get_by_role("link", name="Planifier les sessions").click()
    page.check()
    for division in ("301", "302", "303", "304", "307"):
        page.get_by_label(division, exact=True).uncheck(force=True)
    page.get_by_label("Nom du site").fill("Bâtiment A")
    page.get_by_role("textbox", name=re.compile("^Jours")).fill(
        f"{first_day:%d/%m/%Y}\n{first_day + timedelta(days=1):%d/%m/%Y}"
    )
    page.get_by_label("Heures de début des créneaux").fill("08:00")
    page.get_by_role("textbox", name=re.compile("^Salles")).fill("Salle informatique 12 ; 30")
    page.get_by_label("Surveillants disponibles").fill("08:00 ; Mme Laurent, M. Girard")
    page.get_by_role("button", name="Proposer un planning").click()
    expect(page.get_by_text("Aucun conflit")).to_be_visible()
    expect(
        page.get_by_role("heading", name=re.compile(r"à 08:00 — Salle informatique 12"))
    ).to_have_count(2)
    page.check()

    page.get_by_role("button", name="Créer les 2 sessions et leurs inscriptions").click()
    created = page.get_by_text(re.compile(r"2 sessions créées, \d+ élèves inscrits\."))
    expect(created).to_be_visible()
    page.check()
    session = Session.objects.get(organization=school, date=first_day)
    second = Session.objects.get(organization=school, date=first_day + timedelta(days=1))
    by_class = {
        division: sum(s.candidates.filter(division=division).count() for s in (session, second))
        for division in ("305", "306")
    }
    assert all(by_class.values())

    page.get_by_role("link", name="Préparer les pochettes du jour").click()
    page.get_by_label("Jour").select_option(first_day.isoformat())
    page.check()
    page.set_default_timeout(180_000)
    page.get_by_role("button", name="Préparer la pochette").click()
    expect(page.locator("#job-progress").get_by_text("La pochette est prête.")).to_be_visible()
    page.check()
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le PDF").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    texts = [p.extract_text().replace(" ", "") for p in pypdf.PdfReader(path).pages]
    assert any(session.access_code in text for text in texts)
    assert sum("Convocationàlacertification" in text for text in texts) == (
        session.candidates.count()
    )

    page.goto(f"/o/{school.id}/certification/preparation/")
    for division in ("305", "306"):
        expect(enrolled(page, division)).to_have_text(str(before[division] + by_class[division]))
    page.check()
