"""A page holding an error says so in its title and sums the errors up, focused on arrival."""

import re

import pytest

pytestmark = pytest.mark.django_db


def title(page: str) -> str:
    return re.search(r"<title>(.*?)</title>", page, re.S).group(1)


def test_a_failed_login_puts_the_error_first_and_in_the_title(client, alice):
    page = client.post(
        "/connexion/", {"username": "alice@college.example.fr", "password": "faux"}
    ).content.decode()

    assert title(page).startswith("Erreur : Connexion")
    summary = page[page.index('id="resume-erreurs"') - 80 :]
    assert 'role="alert"' in summary[:200] and "autofocus" in summary[:200]
    assert "incorrect" in summary[: summary.index("</div>")]


def test_the_summary_links_each_error_to_its_field(alice_client, school):
    page = alice_client.post(f"/o/{school.id}/sessions/creer/", {"address": "A"}).content.decode()

    assert title(page).startswith("Erreur : ")
    assert 'href="#id_room"' in page
    assert page.index('id="resume-erreurs"') < page.index("<h1")


def test_a_page_without_error_keeps_its_title(client):
    assert title(client.get("/connexion/").content.decode()).startswith("Connexion")
