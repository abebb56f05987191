import re
from pathlib import Path

from playwright.sync_api import expect

from accounts.models import Membership
from results.models import CertificationResult
from results.services import session_results_record
from tests.browser.test_login_flow import log_in
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, OrganizationFactory, UserFactory
from tests.results.factories import (
    BAD,
    GOOD,
    ensure_referential,
    entry,
    finalized_session,
    present_candidate,
)


def test_the_jury_publishes_a_referent_exports_the_class_and_anyone_verifies_a_code(page):
    ensure_referential()
    school = OrganizationFactory(uai="0750001A", name="Collège Victor-Hugo")
    referent = UserFactory(email="referent@college.example.fr")
    MembershipFactory(user=referent, organization=school, role=Membership.Role.MEMBER)
    UserFactory(email="jury@pix.example.fr", is_superuser=True, is_staff=True)
    session = finalized_session(school)
    lea = present_candidate(session, last_name="MARTIN", first_name="Léa", division="3EA")
    hugo = present_candidate(session, last_name="PETIT", first_name="Hugo", division="3EA")
    session_results_record(
        session=session, entries=[entry(lea, GOOD), entry(hugo, BAD)], source="t"
    )

    # The jury reviews the session, comments one result and publishes.
    log_in(page, "jury@pix.example.fr", DEFAULT_PASSWORD)
    page.goto("/jury/")
    page.get_by_role("link", name=f"Session n° {session.pk}").click()
    expect(page.get_by_role("cell", name="MARTIN Léa (3EA)")).to_be_visible()
    page.check()
    page.get_by_label("Commentaire jury pour PETIT Hugo").fill(
        "Moins de la moitié de réponses justes."
    )
    page.get_by_role("button", name="Enregistrer les commentaires").click()
    expect(page.get_by_text("Les commentaires du jury sont enregistrés.")).to_be_visible()
    page.get_by_role("link", name="Publier les résultats…").click()
    expect(page.get_by_text("Validée : 1")).to_be_visible()
    page.check()
    page.get_by_role("button", name="Publier").click()
    expect(
        page.get_by_text(f"Les résultats de la session n° {session.pk} sont publiés.")
    ).to_be_visible()
    expect(page.get_by_text("Résultats transmis")).to_be_visible()
    page.check()
    page.get_by_role("button", name="Se déconnecter").click()

    # A referent picks the class, sees the table and exports the CSV.
    log_in(page, "referent@college.example.fr", DEFAULT_PASSWORD)
    page.goto(f"/o/{school.id}/resultats/")
    page.get_by_label("Classe").select_option("3EA")
    page.get_by_role("button", name="Afficher les résultats").click()
    expect(page.get_by_role("cell", name="MARTIN", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="Rejetée")).to_be_visible()
    page.check()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Exporter les résultats", exact=True).click()
    download = download_info.value
    assert re.fullmatch(r"\d{8}_resultats_3EA\.csv", download.suggested_filename)
    content = Path(download.path()).read_bytes()
    assert content.startswith(b'\xef\xbb\xbf"Num\xc3\xa9ro de certification";"Pr\xc3\xa9nom"')
    assert "Moins de la moitié de réponses justes." in content.decode("utf-8-sig")
    page.goto(f"/o/{school.id}/resultats/bilan/")
    expect(
        page.get_by_role("img", name="Part des élèves présentés sur chaque compétence")
    ).to_be_visible()
    page.get_by_role("button", name="Se déconnecter").click()

    # Anyone checks Léa's certificate with its code.
    code = CertificationResult.objects.get(candidate=lea).verification_code
    page.goto("/verification/")
    page.get_by_label("Code de vérification").fill(code.lower())
    page.get_by_role("button", name="Vérifier").click()
    expect(page.get_by_role("heading", name="Certificat authentique")).to_be_visible()
    expect(page.get_by_text("Léa MARTIN")).to_be_visible()
    page.check()
