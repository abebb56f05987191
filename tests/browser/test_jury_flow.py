"""The jury's work end to end: results in with signalements, automatic neutralisation (E2),
the jury's decision on E9, rescoring, publication; the school then sees the rescored values."""

import csv
import io
import re
from pathlib import Path

from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.models import Membership
from results.models import CertificationResult
from tests.browser.test_login_flow import log_in
from tests.factories import (
    DEFAULT_PASSWORD,
    IssueReportFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)
from tests.results.factories import ensure_referential, finalized_session, present_candidate

# Questions 1–12: 1.1 = 1–3 (3 wrong), 1.2 = 4–6, 2.1 = 7–9 (8 and 9 wrong), 3.1 = 10–12.
ANSWERS = [
    ("1.1", "Correcte"),
    ("1.1", "Correcte"),
    ("1.1", "Fausse"),
    ("1.2", "Correcte"),
    ("1.2", "Correcte"),
    ("1.2", "Correcte"),
    ("2.1", "Correcte"),
    ("2.1", "Fausse"),
    ("2.1", "Fausse"),
    ("3.1", "Correcte"),
    ("3.1", "Correcte"),
    ("3.1", "Correcte"),
]
HEADER = "Numéro de candidat;Compétence;Niveau du profil;Pix du profil;Épreuve;Résultat"


def test_signalements_neutralised_rescored_and_published(page):
    ensure_referential()
    school = OrganizationFactory(uai="0750001A", name="Collège Victor-Hugo")
    referent = UserFactory(email="referent@college.example.fr")
    MembershipFactory(user=referent, organization=school, role=Membership.Role.MEMBER)
    UserFactory(email="jury@pix.example.fr", is_superuser=True, is_staff=True)
    session = finalized_session(school, examiner="M. Leroy")
    lea = present_candidate(session, last_name="MARTIN", first_name="Léa", division="3EA")
    IssueReportFactory(
        candidate=lea, code="E2", question_number=3, description="L'animation reste blanche."
    )
    IssueReportFactory(
        candidate=lea, code="E9", question_number=8, description="Le tableur ne s'ouvre pas."
    )

    # The jury sees the session to process first, with its candidate number.
    log_in(page, "jury@pix.example.fr", DEFAULT_PASSWORD)
    page.goto("/jury/")
    expect(page.get_by_text("1 session à traiter")).to_be_visible()
    page.check()
    page.get_by_role("link", name=f"Session n° {session.pk}").click()
    expect(page.get_by_role("heading", name=f"Candidat n° {lea.pk} — MARTIN Léa")).to_be_visible()

    # Results in (CSV): 9 right out of 12; E2 on question 3 (wrong) is neutralised at once.
    page.get_by_role("link", name="Importer les résultats (CSV)").click()
    lines = [f"{lea.pk};{code};3;27;rec{i};{result}" for i, (code, result) in enumerate(ANSWERS)]
    page.get_by_label("Fichier des résultats (CSV)").set_input_files(
        {
            "name": "resultats.csv",
            "mimeType": "text/csv",
            "buffer": "\n".join([HEADER, *lines]).encode("utf-8"),
        }
    )
    page.check()
    page.get_by_role("button", name="Importer et calculer").click()
    expect(page.get_by_text("Les résultats ont été enregistrés et calculés.")).to_be_visible()
    expect(page.get_by_text("Cette question a été neutralisée automatiquement")).to_be_visible()
    expect(page.get_by_text("Avant : Validée, 73 pix")).to_be_visible()
    expect(page.get_by_text("En attente de la décision du jury", exact=True)).to_be_visible()
    expect(page.get_by_text("signalement E9 (question n° 8) en attente")).to_be_visible()
    page.check()

    # The jury neutralises E9 with a reason: rescored at once, before and after shown.
    page.get_by_label("Neutraliser la question", exact=True).check(force=True)
    page.get_by_label("Motif").fill("Le tableur n'est pas installé dans cette salle.")
    page.get_by_role("button", name="Enregistrer la décision (E9, MARTIN)").click()
    expect(
        page.get_by_text(
            "Décision enregistrée. Avant : Validée, 81 pix (1.1 : 3, 1.2 : 3, 2.1 : 0, 3.1 : 3). "
            "Après : Validée, 108 pix (1.1 : 3, 1.2 : 3, 2.1 : 3, 3.1 : 3)."
        )
    ).to_be_visible()
    expect(page.get_by_text("Question neutralisée par le jury")).to_be_visible()
    page.check()

    # Publication: a confirmation with the counts, then the irreversible step.
    page.get_by_role("link", name="Publier les résultats…").click()
    expect(page.get_by_text("Validée : 1")).to_be_visible()
    expect(page.get_by_text("Rejetée : 0")).to_be_visible()
    page.check()
    page.get_by_role("button", name="Publier").click()
    expect(
        page.get_by_text(f"Les résultats de la session n° {session.pk} sont publiés.")
    ).to_be_visible()
    page.get_by_role("button", name="Se déconnecter").click()

    # The school: table, CSV, attestation and bilan show the rescored 108 pix.
    log_in(page, "referent@college.example.fr", DEFAULT_PASSWORD)
    page.goto(f"/o/{school.id}/resultats/?classe=3EA")
    expect(page.get_by_role("cell", name="108", exact=True)).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Exporter les résultats", exact=True).click()
    content = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content), delimiter=";"))
    assert (rows[0]["Nombre de Pix"], rows[0]["2.1"], rows[0]["1.1"]) == ("108", "3", "3")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Attestation de Léa MARTIN").click()
    text = PdfReader(download_info.value.path()).pages[0].extract_text()
    assert re.search(r"Nombre de Pix\s*:\s*108", text), text
    page.goto(f"/o/{school.id}/resultats/bilan/")
    page.get_by_label("Année scolaire").select_option(label="2025-2026")
    page.get_by_role("button", name="Afficher le bilan").click()
    expect(page.get_by_role("row", name=re.compile("Score Pix"))).to_contain_text("108")
    page.check()
    page.get_by_role("button", name="Se déconnecter").click()

    # Anyone checks the certificate: the rescored score.
    code = CertificationResult.objects.get(candidate=lea).verification_code
    page.goto("/verification/")
    page.get_by_label("Code de vérification").fill(code)
    page.get_by_role("button", name="Vérifier").click()
    expect(page.get_by_role("heading", name="Certificat authentique")).to_be_visible()
    expect(page.get_by_text("108", exact=True)).to_be_visible()
    page.check()
