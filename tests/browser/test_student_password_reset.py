import csv
import re
from datetime import timedelta
from pathlib import Path

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Membership
from student_accounts.models import PasswordResetJob
from student_accounts.services import _credentials_file_save
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


def test_the_slips_appear_once_laid_out_and_the_csv_button_keeps_the_focus(page):
    school = OrganizationFactory(uai="0750001A", name="Collège Victor-Hugo")
    admin = UserFactory(email="admin@college.example.fr")
    MembershipFactory(user=admin, organization=school, role=Membership.Role.ADMIN)
    # A big reset whose passwords are written and CSV offered; its slips are being laid out.
    job = PasswordResetJob.objects.create(
        organization=school,
        requested_by=admin,
        student_ids=[1, 2],
        status=PasswordResetJob.Status.DONE,
        reset_count=2,
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
        expires_at=timezone.now() + timedelta(minutes=15),
    )
    job.csv_file = _credentials_file_save(job=job, kind="csv", content=b"Classe;Nom\r\n")
    job.save()

    log_in(page, "admin@college.example.fr", DEFAULT_PASSWORD)
    page.goto(reverse("student_accounts:job", args=[school.id, job.id]))
    expect(page.get_by_text("Fiches à découper (PDF) en préparation…")).to_be_visible()
    page.check()
    csv_button = page.get_by_role("button", name="Télécharger le fichier CSV")
    csv_button.focus()

    slips = _credentials_file_save(job=job, kind="slips", content=b"%PDF-1.7 fiches")
    PasswordResetJob.objects.filter(pk=job.pk).update(
        slips_status=PasswordResetJob.SlipsStatus.DONE, slips_progress=100, slips_file=slips
    )
    slips_button = page.get_by_role("button", name="Télécharger les fiches à découper (PDF)")
    expect(slips_button).to_be_visible()
    expect(csv_button).to_be_focused()
    expect(page.locator("#slips-announce[role=status]")).to_have_text(
        "Les fiches à découper sont prêtes."
    )
    page.check()
    with page.expect_download() as download_info:
        slips_button.click()
    assert Path(download_info.value.path()).read_bytes() == b"%PDF-1.7 fiches"
