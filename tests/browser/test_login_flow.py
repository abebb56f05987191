import re

from playwright.sync_api import expect

from accounts.models import Membership
from accounts.services import user_set_one_time_password
from tests.factories import (
    DEFAULT_PASSWORD,
    MembershipFactory,
    OrganizationFactory,
    StudentFactory,
    StudentUserFactory,
    UserFactory,
)


def log_in(page, login, password):
    page.goto("/connexion/")
    page.get_by_label("Identifiant ou adresse e-mail").fill(login)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").last.click()


def test_an_admin_logs_in_lands_on_students_and_switches_school(page):
    school = OrganizationFactory(uai="0750001A", name="Collège Victor-Hugo")
    other = OrganizationFactory(uai="0981234X", name="Collège de Punaauia")
    admin = UserFactory(email="admin@college.example.fr")
    MembershipFactory(user=admin, organization=school, role=Membership.Role.ADMIN)
    MembershipFactory(user=admin, organization=other, role=Membership.Role.MEMBER)
    StudentFactory(organization=school, last_name="COEURVOLAN", first_name="Aurélie")
    StudentFactory(organization=other, last_name="TEMATAHI", first_name="Hinano")

    log_in(page, "admin@college.example.fr", DEFAULT_PASSWORD)
    expect(page.get_by_role("heading", name="Élèves")).to_be_visible()
    expect(page.get_by_role("cell", name="COEURVOLAN", exact=True)).to_be_visible()
    page.check()

    page.get_by_role("button", name="Changer d'établissement").click()
    page.get_by_role("link", name=re.compile("Collège de Punaauia")).click()
    expect(page.get_by_role("cell", name="TEMATAHI", exact=True)).to_be_visible()
    expect(page.get_by_text("Collège de Punaauia").first).to_be_visible()
    page.check()


def test_a_student_with_a_one_time_password_must_change_it_then_reaches_their_page(page):
    student = StudentUserFactory(username="lea.martin0103", first_name="Léa", last_name="Martin")
    one_time_password = user_set_one_time_password(user=student)

    log_in(page, "lea.martin0103", one_time_password)
    expect(page.get_by_role("heading", name="Choisissez votre mot de passe")).to_be_visible()
    page.check()
    page.goto("/mon-espace/")
    expect(page.page).to_have_url(re.compile("/mot-de-passe/changer/"))

    page.locator("#id_new_password1").fill("Souris-Verte-42")
    page.locator("#id_new_password2").fill("Souris-Verte-42")
    page.get_by_role("button", name="Enregistrer le mot de passe").click()
    expect(page.get_by_role("heading", name=re.compile("Bonjour Léa"))).to_be_visible()
    page.check()
