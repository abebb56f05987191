"""A school admin runs a certification session end to end, and an invigilator on a phone."""

import re
import zipfile
from datetime import timedelta

import pypdf
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Membership
from sessions.models import Session
from students.models import Student
from tests.factories import (
    DEFAULT_PASSWORD,
    CandidateFactory,
    MembershipFactory,
    OrganizationFactory,
    SessionFactory,
    StudentFactory,
    UserFactory,
)

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def log_in(page, login, password):
    page.goto("/connexion/")
    page.get_by_label("Identifiant ou adresse e-mail").fill(login)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").last.click()


def pdf_text(path) -> list[str]:
    return [p.extract_text() for p in pypdf.PdfReader(path).pages]


def test_an_admin_creates_a_session_adds_a_class_prints_the_sheet_and_finalises(page, tmp_path):
    school = OrganizationFactory(uai="0750001A", name="Collège Victor-Hugo")
    admin = UserFactory(email="admin@college.example.fr")
    MembershipFactory(user=admin, organization=school, role=Membership.Role.ADMIN)
    for last_name, status in [
        ("COEURVOLAN", Student.Certifiability.CERTIFIABLE),
        ("ÉLUARD", Student.Certifiability.CERTIFIABLE),
        ("LEFÈVRE", Student.Certifiability.NOT_CERTIFIABLE),
    ]:
        StudentFactory(
            organization=school, division="3E2", last_name=last_name, certifiability=status
        )
    StudentFactory(organization=school, division="4E1", last_name="AUTRECLASSE")
    log_in(page, "admin@college.example.fr", DEFAULT_PASSWORD)

    page.goto(f"/o/{school.id}/sessions/")
    page.get_by_role("link", name="Créer une session").click()
    page.check()
    page.get_by_label("Nom du site").fill("Bâtiment principal")
    page.get_by_label("Nom de la salle").fill("Salle B12")
    page.get_by_label("Date").fill((timezone.localdate() + timedelta(days=7)).isoformat())
    page.get_by_label("Heure de début (heure locale)").fill("09:00")
    page.get_by_label("Surveillant(s)").fill("Mme Durand")
    page.get_by_role("button", name="Créer la session").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Session n° \d+$"))).to_be_visible()
    session = Session.objects.get(organization=school)
    expect(page.get_by_text(session.access_code)).to_be_visible()
    page.check()

    page.get_by_role("link", name="Ajouter des élèves").click()
    page.get_by_label("Classe").select_option("3E2")
    page.get_by_role("button", name="Afficher les élèves").click()
    expect(page.get_by_role("cell", name="AUTRECLASSE")).to_have_count(0)
    page.check()
    page.get_by_label("Cocher tous les élèves affichés").check(force=True)
    page.get_by_role("button", name="Inscrire les élèves cochés").click()
    expect(page.get_by_text("1 n'est pas certifiable")).to_be_visible()
    page.check()
    page.get_by_label(re.compile("J'inscris aussi")).check(force=True)
    page.get_by_role("button", name="Inscrire les élèves cochés").click()
    expect(page.get_by_text("3 élèves inscrits.")).to_be_visible()
    expect(page.get_by_role("cell", name="LEFÈVRE", exact=True)).to_be_visible()
    page.check()

    with page.expect_download() as download:
        page.get_by_role("link", name="Feuille d'émargement").click()
    sheet = pdf_text(download.value.path())
    assert len(sheet) == 1 and f"Session n° {session.id}" in sheet[0]
    assert sheet[0].index("COEURVOLAN") < sheet[0].index("ÉLUARD") < sheet[0].index("LEFÈVRE")

    page.get_by_role("button", name="Tout télécharger (ZIP)").click()  # one click starts it
    expect(page.get_by_text("Le document est prêt.")).to_be_visible()
    page.check()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Télécharger : Tous les documents")).click()
    assert len(zipfile.ZipFile(download.value.path()).namelist()) == 5
    page.get_by_role("link", name=re.compile("Retour à la session")).click()
    expect(page.get_by_text("pourra être finalisée après son début")).to_be_visible()

    # The session takes place; the admin comes back after it to finalise.
    Session.objects.filter(pk=session.pk).update(date=timezone.localdate() - timedelta(days=1))
    page.reload()
    page.get_by_role("link", name="Finaliser la session").click()
    page.check()
    page.get_by_text("Ajouter un signalement").click()
    page.get_by_label("Candidat", exact=True).select_option(label="LEFÈVRE Aurélie (3E2)")
    page.get_by_label("Catégorie et code de l'incident").select_option("E1")
    page.get_by_label("Numéro de la question").fill("5")
    page.get_by_role("button", name="Enregistrer le signalement").click()
    expect(page.get_by_text("1 signalement")).to_be_visible()
    page.check()

    candidates = list(session.candidates.order_by("last_name"))
    for candidate in candidates[:2]:
        page.locator(f"#id_present_{candidate.id}").check(force=True)
        page.locator(f"#id_end_screen_{candidate.id}").check(force=True)
    page.locator(f"#id_present_{candidates[2].id}").check(force=True)
    page.get_by_role("button", name="Finaliser la session").click()
    expect(page.get_by_role("alert").get_by_text("le test n'est pas terminé")).to_be_visible()
    page.check()

    page.locator(f"#id_abort_reason_{candidates[2].id}").select_option("technical")
    scan = tmp_path / "pv.pdf"
    scan.write_bytes(PDF)
    page.locator("input[type=file]").set_input_files(scan)
    page.get_by_role("button", name="Finaliser la session").click()
    expect(page.get_by_text(f"La session n° {session.id} est finalisée.")).to_be_visible()
    page.check()
    session.refresh_from_db()
    assert session.status == Session.Status.FINALIZED
    assert session.candidates.filter(abort_reason="technical").count() == 1


def test_an_invigilator_follows_the_candidates_on_a_phone(page):
    school = OrganizationFactory(uai="0981234X", name="Collège de Punaauia")
    session = SessionFactory(organization=school, invigilator_password="k7m2pq")
    candidate = CandidateFactory(session=session, last_name="TEMATAHI", first_name="Hinano")
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto("/espace-surveillant/")
    page.get_by_label("Numéro de session").fill(str(session.id))
    page.get_by_label("Mot de passe de la session").fill("k7m2pq")
    page.get_by_role("button", name="Accéder à la session").click()
    expect(page.get_by_role("heading", name="TEMATAHI Hinano")).to_be_visible()
    page.check()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.get_by_label("Présent").check(force=True)
    expect(page.get_by_text("Enregistré.")).to_be_visible()
    page.get_by_text("Signaler un incident").click()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_label("Catégorie et code de l'incident").select_option("E4")
    page.get_by_role("button", name="Ajouter le signalement").click()
    expect(page.get_by_text("Indiquez le numéro de la question")).to_be_visible()
    page.check()
    page.get_by_label("Numéro de la question").fill("9")
    page.get_by_role("button", name="Ajouter le signalement").click()
    expect(page.get_by_text("question n° 9")).to_be_visible()
    # The card was just swapped in: tick once htmx has settled it, and wait for this very save
    # ("Enregistré." is still shown from the report just added).
    # (A locator, not wait_for_function: a string predicate is eval'd in the page, which the
    # portal's CSP forbids.)
    expect(page.locator(".htmx-added, .htmx-settling, .htmx-request")).to_have_count(0)
    with page.expect_response(lambda response: response.url.endswith(f"/{candidate.pk}/")):
        page.get_by_label("Écran de fin du test vu").check(force=True)
    expect(page.get_by_text("Enregistré.")).to_be_visible()
    page.check()

    candidate.refresh_from_db()
    assert candidate.is_present and candidate.has_seen_end_test_screen
    assert list(candidate.issue_reports.values_list("code", "question_number")) == [("E4", 9)]
