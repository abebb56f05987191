import csv
import re
from pathlib import Path

from playwright.sync_api import expect

from accounts.models import Membership
from tests.browser.test_login_flow import log_in
from tests.factories import (
    DEFAULT_PASSWORD,
    MembershipFactory,
    OrganizationFactory,
    StudentFactory,
    StudentUserFactory,
    UserFactory,
)


def test_an_admin_resets_three_students_and_one_logs_in_with_the_password_of_the_csv(page):
    school = OrganizationFactory(uai="0750001A", name="Collège Victor-Hugo")
    admin = UserFactory(email="admin@college.example.fr")
    MembershipFactory(user=admin, organization=school, role=Membership.Role.ADMIN)
    StudentFactory(organization=school, last_name="COEURVOLAN", first_name="Aurélie")
    StudentFactory(
        organization=school,
        last_name="MARTIN",
        first_name="Léa",
        user=StudentUserFactory(username="lea.martin0103"),
    )
    StudentFactory(organization=school, last_name="ROUX", first_name="Lou")
    StudentFactory(organization=school, last_name="PETIT", first_name="Hugo")

    log_in(page, "admin@college.example.fr", DEFAULT_PASSWORD)
    for name in ["COEURVOLAN Aurélie", "MARTIN Léa", "ROUX Lou"]:
        # The DSFR draws the box on the label, over the input: tick the input itself.
        page.get_by_label(f"Sélectionner {name}").check(force=True)
    page.check()
    page.get_by_role(
        "button", name="Réinitialiser les mots de passe des élèves sélectionnés"
    ).click()

    expect(page.get_by_text("3 élèves sélectionnés")).to_be_visible()
    page.check()
    page.get_by_role("button", name="Réinitialiser 3 mots de passe").click()

    expect(page.get_by_role("heading", name="Mots de passe réinitialisés")).to_be_visible()
    page.check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Télécharger le fichier CSV").click()
    download = download_info.value
    assert re.fullmatch(r"\d{8}_\d{4}_0750001A_password_reset\.csv", download.suggested_filename)
    content = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = {row["Nom"]: row for row in csv.DictReader(content.splitlines(), delimiter=";")}
    assert sorted(rows) == ["COEURVOLAN", "MARTIN", "ROUX"]

    page.get_by_role("button", name="Se déconnecter").click()
    aurelie = rows["COEURVOLAN"]
    log_in(page, aurelie["Identifiant"], aurelie["Mot de passe"])
    expect(page.get_by_role("heading", name="Choisissez votre mot de passe")).to_be_visible()
    page.locator("#id_new_password1").fill("Renard-Roux-2026")
    page.locator("#id_new_password2").fill("Renard-Roux-2026")
    page.get_by_role("button", name="Enregistrer le mot de passe").click()
    expect(page.get_by_role("heading", name=re.compile("Bonjour Aurélie"))).to_be_visible()
    expect(page.get_by_text(aurelie["Identifiant"])).to_be_visible()
    page.check()
