"""Finalisation: once, by an admin, consistent per candidate, with the signed PV; then
read-only."""

import threading
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditLog
from jobs.files import private_file_read, private_storage
from jobs.models import PrivateFile
from sessions import services
from sessions.models import Candidate, CertificationIssueReport, Session
from tests.factories import CandidateFactory, IssueReportFactory
from tests.pages import root_id

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def url(name, org, *args):
    return reverse(f"certif_sessions:{name}", args=[org.id, *args])


def scan(content=PDF, name="pv.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def finalize(session, candidates=None, **fields):
    """The service alone, with a PDF scan and nothing else to say unless told."""
    return services.session_finalize(
        session=session,
        candidates=candidates or {},
        **{"has_incident": False, "has_joining_issue": False, "comment": "", **fields},
        signed_pv=scan(),
        signed_pv_content_type="application/pdf",
        signed_pv_extension="pdf",
    )


@pytest.fixture
def session(session):
    """Finalisation comes after the session: this one took place yesterday."""
    session.date = timezone.localdate() - timedelta(days=1)
    session.save()
    return session


@pytest.fixture
def finished(session):
    return CandidateFactory(session=session, last_name="FINI", first_name="Léa")


@pytest.fixture
def unfinished(session):
    return CandidateFactory(session=session, last_name="PASFINI", first_name="Noé")


@pytest.fixture
def absent(session):
    return CandidateFactory(session=session, last_name="ABSENT", first_name="Zoé")


def lines(finished, unfinished, absent, **overrides):
    data = {
        f"present_{finished.id}": "on",
        f"end_screen_{finished.id}": "on",
        f"present_{unfinished.id}": "on",
        f"abort_reason_{unfinished.id}": Candidate.AbortReason.TECHNICAL,
        "comment": "Coupure réseau de cinq minutes.",
        "has_incident": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_an_admin_finalises_the_session_once(
    alice_client, alice, school, session, finished, unfinished, absent, settings
):
    response = alice_client.post(
        url("session_finalize", school, session.id),
        {**lines(finished, unfinished, absent), "signed_pv": scan()},
    )
    assert response.url == url("session_detail", school, session.id)

    session.refresh_from_db()
    assert session.status == Session.Status.FINALIZED and session.finalized_at is not None
    assert session.finalized_by == alice
    assert (session.has_incident, session.has_joining_issue) == (True, False)
    assert session.finalization_comment == "Coupure réseau de cinq minutes."
    assert session.signed_pv.content_type == "application/pdf"
    assert private_file_read(private_file=session.signed_pv) == PDF
    states = {
        c.last_name: (c.is_present, c.has_seen_end_test_screen, c.abort_reason)
        for c in session.candidates.all()
    }
    assert states == {
        "FINI": (True, True, ""),
        "PASFINI": (True, False, "technical"),
        "ABSENT": (False, False, ""),
    }
    log = AuditLog.objects.get(action=AuditLog.Action.SESSION_FINALIZED)
    assert log.actor == alice and log.details["session_id"] == session.id

    again = alice_client.post(
        url("session_finalize", school, session.id),
        {**lines(finished, unfinished, absent, comment="Autre"), "signed_pv": scan()},
    )
    assert again.url == url("session_detail", school, session.id)
    session.refresh_from_db()
    assert session.finalization_comment == "Coupure réseau de cinq minutes."
    assert AuditLog.objects.filter(action=AuditLog.Action.SESSION_FINALIZED).count() == 1


def test_the_service_refuses_a_second_finalisation(session):
    session.status = Session.Status.FINALIZED
    session.save()
    with pytest.raises(services.SessionNotEditableError):
        finalize(session)


def starting_in_two_hours_in_tahiti(session):
    """Two hours from now at the school in Tahiti; read as Paris time, already past."""
    start = timezone.localtime(timezone=ZoneInfo("Pacific/Tahiti")) + timedelta(hours=2)
    session.organization.timezone = "Pacific/Tahiti"
    session.organization.save()
    session.date, session.time = start.date(), start.time().replace(second=0, microsecond=0)
    session.save()
    return start


def test_a_session_is_finalised_only_once_it_has_started_at_the_school(
    alice_client, school, session, finished, unfinished, absent
):
    start = starting_in_two_hours_in_tahiti(session)

    detail = alice_client.get(url("session_detail", school, session.id)).content.decode()
    assert "Finaliser la session" not in detail
    assert f"pourra être finalisée après son début, le {start:%d/%m/%Y} à {start:%H:%M}" in detail
    assert alice_client.get(url("session_finalize", school, session.id)).url == url(
        "session_detail", school, session.id
    )
    response = alice_client.post(
        url("session_finalize", school, session.id),
        {**lines(finished, unfinished, absent), "signed_pv": scan()},
        follow=True,
    )
    assert "La session n&#x27;a pas encore eu lieu" in response.content.decode()
    session.refresh_from_db()
    assert session.status == Session.Status.CREATED and not session.signed_pv
    assert not Candidate.objects.filter(session=session, is_present=True).exists()

    session.date -= timedelta(days=1)
    session.save()
    detail = alice_client.get(url("session_detail", school, session.id)).content.decode()
    assert "Finaliser la session" in detail

    session.date += timedelta(days=2)
    session.save()
    with pytest.raises(services.SessionNotStartedError):
        finalize(session)


def test_a_session_held_earlier_than_planned_is_corrected_then_finalised(
    alice_client, school, session, finished, unfinished, absent
):
    session.date = timezone.localdate() + timedelta(days=30)  # the wrong month was typed
    session.save()
    held_on = timezone.localdate() - timedelta(days=1)
    response = alice_client.post(
        url("session_update", school, session.id),
        {
            "address": session.address,
            "room": session.room,
            "date": held_on.isoformat(),
            "time": "09:00",
            "examiner": session.examiner,
        },
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.date == held_on and session.has_started

    response = alice_client.post(
        url("session_finalize", school, session.id),
        {**lines(finished, unfinished, absent), "signed_pv": scan()},
    )
    session.refresh_from_db()
    assert session.status == Session.Status.FINALIZED


def test_a_candidate_added_meanwhile_stops_the_finalisation(session, finished, unfinished, absent):
    lines = services_lines(finished, unfinished, absent)
    CandidateFactory(session=session, last_name="RETARDATAIRE")
    with pytest.raises(services.CandidatesChangedError):
        finalize(session, lines)
    session.refresh_from_db()
    assert session.status == Session.Status.CREATED and not session.signed_pv
    assert not PrivateFile.objects.exists()
    assert not any(Path(settings.PRIVATE_STORAGE_ROOT).rglob("*.pdf")), "no scan left behind"


@pytest.mark.parametrize(
    "overrides, message",
    [
        # Present, end screen not seen, no reason: the test is unfinished.
        ({"abort_reason_{unfinished}": ""}, "PASFINI : le test n&#x27;est pas terminé"),
        # End screen seen and a reason: contradictory.
        ({"abort_reason_{finished}": "candidate"}, "FINI : le test est terminé"),
        # Absent with a reason.
        ({"abort_reason_{absent}": "candidate"}, "ABSENT : un candidat absent"),
    ],
)
def test_the_abort_reason_is_required_for_unfinished_tests_and_forbidden_otherwise(
    alice_client, school, session, finished, unfinished, absent, overrides, message
):
    ids = {"finished": finished.id, "unfinished": unfinished.id, "absent": absent.id}
    data = lines(finished, unfinished, absent)
    data.update({key.format(**ids): value for key, value in overrides.items()})
    response = alice_client.post(
        url("session_finalize", school, session.id), {**data, "signed_pv": scan()}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    session.refresh_from_db()
    assert session.status == Session.Status.CREATED and not session.signed_pv


def test_the_global_comment_is_at_most_500_characters(
    alice_client, school, session, finished, unfinished, absent
):
    data = lines(finished, unfinished, absent, comment="x" * 501)
    response = alice_client.post(
        url("session_finalize", school, session.id), {**data, "signed_pv": scan()}
    )
    assert "au plus 500 caractères" in response.content.decode()
    session.refresh_from_db()
    assert session.status == Session.Status.CREATED


def test_the_signed_pv_is_required_and_judged_by_its_content(
    alice_client, school, session, finished, unfinished, absent
):
    data = lines(finished, unfinished, absent)
    missing = alice_client.post(url("session_finalize", school, session.id), data)
    assert "Ce champ est obligatoire." in missing.content.decode()

    disguised = alice_client.post(
        url("session_finalize", school, session.id),
        {**data, "signed_pv": scan(b"<html>pas un scan</html>", name="pv.pdf")},
    )
    assert "ni un PDF, ni une image JPEG ou PNG" in disguised.content.decode()
    session.refresh_from_db()
    assert session.status == Session.Status.CREATED

    png = alice_client.post(
        url("session_finalize", school, session.id),
        {**data, "signed_pv": scan(PNG, name="scan.pdf")},
    )
    assert png.status_code == 302
    session.refresh_from_db()
    assert session.signed_pv.content_type == "image/png"
    assert session.signed_pv.download_name.endswith(".png")


def test_a_too_big_scan_is_refused(
    alice_client, school, session, finished, unfinished, absent, settings
):
    settings.SESSION_SIGNED_PV_MAX_SIZE = 1024
    data = {**lines(finished, unfinished, absent), "signed_pv": scan(PDF + b"0" * 2048)}
    response = alice_client.post(url("session_finalize", school, session.id), data)
    assert "10 Mo au plus" in response.content.decode()
    session.refresh_from_db()
    assert session.status == Session.Status.CREATED


def test_a_member_cannot_finalise(bob_client, school, session, finished, unfinished, absent):
    data = {**lines(finished, unfinished, absent), "signed_pv": scan()}
    assert bob_client.post(url("session_finalize", school, session.id), data).status_code == 403
    session.refresh_from_db()
    assert session.status == Session.Status.CREATED


def test_the_invigilators_reports_are_prefilled_and_the_admin_adds_more(
    alice_client, school, session, finished
):
    IssueReportFactory(candidate=finished, code="E1", question_number=7)
    page = alice_client.get(url("session_finalize", school, session.id)).content.decode()
    assert "E1" in page and "Surveillant" in page and f"present_{finished.id}" in page

    partial = alice_client.post(
        url("issue_report_add", school, session.id),
        {"candidate": finished.id, "code": "C2", "description": "Temps majoré de 33 % accordé"},
        HTTP_HX_REQUEST="true",
    )
    html = partial.content.decode()
    assert root_id(html) == "signalements" and "C2" in html and "Finalisation" in html
    report = CertificationIssueReport.objects.get(code="C2")
    assert report.source == CertificationIssueReport.Source.ADMIN

    alice_client.post(
        url("issue_report_delete", school, session.id, report.id), HTTP_HX_REQUEST="true"
    )
    assert list(finished.issue_reports.values_list("code", flat=True)) == ["E1"]


def test_an_issue_report_for_another_sessions_candidate_is_refused(alice_client, school, session):
    stranger = CandidateFactory()
    alice_client.post(
        url("issue_report_add", school, session.id),
        {"candidate": stranger.id, "code": "C7", "description": "x"},
    )
    assert not CertificationIssueReport.objects.exists()


def test_the_signed_pv_is_served_to_the_schools_admins_only(
    alice_client, bob_client, school, session, finished, unfinished, absent
):
    alice_client.post(
        url("session_finalize", school, session.id),
        {**lines(finished, unfinished, absent), "signed_pv": scan()},
    )
    download = alice_client.get(url("signed_pv_download", school, session.id))
    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]
    assert bob_client.get(url("signed_pv_download", school, session.id)).status_code == 403
    session.refresh_from_db()
    with pytest.raises(ValueError):
        # No public URL: the scan is only streamed by the view.
        private_storage().url(session.signed_pv.key)


def test_the_finalised_page_shows_what_was_recorded(
    bob_client, school, session, finished, unfinished, absent
):
    IssueReportFactory(
        candidate=finished, code="E4", question_number=3, description="Site indisponible"
    )
    finalize(
        session, services_lines(finished, unfinished, absent), has_joining_issue=True, comment="RAS"
    )
    page = bob_client.get(url("session_detail", school, session.id)).content.decode()
    assert "Finalisée" in page and "RAS" in page and "problème technique" in page
    assert "E4 (Q3)" in page and "Site indisponible" in page


def services_lines(finished, unfinished, absent):
    line = services.CandidateFinalization
    return {
        finished.id: line(True, True, ""),
        unfinished.id: line(True, False, "technical"),
        absent.id: line(False, False, ""),
    }


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_finalisations_give_one(school, session, finished, unfinished, absent):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    outcomes = []

    def finalise():
        try:
            finalize(
                Session.objects.get(pk=session.pk),
                services_lines(finished, unfinished, absent),
            )
            outcomes.append("finalised")
        except services.SessionNotEditableError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=finalise) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["finalised", "refused"]
