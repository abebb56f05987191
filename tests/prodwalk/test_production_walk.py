"""An operator's deployment walked in a real browser: the portal as `make prod` starts it
(gunicorn, a Celery worker and beat, DEBUG=0, hashed static files, PostgreSQL, Redis).

Every page visited is checked (ProductionPage.check): DSFR stylesheet applied, no JavaScript
error, no CSP violation, no static file missing, no axe-core WCAG 2.1 AA violation."""

import csv
import re
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from playwright.sync_api import expect

from pix_portal.demo import DEMO_SECOND_UAI
from tests.students.siecle_files import Eleve, siecle_xml, zip_bytes

pytestmark = pytest.mark.prodwalk

ADMIN = ("admin@demo.pix-portal.fr", "Demo-Pix-2026")
WORKER_TIMEOUT = 90_000  # ms: the worker's first task also loads WeasyPrint


def log_in(page, login, password):
    page.goto("/connexion/")
    page.get_by_label("Identifiant ou adresse e-mail").fill(login)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").last.click()


def switch_school(page, name):
    page.get_by_role("button", name="Changer d'établissement").click()
    page.get_by_role("link", name=re.compile(name)).click()


def test_an_admin_and_a_student_walk_the_production_portal(open_page, portal_env):
    page = open_page(viewport={"width": 1280, "height": 900})

    # The admin logs in and lands on the demo school's Élèves page.
    log_in(page, *ADMIN)
    expect(page.get_by_role("heading", name="Élèves", exact=True)).to_be_visible()
    page.check()
    school_url = page.url

    # An import in the second school, from the file up to its report.
    switch_school(page, "Lycée Simone-Veil")
    page.get_by_role("link", name="Importer (.xml ou .zip)").click()
    page.check()
    export = siecle_xml(
        [
            Eleve(ine="070803070AJ", last_name="BŒUF", first_name="Anaïs", sex="2"),
            Eleve(ine="070803071AK", last_name="ŒDIPE", first_name="Noé", division="2NDE1"),
        ],
        uai=DEMO_SECOND_UAI,
    )
    page.get_by_label("Export SIECLE des élèves").set_input_files(
        {
            "name": "ElevesSansAdresses.zip",
            "mimeType": "application/zip",
            "buffer": zip_bytes([("ElevesSansAdresses.xml", export)]),
        }
    )
    page.get_by_role("button", name="Vérifier le fichier").click()
    expect(page.get_by_role("heading", name=re.compile("Le fichier est valide"))).to_be_visible(
        timeout=WORKER_TIMEOUT
    )
    page.check()
    page.get_by_role("button", name="Confirmer l'import").click()
    expect(page.get_by_role("heading", name="Import réussi")).to_be_visible(timeout=WORKER_TIMEOUT)
    page.check()

    # The passwords of one class are reset by the worker; the CSV comes once.
    page.goto(school_url)
    page.get_by_label("301", exact=True).check(force=True)
    page.get_by_role("button", name="Filtrer").click()
    page.check()
    page.get_by_label(re.compile(r"Sélectionner les \d+ élèves correspondant aux filtres")).check(
        force=True
    )
    page.get_by_role(
        "button", name="Réinitialiser les mots de passe des élèves sélectionnés"
    ).click()
    page.check()
    page.get_by_role("button", name=re.compile(r"Réinitialiser \d+ mots de passe")).click()
    expect(page.get_by_role("heading", name="Mots de passe réinitialisés")).to_be_visible(
        timeout=WORKER_TIMEOUT
    )
    page.check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Télécharger le fichier CSV").click()
    content = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
    credentials = list(csv.DictReader(content.splitlines(), delimiter=";"))
    assert credentials and {row["Classe"] for row in credentials} == {"301"}

    # An attendance sheet prepared by the worker.
    page.get_by_role("link", name="Sessions", exact=True).click()
    page.check()
    page.get_by_role("link", name=re.compile(r"^Session \d+$")).first.click()
    page.check()
    # Every document goes through the worker here: its button starts the preparation at once.
    page.get_by_role("button", name="Feuille d'émargement").click()
    download_link = page.get_by_role("link", name=re.compile("Télécharger : Feuille d'émargement"))
    expect(download_link).to_be_visible(timeout=WORKER_TIMEOUT)
    page.check()
    with page.expect_download() as download_info:
        download_link.click()
    assert Path(download_info.value.path()).read_bytes().startswith(b"%PDF")

    # The results export of the class whose session is published.
    page.get_by_role("link", name="Résultats", exact=True).click()
    page.get_by_label("Classe").select_option("301")
    page.get_by_role("button", name="Afficher les résultats").click()
    page.check()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Exporter les résultats", exact=True).click()
    exported = Path(download_info.value.path()).read_bytes()
    assert exported.startswith(b'\xef\xbb\xbf"Num\xc3\xa9ro de certification"')
    page.get_by_role("link", name="Équipe", exact=True).click()
    page.check()
    page.get_by_role("button", name="Se déconnecter").click()
    page.check()

    # Anyone verifies a published certificate.
    with psycopg.connect(portal_env["DATABASE_URL"]) as connection:
        (code,) = connection.execute(
            "SELECT verification_code FROM results_certificationresult"
            " WHERE verification_code IS NOT NULL ORDER BY id LIMIT 1"
        ).fetchone()
        session_id, invigilator_password = connection.execute(
            "SELECT id, invigilator_password FROM certif_sessions_session s WHERE EXISTS"
            " (SELECT 1 FROM certif_sessions_candidate c WHERE c.session_id = s.id)"
            " ORDER BY date DESC LIMIT 1"
        ).fetchone()
    page.goto("/verification/")
    page.get_by_label("Code de vérification").fill(code)
    page.get_by_role("button", name="Vérifier").click()
    expect(page.get_by_role("heading", name="Certificat authentique")).to_be_visible()
    page.check()

    # The invigilator follows the session; a presence is saved in place (htmx).
    page.goto("/espace-surveillant/")
    page.check()
    page.get_by_label("Numéro de session").fill(str(session_id))
    page.get_by_label("Mot de passe de la session").fill(invigilator_password)
    page.get_by_role("button", name="Accéder à la session").click()
    page.locator("input[name=is_present]:not(:checked)").first.check(force=True)
    expect(page.get_by_text("Enregistré.")).to_be_visible()
    page.check()

    # A student of the class logs in for the first time on a phone.
    phone = open_page(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True)
    student = credentials[0]
    log_in(phone, student["Identifiant"], student["Mot de passe"])
    expect(phone.get_by_role("heading", name="Choisissez votre mot de passe")).to_be_visible()
    phone.check()
    phone.locator("#id_new_password1").fill("Renard-Roux-2026")
    phone.locator("#id_new_password2").fill("Renard-Roux-2026")
    phone.get_by_role("button", name="Enregistrer le mot de passe").click()
    expect(phone.get_by_role("heading", name=re.compile("Bonjour"))).to_be_visible()
    phone.check()
    # Nothing wider than the phone's screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375


def test_the_image_health_check_answers_on_the_started_portal(portal_url, portal_env):
    """scripts/healthcheck.py is the Dockerfile's HEALTHCHECK: run here against the real thing."""
    port = portal_url.rsplit(":", 1)[-1]
    result = subprocess.run(
        [sys.executable, "scripts/healthcheck.py"],
        cwd=Path(__file__).resolve().parent.parent.parent,
        env={**portal_env, "PORT": port, "ALLOWED_HOSTS": "localhost,127.0.0.1"},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
