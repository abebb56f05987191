import re

from playwright.sync_api import expect

from accounts.models import Membership
from certification.models import CampaignParticipation
from students.models import Student
from tests.browser.test_login_flow import log_in
from tests.factories import (
    DEFAULT_PASSWORD,
    MembershipFactory,
    OrganizationFactory,
    StudentFactory,
    StudentUserFactory,
    UserFactory,
    profile_with_levels,
)

CERTIFIABLE = Student.Certifiability.CERTIFIABLE


def rows(page):
    return page.locator("#students-table tbody tr")


def test_an_admin_filters_by_class_and_certifiability_then_clears_the_filters(page):
    school = OrganizationFactory(uai="0750001A", name="Collège Victor-Hugo")
    admin = UserFactory(email="admin@college.example.fr")
    MembershipFactory(user=admin, organization=school, role=Membership.Role.ADMIN)
    for last_name, division, status in [
        ("ARNAUD", "3EA", CERTIFIABLE),
        ("BESSON", "3EA", CERTIFIABLE),
        ("CAMUS", "3EA", Student.Certifiability.NOT_CERTIFIABLE),
        ("DIDEROT", "3EB", CERTIFIABLE),
        ("ÉLUARD", "4EC", Student.Certifiability.NOT_AVAILABLE),
    ]:
        StudentFactory(
            organization=school, last_name=last_name, division=division, certifiability=status
        )

    log_in(page, "admin@college.example.fr", DEFAULT_PASSWORD)
    expect(page.locator("#students-count")).to_have_text("5 élèves")
    expect(rows(page)).to_have_count(5)
    page.check()

    # DSFR draws the box on the label: users click the label.
    page.locator("#filter-classes").get_by_text("3EA", exact=True).click()
    page.locator("#filter-certifiability").get_by_text("Certifiable", exact=True).click()
    page.get_by_role("button", name="Filtrer").click()
    expect(page.page).to_have_url(re.compile(r"classe=3EA.*certificabilite=certifiable"))
    expect(page.locator("#students-count")).to_have_text("2 élèves")
    expect(rows(page)).to_have_count(2)
    expect(rows(page).nth(0)).to_contain_text("ARNAUD")
    expect(rows(page).nth(1)).to_contain_text("BESSON")
    expect(page.get_by_label("Sélectionner les 2 élèves correspondant aux filtres")).to_be_visible()
    page.check()

    # The whole page ticks at once, and the choice is kept in the URL for a bookmark.
    page.get_by_label("Sélectionner tous les élèves de la page").click()
    expect(page.locator('input[name="student_ids"]:checked')).to_have_count(2)
    page.goto(page.page.url.removeprefix(page.base_url))
    expect(page.locator("#students-count")).to_have_text("2 élèves")

    page.get_by_role("link", name="Effacer les filtres").click()
    expect(page.locator("#students-count")).to_have_text("5 élèves")
    expect(rows(page)).to_have_count(5)
    expect(page.get_by_role("checkbox", name="3EA", exact=True)).not_to_be_checked()
    page.check()


def test_a_referent_creates_a_campaign_and_a_student_sends_their_profile(page, browser):
    school = OrganizationFactory(uai="0750001A", name="Collège Victor-Hugo")
    referent = UserFactory(email="referent@college.example.fr", first_name="Karim")
    MembershipFactory(user=referent, organization=school, role=Membership.Role.MEMBER)
    lea = StudentUserFactory(username="lea.martin0103", first_name="Léa", last_name="Martin")
    profile_with_levels(lea, [2, 1, 1, 1, 1, 3])
    StudentFactory(organization=school, user=lea, last_name="MARTIN", first_name="Léa")

    log_in(page, "referent@college.example.fr", DEFAULT_PASSWORD)
    page.get_by_role("link", name="Campagnes").click()
    page.check()
    page.get_by_role("link", name="Créer une campagne").click()
    page.check()
    page.get_by_label("Nom de la campagne").fill("Profils de rentrée")
    page.get_by_role("button", name="Créer la campagne").click()
    code = page.locator("#campaign-code").inner_text()
    assert re.fullmatch(r"[A-Z]{6}[0-9]{3}", code)
    page.check()

    student_context = browser.new_context(locale="fr-FR")
    student_page = type(page)(student_context.new_page(), page.base_url)
    log_in(student_page, "lea.martin0103", DEFAULT_PASSWORD)
    expect(student_page.get_by_text("pix sur 768")).to_be_visible()
    student_page.check()
    student_page.get_by_role("link", name="J'ai un code").click()
    student_page.check()
    student_page.get_by_label("Code de la campagne").fill(code.lower())
    student_page.get_by_role("button", name="Accéder à la campagne").click()
    expect(student_page.get_by_role("heading", name="Profils de rentrée")).to_be_visible()
    student_page.check()
    student_page.get_by_role("button", name="J'envoie mon profil").click()
    expect(student_page.get_by_text("Votre profil a été envoyé")).to_be_visible()
    student_page.check()
    student_context.close()

    assert CampaignParticipation.objects.get().student.last_name == "MARTIN"
    page.page.reload()
    expect(page.get_by_role("cell", name="MARTIN", exact=True)).to_be_visible()
    page.get_by_role("link", name="Élèves").click()
    expect(page.get_by_text("Certifiable", exact=True).last).to_be_visible()
    page.check()


def test_the_class_synthesis_is_counted_when_opened(page):
    school = OrganizationFactory(uai="0750002B", name="Collège Colette")
    member = UserFactory(email="referent@college.example.fr")
    MembershipFactory(user=member, organization=school, role=Membership.Role.MEMBER)
    for division, status in [("3EA", CERTIFIABLE), ("3EA", CERTIFIABLE), ("4EC", CERTIFIABLE)]:
        StudentFactory(organization=school, division=division, certifiability=status)

    log_in(page, "referent@college.example.fr", DEFAULT_PASSWORD)
    page.get_by_role("button", name="Synthèse par classe").click()
    synthesis = page.locator("#class-summary-table table")
    expect(synthesis).to_be_visible()
    expect(synthesis.locator("tbody tr").nth(0)).to_contain_text("3EA")
    expect(synthesis.locator("tbody tr").nth(0).locator("td").nth(1)).to_have_text("2")
    page.check()
    synthesis.get_by_role("link", name="4EC").click()
    expect(page.locator("#students-count")).to_have_text("1 élève")
