"""Tenant isolation: another school's pages and objects are 404 and stay untouched.

The list of pages comes from the URL resolver, so every page added later is walked too.
"""

import pytest

from accounts.models import IntegrationToken, Membership
from tests.factories import MembershipFactory, StudentFactory, StudentUserFactory
from tests.outsider import (
    api_url_patterns,
    build_url,
    database_snapshot,
    foreign_form_data,
    mark_victims,
    org_url_patterns,
    public_url_patterns,
    rows_naming,
    victim_world,
)

pytestmark = pytest.mark.django_db

ROUTES = org_url_patterns()
OTHER_TOKEN = "cle-d-un-autre-etablissement-0123456789"


def test_the_walk_finds_the_organisation_pages():
    assert "o/<int:org_id>/eleves/" in ROUTES
    assert "o/<int:org_id>/equipe/<int:membership_id>/retirer/" in ROUTES


@pytest.mark.parametrize("route", ROUTES)
def test_an_outsider_gets_404_and_changes_nothing(charlie_client, route, school, other_school):
    world = victim_world(school)
    before = database_snapshot()

    url = build_url(route, {"org_id": school.id, **world})
    assert charlie_client.get(url).status_code == 404, url
    assert charlie_client.post(url, {"role": "ADMIN"}).status_code == 404, url

    # Charlie's own school in the URL, but the victim's objects: still nothing to see.
    own_url = build_url(route, {**world, "org_id": other_school.id})
    if own_url != build_url(route, {"org_id": other_school.id}):
        assert charlie_client.get(own_url).status_code in (404, 405), own_url
        assert charlie_client.post(own_url, {"role": "ADMIN"}).status_code == 404, own_url

    assert database_snapshot() == before


@pytest.mark.parametrize("route", ROUTES)
def test_an_anonymous_visitor_is_sent_to_the_login_page(client, route, school):
    url = build_url(route, {"org_id": school.id, **victim_world(school)})
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith("/connexion/"), url


# --- Beyond /o/<id>/: the student's space, campaigns, Espace surveillant, jury, API --------------

PUBLIC_ROUTES = public_url_patterns()
API_ROUTES = api_url_patterns()


def test_the_walk_finds_the_public_pages_and_the_api():
    assert {
        "mon-espace/",
        "mon-espace/attestations/<int:result_id>.pdf",
        "campagne/<str:code>/",
        "espace-surveillant/candidats/<int:candidate_id>/",
        "jury/sessions/<int:session_id>/import/",
    } <= set(PUBLIC_ROUTES)
    assert {"api/sessions/<int:session_id>/results/", "api/comptes/<int:user_id>/profil/"} <= set(
        API_ROUTES
    )


@pytest.fixture
def foreign_student(other_school):
    """A student of the other school, with an account."""
    user = StudentUserFactory(username="yanis.dehors0101")
    StudentFactory(organization=other_school, user=user)
    return user


@pytest.mark.parametrize("route", PUBLIC_ROUTES)
@pytest.mark.parametrize("who", ["anonymous", "foreign_student", "charlie"])
def test_public_pages_show_and_change_nothing_of_another_school(
    client, route, who, school, request
):
    world = victim_world(school)
    marker = mark_victims(world)
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    before = database_snapshot()

    url = build_url(route, world)
    read, write = client.get(url), client.post(url, foreign_form_data(world))
    for response in (read, write):
        assert response.status_code < 500, url
        assert marker not in response.content.decode(errors="replace"), url
    if route.startswith("jury/") or "<int:" in route:
        # Jury pages exist for superusers only; ids are someone else's: 404, or the login
        # (405 to a GET of an action that only takes POST).
        assert read.status_code in (302, 404, 405), (url, read.status_code)
        assert write.status_code in (302, 404), (url, write.status_code)

    assert database_snapshot() == before


@pytest.mark.parametrize("route", API_ROUTES)
def test_another_schools_token_gets_404_and_writes_nothing(client, route, school, other_school):
    world = victim_world(school)
    account = StudentUserFactory()
    StudentFactory(organization=school, user=account)
    IntegrationToken.objects.create(
        name="Autre", organization=other_school, key_hash=IntegrationToken.hash_key(OTHER_TOKEN)
    )
    # Each call stamps the token's last use: the only write allowed.
    before = database_snapshot()
    before.pop("accounts.integrationtoken")

    url = build_url(route, {**world, "user_id": account.pk})
    headers = {"HTTP_AUTHORIZATION": f"Token {OTHER_TOKEN}"}
    body = {"candidates": [{"candidate_id": world["candidate_id"], "profile": [], "answers": []}]}
    assert client.get(url, **headers).status_code in (404, 405), url
    for method in (client.post, client.put):
        response = method(url, body, content_type="application/json", **headers)
        assert response.status_code in (404, 405), url
    after = database_snapshot()
    after.pop("accounts.integrationtoken")
    assert after == before


@pytest.mark.parametrize("route", ROUTES)
def test_a_student_of_another_school_gets_404_on_school_pages(
    client, route, school, foreign_student
):
    world = victim_world(school)
    client.force_login(foreign_student)
    before = database_snapshot()
    url = build_url(route, {"org_id": school.id, **world})
    assert client.get(url).status_code == 404, url
    assert client.post(url, {"role": "ADMIN"}).status_code == 404, url
    assert database_snapshot() == before


@pytest.mark.parametrize("route", ROUTES)
def test_a_second_admin_of_the_school_never_gets_another_admins_reset_files(client, route, school):
    world = victim_world(school)
    second_admin = MembershipFactory(organization=school, role=Membership.Role.ADMIN).user
    client.force_login(second_admin)
    url = build_url(route, {"org_id": school.id, **world})
    response = client.get(url)
    assert response.status_code < 500, url
    if "/comptes/" in route and route.endswith(("csv/", "fiches/")):
        # The one-time passwords of a reset go to the admin who asked for it, no one else.
        response = client.post(url)
        assert response.get("Content-Disposition") is None, url


@pytest.mark.parametrize("route", ROUTES)
def test_forms_naming_another_schools_objects_write_nothing_about_them(
    client, route, school, other_school, alice
):
    """An admin of the other school posts her own school's forms, filled with the victim's ids:
    nothing written may point at the victim's student, session or candidate."""
    world = victim_world(school)
    own_world = victim_world(other_school)
    own_admin = MembershipFactory(organization=other_school, role=Membership.Role.ADMIN).user
    client.force_login(own_admin)
    before = database_snapshot()

    url = build_url(route, {**own_world, "org_id": other_school.id})
    response = client.post(url, foreign_form_data(world))

    assert response.status_code < 500, url
    after = database_snapshot()
    assert rows_naming(world, before, after) == [], url
