"""Tenant isolation: another school's pages and objects are 404 and stay untouched.

The list of pages comes from the URL resolver, so every page added later is walked too.
"""

import pytest

from tests.outsider import build_url, database_snapshot, org_url_patterns, victim_world

pytestmark = pytest.mark.django_db

ROUTES = org_url_patterns()


def test_the_walk_finds_the_organisation_pages():
    assert "o/<int:org_id>/eleves/" in ROUTES
    assert "o/<int:org_id>/equipe/<int:membership_id>/retirer/" in ROUTES


@pytest.mark.parametrize("route", ROUTES)
def test_an_outsider_gets_404_and_changes_nothing(client, route, school, charlie, other_school):
    world = victim_world(school)
    client.force_login(charlie)
    before = database_snapshot()

    url = build_url(route, {"org_id": school.id, **world})
    assert client.get(url).status_code == 404, url
    assert client.post(url, {"role": "ADMIN"}).status_code == 404, url

    # Charlie's own school in the URL, but the victim's objects: still nothing to see.
    own_url = build_url(route, {**world, "org_id": other_school.id})
    if own_url != build_url(route, {"org_id": other_school.id}):
        assert client.get(own_url).status_code in (404, 405), own_url
        assert client.post(own_url, {"role": "ADMIN"}).status_code == 404, own_url

    assert database_snapshot() == before


@pytest.mark.parametrize("route", ROUTES)
def test_an_anonymous_visitor_is_sent_to_the_login_page(client, route, school):
    url = build_url(route, {"org_id": school.id, **victim_world(school)})
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith("/connexion/"), url
