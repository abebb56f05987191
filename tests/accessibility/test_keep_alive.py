"""A long finalisation form outlives the one-hour login: the open page renews it, and says so
when it lapsed anyway, without losing what was typed."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tests.factories import SessionFactory
from tests.pages import polls

pytestmark = pytest.mark.django_db
KEEP_ALIVE = "/connexion/maintenir/"


def test_the_finalisation_page_renews_the_login_while_it_is_open(alice_client, school):
    session = SessionFactory(organization=school, date=timezone.localdate() - timedelta(days=1))

    page = alice_client.get(
        reverse("certif_sessions:session_finalize", args=[school.id, session.id])
    )

    keep_alive = [poll for poll in polls(page.content.decode()) if poll.url == KEEP_ALIVE]
    assert keep_alive and keep_alive[0].every_seconds < settings.SESSION_COOKIE_AGE
    expiry = alice_client.session.get_expiry_date()
    assert alice_client.get(KEEP_ALIVE, HTTP_HX_REQUEST="true").status_code == 204
    assert alice_client.session.get_expiry_date() >= expiry


def test_a_lapsed_login_is_said_on_the_page_with_a_way_back(client, db):
    response = client.get(KEEP_ALIVE, HTTP_HX_REQUEST="true")

    assert response["HX-Retarget"] == "#connexion-perdue"
    page = response.content.decode()
    assert 'role="alert"' in page and "Connexion expirée" in page
    assert 'href="/connexion/" target="_blank"' in page
