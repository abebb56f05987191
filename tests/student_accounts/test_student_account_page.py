""" "Gérer le compte": one student's connection methods, an identifiant, one password reset."""

import html
import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from accounts.models import AuditLog
from tests.factories import DEFAULT_PASSWORD, StudentFactory, StudentUserFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(name, student):
    return reverse(f"student_accounts:{name}", args=[student.organization_id, student.id])


def text(response) -> str:
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())


def one_time_password(response) -> str:
    match = re.search(r'data-testid="one-time-password">([a-z0-9]{8})<', response.content.decode())
    assert match, "pas de mot de passe à usage unique sur la page"
    return match[1]


def test_the_page_shows_the_connection_methods(alice_client, school):
    student = StudentFactory(
        organization=school,
        user=UserFactory(
            username="noe.boeuf0502", email="noe@eleve.example.fr", has_mediacentre_access=True
        ),
    )
    page = text(alice_client.get(url("account", student)))
    assert "Méthode(s) de connexion" in page
    assert "Identifiant : noe.boeuf0502" in page
    assert "Adresse e-mail : noe@eleve.example.fr" in page and "Mediacentre" in page
    assert "Réinitialiser le mot de passe" in page


def test_a_student_without_account_gets_an_identifiant_and_a_password_shown_once(
    client, alice_client, school
):
    student = StudentFactory(
        organization=school, last_name="LE GALL", first_name="Maël", birthdate=date(2011, 9, 2)
    )
    assert "pas encore de compte" in alice_client.get(url("account", student)).content.decode()

    response = alice_client.post(url("account_identifiant", student))
    assert response["Cache-Control"] == "no-store"
    password = one_time_password(response)
    assert "mael.legall0209" in response.content.decode()

    assert password not in alice_client.get(url("account", student)).content.decode()
    login = {"username": "mael.legall0209", "password": password}
    assert client.post(reverse("accounts:login"), login).status_code == 302


def test_an_email_account_gains_an_identifiant_and_keeps_its_password(client, alice_client, school):
    student = StudentFactory(
        organization=school,
        last_name="BŒUF",
        first_name="Noé",
        birthdate=date(2012, 2, 5),
        user=UserFactory(email="noe@eleve.example.fr"),
    )
    response = alice_client.post(url("account_identifiant", student), follow=True)
    assert "Identifiant créé : noe.boeuf0502" in text(response)
    assert 'data-testid="one-time-password"' not in response.content.decode()
    assert AuditLog.objects.filter(action=AuditLog.Action.IDENTIFIANT_ADDED).count() == 1

    login = {"username": "noe.boeuf0502", "password": DEFAULT_PASSWORD}
    assert client.post(reverse("accounts:login"), login).status_code == 302


def test_resetting_one_password_shows_the_new_one_once_and_only_it_works(
    client, alice_client, school
):
    student = StudentFactory(organization=school, user=StudentUserFactory(username="lou.roux1204"))
    response = alice_client.post(url("account_password", student))
    password = one_time_password(response)
    assert response["Cache-Control"] == "no-store"
    entry = AuditLog.objects.get(action=AuditLog.Action.PASSWORDS_RESET)
    assert entry.details["student_ids"] == [student.id] and password not in str(entry.details)

    old = {"username": "lou.roux1204", "password": DEFAULT_PASSWORD}
    assert client.post(reverse("accounts:login"), old).status_code == 200
    new = {"username": "lou.roux1204", "password": password}
    assert client.post(reverse("accounts:login"), new).status_code == 302


def test_an_email_only_account_password_is_not_the_schools_to_reset(alice_client, school):
    student = StudentFactory(organization=school, user=UserFactory(email="e@eleve.example.fr"))
    response = alice_client.post(url("account_password", student), follow=True)
    assert "n'est pas géré par l'établissement" in text(response)
    student.user.refresh_from_db()
    assert student.user.check_password(DEFAULT_PASSWORD)


def test_members_get_403_and_other_schools_404(bob_client, charlie_client, school):
    student = StudentFactory(organization=school, user=StudentUserFactory())
    assert bob_client.get(url("account", student)).status_code == 403
    assert bob_client.post(url("account_password", student)).status_code == 403
    assert charlie_client.post(url("account_password", student)).status_code == 404
    student.user.refresh_from_db()
    assert student.user.check_password(DEFAULT_PASSWORD)
