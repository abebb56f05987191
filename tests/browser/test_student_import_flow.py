import re

from playwright.sync_api import expect

from accounts.models import Membership
from students.models import ImportJob, Student
from tests.browser.test_login_flow import log_in
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, OrganizationFactory, UserFactory
from tests.students.siecle_files import Eleve, siecle_xml, zip_bytes


def test_an_admin_imports_a_zip_checks_the_preview_confirms_and_finds_the_students(page):
    school = OrganizationFactory(uai="0750001A", name="Collège Victor-Hugo")
    admin = UserFactory(email="admin@college.example.fr", first_name="Agnès", last_name="Admin")
    MembershipFactory(user=admin, organization=school, role=Membership.Role.ADMIN)
    export = siecle_xml(
        [
            Eleve(ine="070803070AJ", last_name="BŒUF", first_name="Anaïs", sex="2"),
            Eleve(ine="070803071AK", last_name="ŒDIPE", first_name="Noé", division="3E1"),
            Eleve(ine="070803072AL", last_name="PARTI", left_on="02/10/2026"),
        ]
    )

    log_in(page, "admin@college.example.fr", DEFAULT_PASSWORD)
    page.get_by_role("link", name="Importer (.xml ou .zip)").click()
    page.check()
    page.get_by_label("Export SIECLE des élèves").set_input_files(
        {
            "name": "ElevesSansAdresses.zip",
            "mimeType": "application/zip",
            "buffer": zip_bytes([("ElevesSansAdresses.xml", export)]),
        }
    )
    page.get_by_role("button", name="Vérifier le fichier").click()

    expect(page.get_by_role("heading", name=re.compile("Le fichier est valide"))).to_be_visible()
    preview = page.get_by_test_id("import-preview-counts")
    expect(preview.get_by_role("row", name="À créer 2")).to_be_visible()
    expect(preview.get_by_role("row", name="Ignorés 1")).to_be_visible()
    page.check()
    page.get_by_role("button", name="2 élèves à créer").click()
    expect(page.get_by_text("BŒUF Anaïs — 3E2")).to_be_visible()
    assert not Student.objects.exists()

    page.get_by_role("button", name="Confirmer l'import").click()
    expect(page.get_by_role("heading", name="Import réussi")).to_be_visible()
    expect(page.get_by_test_id("import-report").get_by_role("row", name="Créés 2")).to_be_visible()
    page.check()

    page.get_by_role("link", name="Voir la liste des élèves").click()
    expect(page.get_by_role("cell", name="BŒUF", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="ŒDIPE", exact=True)).to_be_visible()
    expect(
        page.get_by_text(re.compile("Dernier import réussi le .* par Agnès Admin"))
    ).to_be_visible()
    page.check()


def test_the_job_page_follows_a_running_import_until_its_report(page):
    school = OrganizationFactory(uai="0750001A", name="Collège Victor-Hugo")
    admin = UserFactory(email="admin@college.example.fr")
    MembershipFactory(user=admin, organization=school, role=Membership.Role.ADMIN)
    job = ImportJob.objects.create(
        organization=school,
        requested_by=admin,
        original_name="ElevesSansAdresses.zip",
        status=ImportJob.Status.IMPORTING,
        progress=35,
    )

    log_in(page, "admin@college.example.fr", DEFAULT_PASSWORD)
    page.goto(f"/o/{school.id}/eleves/import/{job.id}/")
    bar = page.locator("progress")
    expect(bar).to_have_attribute("value", "35")
    page.check()

    ImportJob.objects.filter(pk=job.pk).update(progress=80)
    expect(bar).to_have_attribute("value", "80")

    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.DONE, progress=100, created_count=512
    )
    expect(page.get_by_role("heading", name="Import réussi")).to_be_visible()
    expect(page.get_by_role("row", name="Créés 512")).to_be_visible()
    page.check()
