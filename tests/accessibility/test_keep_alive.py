"""A long finalisation form outlives the one-hour login: the open page renews it, and says so
when it lapsed anyway, without losing what was typed."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db
KEEP_ALIVE = "/connexion/maintenir/"


def test_the_finalisation_page_renews_the_login_while_it_is_open(alice_client, school):
    session = SessionFactory(organization=school, date=timezone.localdate() - timedelta(days=1))

    page = alice_client.get(
        reverse("certif_sessions:session_finalize", args=[school.id, session.id])
    )

    assert f'hx-get="{KEEP_ALIVE}" hx-trigger="every 300s"' in page.content.decode()
    expiry = alice_client.session.get_expiry_date()
    assert alice_client.get(KEEP_ALIVE, HTTP_HX_REQUEST="true").status_code == 204
    assert alice_client.session.get_expiry_date() >= expiry


def test_a_lapsed_login_is_said_on_the_page_with_a_way_back(client, db):
    response = client.get(KEEP_ALIVE, HTTP_HX_REQUEST="true")

    assert response["HX-Retarget"] == "#connexion-perdue"
    page = response.content.decode()
    assert 'role="alert"' in page and "Connexion expirée" in page
    assert 'href="/connexion/" target="_blank"' in page
