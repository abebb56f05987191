"""Members (teachers, referents) read and print; every admin action answers them 403.

The list of admin pages comes from the URL resolver (the views behind `org_admin_view`), so an
admin page added later is walked too.
"""

import re

import pytest
from django.urls import Resolver404, resolve

from accounts.models import AuditLog
from tests.outsider import (
    admin_url_patterns,
    build_url,
    database_snapshot,
    org_url_patterns,
    victim_world,
)

pytestmark = pytest.mark.django_db

ROUTES = admin_url_patterns()
MEMBER_PAGES = [route for route in org_url_patterns() if route not in ROUTES]
HREF = re.compile(r'href="(/[^"?#]*)')


def test_the_walk_finds_the_actions_only_admins_may_take():
    assert {
        "o/<int:org_id>/campagnes/profils/importer/",
        "o/<int:org_id>/sessions/creer/",
        "o/<int:org_id>/sessions/<int:session_id>/modifier/",
        "o/<int:org_id>/sessions/<int:session_id>/supprimer/",
        "o/<int:org_id>/sessions/<int:session_id>/candidats/ajouter-eleves/",
        "o/<int:org_id>/sessions/<int:session_id>/candidats/ajouter/",
        "o/<int:org_id>/sessions/<int:session_id>/candidats/<int:candidate_id>/modifier/",
        "o/<int:org_id>/sessions/<int:session_id>/candidats/<int:candidate_id>/retirer/",
        "o/<int:org_id>/sessions/<int:session_id>/finaliser/",
        "o/<int:org_id>/sessions/<int:session_id>/signalements/ajouter/",
        "o/<int:org_id>/sessions/<int:session_id>/pv-signe/",
        "o/<int:org_id>/equipe/ajouter/",
        "o/<int:org_id>/equipe/<int:membership_id>/role/",
        "o/<int:org_id>/equipe/<int:membership_id>/retirer/",
    } <= set(ROUTES)
    assert "o/<int:org_id>/eleves/" not in ROUTES


@pytest.mark.parametrize("route", ROUTES)
def test_a_member_gets_403_on_admin_actions_and_changes_nothing(bob_client, route, school, bob):
    world = victim_world(school)
    before = database_snapshot()

    url = build_url(route, {"org_id": school.id, **world})
    assert bob_client.get(url).status_code == 403, url
    assert bob_client.post(url, {"role": "ADMIN", "address": "Salle 1"}).status_code == 403, url

    assert database_snapshot() == before
    refusals = AuditLog.objects.filter(action=AuditLog.Action.ACCESS_DENIED, actor=bob)
    assert refusals.count() == 2


def admin_links(html: str) -> set[str]:
    """The links of a page that lead to an admin-only page."""
    links = set()
    for path in HREF.findall(html):
        try:
            route = resolve(path).route
        except Resolver404:
            continue
        if route in ROUTES:
            links.add(path)
    return links


def test_no_page_a_member_sees_links_to_a_page_only_admins_may_open(bob_client, school):
    """A member follows no link to a 403: the pages and the site map offer admins' actions to
    admins only."""
    world = victim_world(school)
    shown = {}
    for route in ["plan-du-site/", *MEMBER_PAGES]:
        response = bob_client.get(build_url(route, {"org_id": school.id, **world}))
        if response.status_code == 200 and "text/html" in response["Content-Type"]:
            shown[route] = admin_links(response.content.decode())

    assert len(shown) >= 12  # the walk did read the school's pages
    assert {route: links for route, links in shown.items() if links} == {}
