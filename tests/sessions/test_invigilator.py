"""The Espace surveillant: one session, opened with its number and password, rate-limited."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from sessions.models import CertificationIssueReport, Session
from tests.factories import CandidateFactory, SessionFactory
from tests.pages import out_of_band, polls

pytestmark = pytest.mark.django_db

LOGIN = "/espace-surveillant/"


def log_in(client, session, password="k7m2pq", **extra):  # noqa: S107
    return client.post(LOGIN, {"session_number": session.id, "password": password}, **extra)


@pytest.fixture
def invigilator_client(session):
    """A browser logged in to the Espace surveillant of `session`."""
    client = Client()
    assert log_in(client, session).status_code == 302
    return client


@pytest.fixture
def other_session(school):
    other = SessionFactory(organization=school, invigilator_password="zz9zz9")
    CandidateFactory(session=other, last_name="AILLEURS", first_name="Yanis")
    return other


def test_the_invigilator_sees_the_candidates_of_their_session_only(client, session, other_session):
    CandidateFactory(session=session, last_name="COEURVOLAN", first_name="Aurélie")
    response = log_in(client, session)
    assert response.url == reverse("invigilator:session")

    page = client.get(response.url).content.decode()
    assert f"Session n° {session.id}" in page and "COEURVOLAN" in page
    assert "AILLEURS" not in page
    # Nothing else of the school: no organisation menu, no link to its pages.
    assert "/o/" not in page and "navigation-principale" not in page


def test_the_password_is_not_case_sensitive_and_ignores_spaces(client, session):
    assert log_in(client, session, password=" K7M2PQ ").status_code == 302


def test_a_wrong_password_is_refused_without_saying_which_part_is_wrong(client, session):
    response = log_in(client, session, password="aaaaaa")
    assert "Numéro de session ou mot de passe incorrect." in response.content.decode()
    assert client.get(reverse("invigilator:session")).status_code == 302


def test_another_sessions_password_does_not_open_this_session(client, session, other_session):
    response = log_in(client, session, password=other_session.invigilator_password)
    assert response.status_code == 200
    assert "invigilator_session_id" not in client.session


def test_a_candidate_of_another_session_cannot_be_touched(
    invigilator_client, session, other_session
):
    mine = CandidateFactory(session=session)
    theirs = other_session.candidates.get()
    assert (
        invigilator_client.post(
            reverse("invigilator:attendance", args=[theirs.id]), {"is_present": "on"}
        ).status_code
        == 404
    )
    assert (
        invigilator_client.post(
            reverse("invigilator:issue_report_add", args=[theirs.id]),
            {"code": "C7", "description": "Panne"},
        ).status_code
        == 404
    )
    report = CertificationIssueReport.objects.create(
        candidate=theirs, code="C7", category="non_blocking_technical_issue", source="admin"
    )
    assert (
        invigilator_client.post(
            reverse("invigilator:issue_report_delete", args=[report.id])
        ).status_code
        == 404
    )
    theirs.refresh_from_db()
    assert not theirs.is_present and theirs.issue_reports.count() == 1
    assert (
        invigilator_client.post(
            reverse("invigilator:attendance", args=[mine.id]), {"is_present": "on"}
        ).status_code
        == 302
    )


def test_nothing_is_reachable_before_logging_in(client, session):
    candidate = CandidateFactory(session=session)
    assert client.get(reverse("invigilator:session")).url == LOGIN
    response = client.post(
        reverse("invigilator:attendance", args=[candidate.id]), {"is_present": "on"}, follow=True
    )
    assert "votre dernière action n&#x27;a pas été enregistrée" in response.content.decode()
    candidate.refresh_from_db()
    assert not candidate.is_present


def test_a_lapsed_login_is_said_and_the_tick_is_sent_again_after_logging_in(client, session):
    candidate = CandidateFactory(session=session)
    log_in(client, session)
    client.session.flush()  # an hour without a request: the login session is gone
    client.cookies.clear()

    response = client.post(
        reverse("invigilator:attendance", args=[candidate.id]),
        {"is_present": "on"},
        HTTP_HX_REQUEST="true",
    )

    page = response.content.decode()
    assert response.status_code == 200  # htmx swaps it: the box is shown, not a silent 404
    assert response["HX-Retarget"] == "#connexion-perdue"
    assert response["HX-Trigger"] == "invigilatorSessionLost"
    assert 'role="alert"' in page and "Connexion expirée" in page
    assert 'name="password"' in page
    candidate.refresh_from_db()
    assert not candidate.is_present

    response = log_in(client, session, HTTP_HX_REQUEST="true")
    assert response["HX-Trigger"] == "invigilatorReconnected"
    client.post(
        reverse("invigilator:attendance", args=[candidate.id]),
        {"is_present": "on"},
        HTTP_HX_REQUEST="true",
    )
    candidate.refresh_from_db()
    assert candidate.is_present


def test_a_wrong_password_in_the_reconnection_box_keeps_the_box(client, session):
    response = log_in(client, session, password="faux00", HTTP_HX_REQUEST="true")

    assert "Connexion expirée" in response.content.decode()
    assert "Numéro de session ou mot de passe incorrect." in response.content.decode()


def test_the_open_page_keeps_the_login_alive_and_its_present_counter_true(
    invigilator_client, session
):
    first, second = CandidateFactory(session=session), CandidateFactory(session=session)
    page = invigilator_client.get(reverse("invigilator:session")).content.decode()
    counter = [poll for poll in polls(page) if poll.url == reverse("invigilator:counter")]
    assert counter and counter[0].every_seconds < settings.SESSION_COOKIE_AGE
    assert "0 présent sur 2 candidats" in page

    response = invigilator_client.post(
        reverse("invigilator:attendance", args=[first.id]),
        {"is_present": "on"},
        HTTP_HX_REQUEST="true",
    )
    # the counter is updated along with the card: no reload needed
    assert out_of_band(response.content.decode()) == {
        "compteur-presents": "1 présent sur 2 candidats"
    }

    second.is_present = True  # ticked by the other invigilator
    second.save()
    expiry = invigilator_client.session.get_expiry_date()
    counter = invigilator_client.get(reverse("invigilator:counter"), HTTP_HX_REQUEST="true")
    assert "2 présents sur 2 candidats" in counter.content.decode()
    assert invigilator_client.session.get_expiry_date() >= expiry


def test_the_cards_follow_french_order_and_a_search_finds_a_name_without_its_accent(
    invigilator_client, session
):
    for last_name in ["VINCENT", "ÉTIENNE", "ÇELIK", "DUBOIS"]:
        CandidateFactory(session=session, last_name=last_name)
    page = invigilator_client.get(reverse("invigilator:session")).content.decode()
    positions = [page.index(f"<h2>{name} ") for name in ["ÇELIK", "DUBOIS", "ÉTIENNE", "VINCENT"]]
    assert positions == sorted(positions)

    page = invigilator_client.get(
        reverse("invigilator:session"), {"nom": "etienne"}
    ).content.decode()
    assert "<h2>ÉTIENNE " in page and "<h2>VINCENT " not in page


def test_the_invigilator_ticks_presence_and_end_screen(invigilator_client, session):
    candidate = CandidateFactory(session=session)
    response = invigilator_client.post(
        reverse("invigilator:attendance", args=[candidate.id]),
        {"is_present": "on"},
        HTTP_HX_REQUEST="true",
    )
    assert "Enregistré." in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.is_present and not candidate.has_seen_end_test_screen

    invigilator_client.post(
        reverse("invigilator:attendance", args=[candidate.id]),
        {"is_present": "on", "has_seen_end_test_screen": "on"},
    )
    candidate.refresh_from_db()
    assert candidate.has_seen_end_test_screen


def test_an_issue_on_a_question_needs_its_number(invigilator_client, session):
    candidate = CandidateFactory(session=session)
    add = reverse("invigilator:issue_report_add", args=[candidate.id])

    refused = invigilator_client.post(add, {"code": "E1"}, HTTP_HX_REQUEST="true")
    assert "Indiquez le numéro de la question" in refused.content.decode()
    assert not candidate.issue_reports.exists()

    invigilator_client.post(add, {"code": "E1", "question_number": "12"}, HTTP_HX_REQUEST="true")
    invigilator_client.post(add, {"code": "C7", "description": "Écran figé 2 minutes"})
    reports = list(candidate.issue_reports.order_by("code"))
    assert [(r.code, r.question_number, r.category) for r in reports] == [
        ("C7", None, "non_blocking_technical_issue"),
        ("E1", 12, "in_challenge"),
    ]
    assert {r.source for r in reports} == {CertificationIssueReport.Source.INVIGILATOR}


def test_a_question_number_is_refused_for_a_c_code(invigilator_client, session):
    candidate = CandidateFactory(session=session)
    response = invigilator_client.post(
        reverse("invigilator:issue_report_add", args=[candidate.id]),
        {"code": "C7", "question_number": "3", "description": "Panne"},
        HTTP_HX_REQUEST="true",
    )
    assert "ne concerne que les codes E" in response.content.decode()
    assert not candidate.issue_reports.exists()


def test_a_finalised_session_closes_the_espace_surveillant(client, session):
    log_in(client, session)
    session.status = Session.Status.FINALIZED
    session.save()
    assert client.get(reverse("invigilator:session")).url == LOGIN
    response = log_in(client, session)
    assert "l&#x27;espace surveillant est fermé" in response.content.decode()


def test_failed_logins_are_rate_limited_per_ip_and_session_number(client, session, settings):
    settings.INVIGILATOR_LOGIN_RATE = "3/15m"
    for _ in range(3):
        log_in(client, session, password="aaaaaa")
    # Even the right password is refused now, from this address, for this session.
    blocked = log_in(client, session)
    assert blocked.status_code == 429 and "Trop de tentatives" in blocked.content.decode()
    other = SessionFactory(organization=session.organization, invigilator_password="pp2pp2")
    assert log_in(client, other, password="pp2pp2").status_code == 302
    assert log_in(client, session, REMOTE_ADDR="10.0.0.2").status_code == 302


def test_an_address_trying_many_sessions_is_rate_limited(client, school, settings):
    settings.INVIGILATOR_LOGIN_IP_RATE = "5/h"
    sessions = SessionFactory.create_batch(6, organization=school)
    for session in sessions[:5]:
        log_in(client, session, password="aaaaaa")
    assert log_in(client, sessions[5], password=sessions[5].invigilator_password).status_code == 429


def test_leaving_the_espace_surveillant_forgets_the_session(invigilator_client, session):
    invigilator_client.post(reverse("invigilator:logout"))
    assert invigilator_client.get(reverse("invigilator:session")).url == LOGIN
