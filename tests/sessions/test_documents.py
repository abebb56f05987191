"""Session documents: real PDFs read back, the ZIP, and big documents rendered by a task."""

import io
import zipfile
from datetime import date, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditLog
from jobs.files import private_storage
from jobs.services import jobs_sweep
from sessions.documents import DOCUMENTS, attendance_sheet_render
from sessions.models import DocumentJob
from sessions.selectors import candidates_for_documents
from tests.factories import CandidateFactory, SessionFactory
from tests.pages import polled_urls, polls, progress
from tests.sessions.conftest import pdf_pages

pytestmark = pytest.mark.django_db


def url(name, org, *args):
    return reverse(f"certif_sessions:{name}", args=[org.id, *args])


def enrol(session, count, **fields):
    return [
        CandidateFactory(session=session, last_name=f"NOËL{i:03d}", first_name="Aurélie", **fields)
        for i in range(count)
    ]


def test_the_attendance_sheet_has_the_session_header_and_20_candidates_per_page(
    bob_client, school, session
):
    session.date, session.time = date(2026, 12, 3), time(9, 0)
    session.save()
    enrol(session, 41)

    response = bob_client.get(url("document_download", school, session.id, "feuille-emargement"))

    assert response["Content-Type"] == "application/pdf"
    assert f"session-{session.id}-feuille-emargement.pdf" in response["Content-Disposition"]
    pages = pdf_pages(response.content)
    assert len(pages) == 3
    for number, text in enumerate(pages, start=1):
        assert f"Feuille d'émargement — Session n° {session.id}" in text
        # Where the date cell wraps depends on the machine's fonts.
        assert "jeudi 3 décembre 2026" in " ".join(text.split()) and "09:00" in text
        assert "Bâtiment Éole" in text and "Salle B12" in text and "Mme Durand, M. Petit" in text
        assert "Nom de naissance" in text and "Date de naissance" in text and "Signature" in text
        assert f"Page {number}/3" in text
    assert [text.count("Aurélie") for text in pages] == [20, 20, 1]


def test_the_attendance_sheet_is_sorted_by_name_with_accents_and_truncates_long_names(session):
    for last_name, first_name in [
        ("ZOLA", "Émile"),
        ("ÉLUARD", "Paul"),
        ("EZ", "Ève"),
        ("DE LA TOUR D'AUVERGNE-LAURAGUAIS DE SAINT-ÉTIENNE", "Marie-Héloïse-Bénédicte-Françoise"),
    ]:
        CandidateFactory(session=session, last_name=last_name, first_name=first_name)

    ordered = candidates_for_documents(session=session)
    assert [c.last_name for c in ordered][1:] == ["ÉLUARD", "EZ", "ZOLA"]

    text = pdf_pages(attendance_sheet_render(session=session, candidates=ordered))[0]
    assert "ÉLUARD" in text and "Ève" in text and "Émile" in text
    long_row = next(line for line in text.splitlines() if line.startswith("DE LA TOUR"))
    assert long_row.count("…") == 2 and "14/02/2012" in long_row
    assert "SAINT-ÉTIENNE" not in text and "Françoise" not in text
    assert text.index("ÉLUARD") < text.index("EZ") < text.index("ZOLA")


def test_an_empty_session_still_gets_a_one_page_sheet(session):
    pages = pdf_pages(attendance_sheet_render(session=session, candidates=[]))
    assert len(pages) == 1 and "Aucun candidat inscrit." in pages[0]


def test_the_incident_report_lists_the_candidates_and_the_incident_codes(
    alice_client, school, session
):
    enrol(session, 3, extra_time_percentage=33)
    pages = pdf_pages(
        alice_client.get(url("document_download", school, session.id, "pv-incident")).content
    )
    text = "\n".join(pages)
    assert f"PV d'incident — Session n° {session.id}" in pages[0]
    assert "NOËL000" in pages[0] and "33 %" in pages[0]
    assert "Description de l'incident" in text
    for code in ("C1", "C2", "C4", "C6", "C7", "C8", "E1", "E12"):
        assert code in pages[-1]
    assert "Le numéro de la question" in pages[-1]


def test_convocations_give_one_page_per_candidate(alice_client, school, session):
    enrol(session, 3)
    pages = pdf_pages(
        alice_client.get(url("document_download", school, session.id, "convocations")).content
    )
    assert len(pages) == 3
    assert all("Convocation à la certification Pix" in p for p in pages)
    assert "pièce d'identité" in pages[0] and "identifiant Pix" in pages[0]
    assert "Aurélie NOËL000" in pages[0] and "Aurélie NOËL002" in pages[2]


def test_the_invigilator_kit_gives_the_codes_and_what_to_read(alice_client, school, session):
    text = "\n".join(
        pdf_pages(
            alice_client.get(
                url("document_download", school, session.id, "kit-surveillant")
            ).content
        )
    )
    assert "B K T M 4 7" in text or "BKTM47" in text
    assert "k7m2pq" in text.replace(" ", "")
    assert "Instructions à lire aux candidats" in text and "À la fin du test" in text


def test_the_fraud_report_is_one_page_with_the_session_header(alice_client, school, session):
    pages = pdf_pages(
        alice_client.get(url("document_download", school, session.id, "pv-fraude")).content
    )
    assert len(pages) == 1
    assert f"PV de fraude — Session n° {session.id}" in pages[0] and "Mesures prises" in pages[0]


def test_download_all_gives_a_zip_of_every_document(
    alice_client, school, session, django_capture_on_commit_callbacks
):
    enrol(session, 2)
    assert (
        "Préparer le document"
        in alice_client.get(url("document_download", school, session.id, "tout")).content.decode()
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(url("document_download", school, session.id, "tout"))
    job = DocumentJob.objects.get()
    assert response.url == url("document_job", school, session.id, job.id)
    assert (job.status, job.progress) == (DocumentJob.Status.DONE, 100)

    download = alice_client.get(url("document_job_download", school, session.id, job.id))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = sorted(archive.namelist())
    assert names == sorted(
        f"session-{session.id}-{slug}.pdf"
        for slug in (
            "feuille-emargement",
            "pv-incident",
            "pv-fraude",
            "convocations",
            "kit-surveillant",
        )
    )
    for name in names:
        assert archive.read(name).startswith(b"%PDF-")
    assert len(pdf_pages(archive.read(f"session-{session.id}-convocations.pdf"))) == 2


def test_a_big_attendance_sheet_is_rendered_by_a_task_the_page_polls(
    bob_client, school, session, settings, django_capture_on_commit_callbacks
):
    settings.SESSION_DOCUMENT_INLINE_MAX_PAGES = 1
    enrol(session, 45)

    page = bob_client.get(url("document_download", school, session.id, "feuille-emargement"))
    assert (
        page["Content-Type"].startswith("text/html") and "environ 3 pages" in page.content.decode()
    )

    with django_capture_on_commit_callbacks(execute=True):
        started = bob_client.post(
            url("document_download", school, session.id, "feuille-emargement")
        )
    job = DocumentJob.objects.get()
    poll = bob_client.get(url("document_job", school, session.id, job.id), HTTP_HX_REQUEST="true")
    assert "Le document est prêt." in poll.content.decode() and "<html" not in poll.content.decode()
    assert not polls(poll.content.decode())
    assert "Télécharger : Feuille d&#x27;émargement" in bob_client.get(started.url).content.decode()

    pdf = b"".join(
        bob_client.get(url("document_job_download", school, session.id, job.id)).streaming_content
    )
    assert len(pdf_pages(pdf)) == 3
    job.refresh_from_db()
    assert private_storage().exists(job.file.key)


def test_a_pending_job_page_polls_its_progress(bob_client, school, session):
    job = DocumentJob.objects.create(
        organization=school, session=session, document="convocations", progress=40
    )
    job_url = url("document_job", school, session.id, job.id)
    html = bob_client.get(job_url).content.decode()
    assert polled_urls(html) == [job_url] and progress(html) == 40


def test_a_job_is_only_reachable_through_its_own_session(alice_client, school, session):
    other_session = SessionFactory(organization=school)
    job = DocumentJob.objects.create(organization=school, session=other_session, document="tout")
    for name in ("document_job", "document_job_download"):
        assert alice_client.get(url(name, school, session.id, job.id)).status_code == 404


def test_generated_files_are_purged_after_the_retention_time(
    alice_client, school, session, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(url("document_download", school, session.id, "pv-fraude"))
    job = DocumentJob.objects.get()
    key = job.file.key

    assert jobs_sweep()["deleted_files"] == 0
    later = timezone.now() + timedelta(hours=2)
    assert jobs_sweep(now=later)["deleted_files"] == 1
    expired = alice_client.get(url("document_job_download", school, session.id, job.id))
    assert expired.status_code == 302
    assert not private_storage().exists(key)


def test_every_download_is_recorded_as_an_export(bob_client, bob, school, session):
    bob_client.get(url("document_download", school, session.id, "feuille-emargement"))
    log = AuditLog.objects.get(action=AuditLog.Action.EXPORT)
    assert log.actor == bob and log.details["document"] == "feuille-emargement"
    assert log.details["session_id"] == session.id


def test_an_unknown_document_is_not_found(alice_client, school, session):
    assert (
        alice_client.get(url("document_download", school, session.id, "inconnu")).status_code == 404
    )
    assert set(DOCUMENTS) == {
        "feuille-emargement",
        "pv-incident",
        "pv-fraude",
        "convocations",
        "kit-surveillant",
        "tout",
    }


def test_tout_telecharger_starts_the_preparation_from_the_session_page(
    alice_client, school, session
):
    enrol(session, 30)  # 30 convocations: prepared by a task too

    page = alice_client.get(url("session_detail", school, session.id)).content.decode()

    for slug in ("tout", "convocations"):
        action = url("document_download", school, session.id, slug)
        assert f'<form method="post" action="{action}">' in page
    small = url("document_download", school, session.id, "pv-fraude")
    assert f'href="{small}"' in page  # a small PDF still comes back at once
