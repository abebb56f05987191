"""Creating, listing, editing and deleting sessions; what each status allows."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions.models import Session
from sessions.selectors import session_start_is_past
from tests.factories import CandidateFactory, SessionFactory
from tests.outsider import PARAMETER, org_url_patterns, victim_world

pytestmark = pytest.mark.django_db


def url(name, org, *args):
    return reverse(f"certif_sessions:{name}", args=[org.id, *args])


def form_data(**overrides):
    data = {
        "address": "Bâtiment principal",
        "room": "Salle informatique B12",
        "date": (timezone.localdate() + timedelta(days=10)).isoformat(),
        "time": "09:30",
        "examiner": "Mme Durand, M. Petit",
        "description": "Casques audio",
    }
    return {**data, **overrides}


def test_an_admin_creates_a_session_and_lands_on_its_page(alice_client, school):
    response = alice_client.post(url("session_create", school), form_data())

    session = Session.objects.get(organization=school)
    assert response.status_code == 302
    assert response.url == url("session_detail", school, session.id)
    assert session.status == Session.Status.CREATED
    assert (session.room, session.time) == ("Salle informatique B12", time(9, 30))
    page = alice_client.get(response.url).content.decode()
    assert session.access_code in page and session.invigilator_password in page


def test_a_member_cannot_create_a_session(bob_client, school):
    assert bob_client.get(url("session_create", school)).status_code == 403
    assert bob_client.post(url("session_create", school), form_data()).status_code == 403
    assert not Session.objects.exists()


def test_missing_fields_are_named_in_french(alice_client, school):
    response = alice_client.post(url("session_create", school), form_data(room="", examiner=""))
    page = response.content.decode()
    assert response.status_code == 200
    # beside each field, and in the error summary at the top, linked to the field
    assert page.count("Ce champ est obligatoire.") == 4
    assert "Nom de la salle : Ce champ est obligatoire." in page
    assert not Session.objects.exists()


def test_a_date_in_the_past_is_refused(alice_client, school):
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = alice_client.post(url("session_create", school), form_data(date=yesterday))
    assert "sont déjà passées" in response.content.decode()
    assert not Session.objects.exists()


def test_the_past_is_judged_in_the_schools_time_zone(school, other_school):
    # 2026-12-03 05:00 UTC: 06:00 in Paris, still 19:00 on 2 December in Tahiti.
    now = datetime(2026, 12, 3, 5, 0, tzinfo=UTC)
    evening = {"date": date(2026, 12, 2), "time": time(20, 0), "now": now}
    assert session_start_is_past(organization=school, **evening)
    assert not session_start_is_past(organization=other_school, **evening)


def test_a_tahiti_school_reads_its_finalisation_time_in_its_own_time_zone(
    charlie_client, other_school
):
    # 2026-03-12 03:30 UTC: 04:30 in Paris, 17:30 on 11 March in Tahiti.
    session = SessionFactory(
        organization=other_school,
        status=Session.Status.FINALIZED,
        finalized_at=datetime(2026, 3, 12, 3, 30, tzinfo=UTC),
    )
    page = charlie_client.get(url("session_detail", other_school, session.pk)).content.decode()
    assert "11/03/2026 17:30" in page


def test_the_same_room_at_the_same_date_and_time_is_refused(alice_client, school):
    alice_client.post(url("session_create", school), form_data())
    clash = alice_client.post(
        url("session_create", school), form_data(room=" salle informatique b12")
    )
    other_room = alice_client.post(url("session_create", school), form_data(room="CDI"))

    assert "Une autre session a déjà lieu dans cette salle" in clash.content.decode()
    assert other_room.status_code == 302
    assert Session.objects.count() == 2


def test_the_list_shows_each_session_with_its_candidates_count(bob_client, school, session):
    CandidateFactory.create_batch(3, session=session)
    page = bob_client.get(url("session_list", school)).content.decode()
    assert f"Session {session.id}" in page
    assert "Salle B12" in page and "Mme Durand, M. Petit" in page and "Créée" in page
    assert "<td>3</td>" in page


def test_the_list_is_paginated_by_50_sessions(bob_client, school):
    SessionFactory.create_batch(51, organization=school)
    first = bob_client.get(url("session_list", school)).content.decode()
    assert first.count("/sessions/") >= 50 and "1 / 2" in first
    assert 'href="?page=2"' in first and "Page suivante" in first
    second = bob_client.get(url("session_list", school), {"page": 2}).content.decode()
    assert "2 / 2" in second and 'href="?page=1"' in second


def test_an_admin_edits_a_created_session(alice_client, school, session):
    response = alice_client.post(
        url("session_update", school, session.id),
        form_data(date=session.date.isoformat(), time="14:00", room="CDI"),
    )
    session.refresh_from_db()
    assert response.status_code == 302
    assert (session.room, session.time) == ("CDI", time(14, 0))


def test_editing_only_the_room_of_a_session_of_today_is_allowed(alice_client, school):
    # Its start may be over (fixing the room name after the session), its date did not move.
    started = SessionFactory(organization=school, date=timezone.localdate(), time=time(0, 0))
    response = alice_client.post(
        url("session_update", school, started.id),
        form_data(date=started.date.isoformat(), time="00:00", room="CDI"),
    )
    assert response.status_code == 302


def test_a_session_without_started_candidates_can_be_deleted(alice_client, school, session):
    CandidateFactory(session=session)
    assert alice_client.get(url("session_delete", school, session.id)).status_code == 200
    response = alice_client.post(url("session_delete", school, session.id))
    assert response.url == url("session_list", school)
    assert not Session.objects.exists()


def test_a_session_with_a_candidate_present_is_kept(alice_client, school, session):
    CandidateFactory(session=session, is_present=True)
    alice_client.post(url("session_delete", school, session.id))
    assert Session.objects.filter(pk=session.pk).exists()
    assert (
        "Supprimer la session"
        not in alice_client.get(url("session_detail", school, session.id)).content.decode()
    )


@pytest.mark.parametrize("status", [Session.Status.FINALIZED, Session.Status.PUBLISHED])
@pytest.mark.parametrize(
    "name, extra_args, data",
    [
        ("session_update", [], form_data()),
        ("session_delete", [], {}),
        ("candidate_add", [], {}),
        ("candidates_add_students", [], {}),
        ("session_finalize", [], {}),
        ("issue_report_add", [], {"code": "C7", "description": "Panne"}),
    ],
)
def test_a_finalised_session_is_read_only(alice_client, school, status, name, extra_args, data):
    session = SessionFactory(organization=school, status=status)
    CandidateFactory(session=session)
    before = list(Session.objects.values())

    for response in (
        alice_client.get(url(name, school, session.id, *extra_args)),
        alice_client.post(url(name, school, session.id, *extra_args), data),
    ):
        if response.status_code == 405:
            continue
        assert response.status_code == 302
        assert response.url == url("session_detail", school, session.id)

    assert list(Session.objects.values()) == before
    assert session.candidates.count() == 1
    page = alice_client.get(url("session_detail", school, session.id)).content.decode()
    assert "ne peut plus être modifiée" in page
    assert "Finaliser la session" not in page and "Ajouter des élèves" not in page


def test_a_created_session_offers_every_action_to_admins_and_none_to_members(
    alice_client, bob_client, school, session
):
    session.date = date.today() - timedelta(days=1)  # it took place: it can be finalised
    session.save()
    page = alice_client.get(url("session_detail", school, session.id)).content.decode()
    for action in ("Finaliser la session", "Modifier la session", "Ajouter des élèves"):
        assert action in page
    page = bob_client.get(url("session_detail", school, session.id)).content.decode()
    assert "Feuille d&#x27;émargement" in page
    for action in ("Finaliser la session", "Modifier la session", "Ajouter des élèves"):
        assert action not in page


def test_more_than_20_candidates_per_invigilator_shows_a_warning(alice_client, school):
    session = SessionFactory(organization=school, examiner="Mme Durand et M. Petit")
    CandidateFactory.create_batch(40, session=session)
    assert (
        "Pas assez de surveillants"
        not in alice_client.get(url("session_detail", school, session.id)).content.decode()
    )
    CandidateFactory(session=session)
    page = alice_client.get(url("session_detail", school, session.id)).content.decode()
    assert "Pas assez de surveillants" in page and "41 candidats pour 2 surveillants" in page


def test_the_outsider_walk_fills_every_session_page_with_real_victim_ids(school):
    routes = [r for r in org_url_patterns() if r.startswith("o/<int:org_id>/sessions/")]
    world = victim_world(school)
    assert len(routes) == 16
    for route in routes:
        names = {match["name"] for match in PARAMETER.finditer(route)} - {"org_id"}
        assert names <= set(world), route
