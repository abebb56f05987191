"""The pages a French public-service site publishes, reached from the footer of every page."""

import pytest
from django.test import override_settings

PAGES = {
    "/accessibilite/": "Déclaration d'accessibilité",
    "/plan-du-site/": "Plan du site",
    "/mentions-legales/": "Mentions légales",
    "/donnees-personnelles/": "Données personnelles",
}


@pytest.mark.parametrize(("path", "title"), PAGES.items())
def test_anyone_reads_the_page_from_the_footer(client, db, path, title):
    footer = client.get("/connexion/").content.decode().split('id="pied-de-page"')[1]
    assert f'href="{path}"' in footer

    response = client.get(path)

    assert response.status_code == 200
    assert f"<h1>{title}</h1>" in response.content.decode().replace("&#x27;", "'")


@override_settings(CONTACT_EMAIL="accessibilite@college.example.fr")
def test_the_statement_gives_its_state_audited_pages_derogations_and_a_contact(client, db):
    page = client.get("/accessibilite/").content.decode().replace("&#x27;", "'")

    assert "partiellement conforme" in page
    assert "Pages ayant fait l'objet de la vérification de conformité" in page
    assert "Dérogations pour charge disproportionnée" in page
    assert 'href="mailto:accessibilite@college.example.fr"' in page
    assert "Défenseur des droits" in page


def test_the_footer_is_the_dsfr_one(client, db):
    footer = client.get("/connexion/").content.decode().split('id="pied-de-page"')[1]

    assert "fr-footer__content-list" in footer  # the four State sites
    assert "Accessibilité : partiellement conforme" in footer
    assert "licence etalab-2.0" in footer


def test_the_site_map_lists_the_pages_of_each_school_of_the_user(alice_client, school):
    page = alice_client.get("/plan-du-site/").content.decode()

    assert f'href="/o/{school.id}/eleves/"' in page
    assert f'href="/o/{school.id}/sessions/"' in page
    assert f'href="/o/{school.id}/resultats/bilan/"' in page
    assert f'href="/o/{school.id}/certification/preparation/"' in page


@pytest.mark.parametrize("path", ["/connexion/", "/mon-espace/", "/espace-surveillant/", "/jury/"])
def test_pages_without_a_school_have_the_small_screen_menu_with_the_logout_slot(
    student_client, path
):
    page = student_client.get(path, follow=True).content.decode()

    assert 'aria-controls="menu-mobile"' in page
    assert 'id="menu-mobile"' in page
    assert "fr-header__menu-links" in page
