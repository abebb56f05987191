"""Keyboard only: Tab, Shift+Tab, Enter and Space, no mouse. Each control is reached by
pressing Tab (`tab_to` fails when it never gets the focus)."""

import re
from datetime import timedelta

from django.contrib.sessions.models import Session as LoginSession
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Membership
from sessions.models import Candidate, Session
from student_accounts.models import PasswordResetJob
from tests.factories import (
    DEFAULT_PASSWORD,
    CandidateFactory,
    IssueReportFactory,
    MembershipFactory,
    OrganizationFactory,
    SessionFactory,
    StudentFactory,
    UserFactory,
)


def tab_to(page, locator, *, limit=200):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"jamais atteint au clavier : {locator}")


def day_equal_to_month():
    """A coming date typed the same way whether Chromium lays the field out day or month first
    (it follows the machine's locale, not the page's)."""
    day = timezone.localdate() + timedelta(days=2)
    while day.day != day.month:
        day += timedelta(days=1)
    return day


def focused(page):
    return page.locator("*:focus")


def admin_of_a_school():
    school = OrganizationFactory(uai="0750001A", name="Collège Victor-Hugo")
    admin = UserFactory(email="admin@college.example.fr")
    MembershipFactory(user=admin, organization=school, role=Membership.Role.ADMIN)
    return school


def keyboard_log_in(page, login, password):
    page.goto("/connexion/")
    expect(page.get_by_label("Identifiant ou adresse e-mail")).to_be_focused()
    page.keyboard.type(login)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")


def test_login_a_failure_is_focused_and_said_then_the_right_password(page):
    admin_of_a_school()

    keyboard_log_in(page, "admin@college.example.fr", "pas-le-bon")

    summary = page.locator("#resume-erreurs")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_contain_text("incorrect")
    expect(page.page).to_have_title(re.compile("^Erreur : Connexion"))
    page.check()
    tab_to(page, page.get_by_label("Mot de passe"))
    page.keyboard.type(DEFAULT_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Élèves", exact=True)).to_be_visible()


def test_filtering_the_students_and_resetting_two_passwords(page):
    school = admin_of_a_school()
    for last_name, first_name in [("MARTIN", "Léa"), ("MARTIN", "Hugo"), ("PETIT", "Lou")]:
        StudentFactory(organization=school, last_name=last_name, first_name=first_name)
    keyboard_log_in(page, "admin@college.example.fr", DEFAULT_PASSWORD)
    expect(page.get_by_role("heading", name="Élèves", exact=True)).to_be_visible()

    tab_to(page, page.get_by_label("Rechercher par nom ou prénom"))
    page.keyboard.type("martin")
    page.keyboard.press("Enter")
    expect(page.get_by_text("PETIT")).to_have_count(0)
    tab_to(page, page.get_by_role("region", name="Liste des élèves"))  # the table scrolls
    tab_to(page, page.get_by_label("Sélectionner MARTIN Hugo"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_label("Sélectionner MARTIN Léa"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Réinitialiser les mots de passe des élèves"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("2 élèves sélectionnés")).to_be_visible()
    tab_to(page, page.get_by_role("button", name="Réinitialiser 2 mots de passe"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Mots de passe réinitialisés")).to_be_visible()
    assert len(PasswordResetJob.objects.get().student_ids) == 2


def test_creating_a_session_and_enrolling_a_new_class(page):
    school = admin_of_a_school()
    for name in ["VINCENT", "ÉTIENNE", "ÇELIK"]:  # a new class: no profile, "Non communiqué"
        StudentFactory(organization=school, division="6A", last_name=name)
    keyboard_log_in(page, "admin@college.example.fr", DEFAULT_PASSWORD)
    expect(page.get_by_role("heading", name="Élèves", exact=True)).to_be_visible()
    page.goto(f"/o/{school.id}/sessions/")

    tab_to(page, page.get_by_role("link", name="Créer une session"))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_label("Nom du site"))
    page.keyboard.type("Bâtiment A")
    tab_to(page, page.get_by_label("Nom de la salle"))
    page.keyboard.type("Salle 12")
    tab_to(page, page.get_by_label("Date"))
    page.keyboard.type(day_equal_to_month().strftime("%d%m%Y"))
    start = page.get_by_label("Heure de début (heure locale)")
    tab_to(page, start)
    page.keyboard.type("0900")
    if not start.input_value():  # Chromium lays the field out in 12 h when its locale says so
        page.keyboard.type("A")
    tab_to(page, page.get_by_label("Surveillant(s)"))
    page.keyboard.type("Mme Durand")
    tab_to(page, page.get_by_role("button", name="Créer la session"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=re.compile(r"^Session n° \d+$"))).to_be_visible()
    session = Session.objects.get()

    tab_to(page, page.get_by_role("link", name="Ajouter des élèves"))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_label("Classe"))
    page.keyboard.press("ArrowDown")  # "6A", the only class
    tab_to(page, page.get_by_role("button", name="Afficher les élèves"))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_label("Cocher tous les élèves affichés"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Inscrire les élèves cochés"))
    page.keyboard.press("Enter")

    # One question, focused, above the table; "tout cocher" still ticked.
    expect(page.locator("#confirmation")).to_be_focused()
    expect(page.get_by_label("Cocher tous les élèves affichés")).to_be_checked()
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    expect(page.get_by_label(re.compile("J'inscris aussi"))).to_be_checked()
    page.keyboard.press("Tab")
    expect(focused(page)).to_have_text("Inscrire les élèves cochés")
    page.keyboard.press("Enter")

    expect(page.get_by_text("3 élèves inscrits.")).to_be_visible()
    names = [c.last_name for c in Candidate.objects.filter(session=session)]
    assert sorted(names) == ["VINCENT", "ÇELIK", "ÉTIENNE"]
    cells = page.locator("table tbody tr td:first-child").all_inner_texts()
    assert cells == ["ÇELIK", "ÉTIENNE", "VINCENT"]  # French order


def test_the_espace_surveillant_keeps_a_tick_through_a_lapsed_login(page):
    school = admin_of_a_school()
    session = SessionFactory(organization=school, invigilator_password="k7m2pq")
    celik = CandidateFactory(session=session, last_name="ÇELIK", first_name="Ayse")
    etienne = CandidateFactory(session=session, last_name="ÉTIENNE", first_name="Paul")
    CandidateFactory(session=session, last_name="VINCENT", first_name="Zoé")
    page.goto("/espace-surveillant/")

    tab_to(page, page.get_by_label("Numéro de session"))
    page.keyboard.type(str(session.pk))
    page.keyboard.press("Tab")
    page.keyboard.type("K7M2PQ")
    page.keyboard.press("Enter")
    expect(page.locator(".portal-candidate-card")).to_have_count(3)
    headings = page.locator(".portal-candidate-card h2").all_inner_texts()
    assert headings == ["ÇELIK Ayse", "ÉTIENNE Paul", "VINCENT Zoé"]

    tab_to(page, page.get_by_label("Rechercher un candidat par son nom ou son prénom"))
    page.keyboard.type("etienne")
    page.keyboard.press("Enter")
    expect(page.locator(".portal-candidate-card")).to_have_count(1)
    tab_to(page, page.get_by_label("Présent"))
    page.keyboard.press("Space")
    expect(page.get_by_text("Enregistré.")).to_be_visible()
    expect(page.get_by_text("1 présent sur 3 candidats")).to_be_visible()  # without a reload
    page.check()

    page.goto("/espace-surveillant/session/")
    LoginSession.objects.all().delete()  # the phone slept more than an hour
    tab_to(page, page.locator(f"#present-{celik.pk}"))
    page.keyboard.press("Space")

    expect(page.get_by_role("alert")).to_contain_text("Connexion expirée")
    expect(page.locator(f"#present-{celik.pk}")).to_be_checked()  # what was ticked stays
    expect(page.get_by_label("Mot de passe de la session")).to_be_focused()
    page.check()
    celik.refresh_from_db()
    assert not celik.is_present
    page.keyboard.type("k7m2pq")
    page.keyboard.press("Enter")
    expect(page.get_by_text("2 présents sur 3 candidats")).to_be_visible()
    celik.refresh_from_db()
    etienne.refresh_from_db()
    assert celik.is_present and etienne.is_present
    expect(page.locator(f"#present-{celik.pk}")).to_be_focused()


def test_scrolling_tables_and_the_small_screen_menu_are_reached_by_keyboard(page):
    school = admin_of_a_school()
    session = SessionFactory(organization=school)
    session.date = timezone.localdate() - timedelta(days=1)
    session.save()
    IssueReportFactory(candidate=CandidateFactory(session=session))
    page.set_viewport_size({"width": 320, "height": 640})
    keyboard_log_in(page, "admin@college.example.fr", DEFAULT_PASSWORD)
    expect(page.get_by_role("heading", name="Élèves", exact=True)).to_be_visible()

    page.goto(f"/o/{school.id}/sessions/{session.pk}/finaliser/")
    tab_to(page, page.get_by_role("region", name="Signalements"))
    page.keyboard.press("ArrowRight")  # scrolls the table, not the page
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    # htmx answers an incomplete signalement: the focus goes to the error, not to <body>
    tab_to(page, page.locator("#signalements summary").last)
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("button", name="Enregistrer le signalement"))
    page.keyboard.press("Enter")
    expect(page.locator("#signalements .fr-error-text").first).to_be_visible()
    # The focus moves once htmx has settled the answer: wait for it, do not read it at once.
    expect(
        page.locator("#signalements [class*=--error]:focus-within, [role=alert]:focus-within").first
    ).to_be_attached()

    page.goto("/plan-du-site/")
    tab_to(page, page.get_by_role("button", name="Menu"))
    page.keyboard.press("Enter")
    tab_to(page, page.locator("#menu-mobile").get_by_role("button", name="Se déconnecter"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Connexion à Pix Portal")).to_be_visible()
