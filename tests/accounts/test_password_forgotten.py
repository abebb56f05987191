""" "Mot de passe oublié ?": a link by e-mail for e-mail accounts, the teacher for identifiants."""

import html
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse

from accounts.services import user_set_one_time_password
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]


def ask(client, login):
    return client.post(reverse("accounts:password_reset"), {"login": login}, follow=True)


def test_the_login_page_links_to_it(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Mot de passe oublié ?" in page and reverse("accounts:password_reset") in page


def test_an_email_account_receives_a_link_to_choose_a_new_password(client):
    user = UserFactory(email="camille@eleve.example.fr")
    user_set_one_time_password(user=user)
    response = ask(client, "Camille@eleve.example.fr")
    assert "Consultez votre messagerie" in response.content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["camille@eleve.example.fr"]
    link = re.search(r"https?://\S+/mot-de-passe/nouveau/\S+/", mail.outbox[0].body)[0]

    # Django swaps the token for a session marker: the form lives at the address it redirects to.
    form_url = client.get(urlsplit(link).path).url
    weak = client.post(form_url, {"new_password1": "abcdefgh", "new_password2": "abcdefgh"})
    assert "une majuscule, une minuscule et un chiffre" in weak.content.decode()
    done = client.post(
        form_url,
        {"new_password1": "Girafe-Jaune-9", "new_password2": "Girafe-Jaune-9"},
        follow=True,
    )
    assert "Mot de passe enregistré" in done.content.decode()
    user.refresh_from_db()
    assert user.check_password("Girafe-Jaune-9")
    assert not user.must_change_password and user.one_time_password_expires_at is None


def test_a_student_with_an_identifiant_is_told_to_ask_the_teacher(client):
    response = ask(client, "lea.martin0103")
    page = html.unescape(response.content.decode())
    assert "Demandez à votre professeur" in page
    assert mail.outbox == []


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client):
    response = ask(client, "personne@nulle-part.example.fr")
    assert "Consultez votre messagerie" in response.content.decode()
    assert mail.outbox == []


def test_one_address_cannot_be_flooded_with_mails(client):
    UserFactory(email="camille@eleve.example.fr")
    for n in range(8):
        ask(client, "camille@eleve.example.fr" if n % 2 else " Camille@Eleve.example.fr")
    assert len(mail.outbox) == 5


def test_look_alike_spellings_of_an_address_share_one_mail_limit(client):
    UserFactory(email="camille@eleve.example.fr")
    for n in range(8):
        ask(client, "camille@eleve.example.fr" if n % 2 else "ＣＡＭＩＬＬＥ@eleve.example.fr ")
    assert len(mail.outbox) == 5
