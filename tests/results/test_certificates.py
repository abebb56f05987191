"""Attestations: one student's PDF, a whole class in one PDF (a task), the student's own."""

import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import AuditLog
from certification.referential import COMPETENCE_CODES
from jobs.files import private_file_save, private_storage
from jobs.tasks import jobs_sweep_task
from results.models import CertificateBatch
from tests.factories import CandidateFactory, StudentFactory, StudentUserFactory
from tests.pages import polled_urls, progress
from tests.results.factories import CertificationResultFactory, finalized_session

pytestmark = pytest.mark.django_db


def pdf_pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


@pytest.fixture
def session(school):
    return finalized_session(school, status="published", date=date(2026, 3, 12))


def certified(session, last_name, *, division="3EA", status="validated", levels=None, **fields):
    return CertificationResultFactory(
        candidate=CandidateFactory(
            session=session,
            is_present=True,
            last_name=last_name,
            first_name="Léa",
            division=division,
            **fields,
        ),
        status=status,
        levels=levels or {"1.1": 3, "2.1": 2, "3.4": 0},
    )


def test_a_referent_downloads_one_students_certificate(bob_client, school, session, settings):
    settings.SITE_URL = "https://pix-portal.example.fr"
    # Every competence but 1.2 tested, with the longest labels: still one A4 page.
    levels = {code: 3 for code in COMPETENCE_CODES if code != "1.2"} | {"3.4": 0}
    result = certified(session, "MARTIN", levels=levels, birth_city="PARIS 14E ARRONDISSEMENT")

    response = bob_client.get(reverse("results:certificate", args=[school.id, result.id]))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attestation_pix_MARTIN_L%C3%A9a_20260312.pdf" in response["Content-Disposition"]
    [text] = pdf_pages(response.content)
    for expected in [
        "MARTIN Léa",
        "14/02/2012",
        "PARIS 14E ARRONDISSEMENT",
        school.name,
        "12/03/2026",
        f"{result.pix_score}",
        "1. Information et données",
        "1.1 Mener une recherche",
        "Niveau 3 (Indépendant)",
        "Non certifiée",  # 3.4 tested, failed
        "Non évaluée",  # 1.2 not tested
        result.verification_code,
        "https://pix-portal.example.fr/verification/",
        "valable trois ans",
        "12/03/2029",
    ]:
        assert expected in text, expected
    assert AuditLog.objects.filter(
        action="export", details__export=AuditLog.Export.CERTIFICATE
    ).exists()


def test_a_rejected_student_gets_no_certificate(bob_client, school, session):
    result = certified(session, "PETIT", status="rejected")
    assert bob_client.get(
        reverse("results:certificate", args=[school.id, result.id])
    ).status_code == (404)


def test_the_class_certificates_come_as_one_pdf_one_page_per_certified_student(
    bob_client, school, session, django_capture_on_commit_callbacks
):
    for name in ["MARTIN", "PETIT", "DURAND"]:
        certified(session, name)
    certified(session, "REJETÉ", status="rejected")
    certified(session, "AUTRECLASSE", division="3EB")

    with django_capture_on_commit_callbacks(execute=True):
        response = bob_client.post(
            reverse("results:certificate_batch_start", args=[school.id]) + "?classe=3EA"
        )

    batch = CertificateBatch.objects.get()
    assert response.url == reverse("results:certificate_batch", args=[school.id, batch.id])
    assert (batch.status, batch.total, batch.progress) == ("done", 3, 100)
    page = bob_client.get(response.url).content.decode()
    assert "Le fichier des attestations est prêt" in page
    download = bob_client.get(
        reverse("results:certificate_batch_download", args=[school.id, batch.id])
    )
    assert download["Content-Disposition"].endswith('attestations_pix_3EA.pdf"')
    pages = pdf_pages(b"".join(download.streaming_content))
    assert len(pages) == 3
    assert [p for p in pages if "DURAND Léa" in p] and [p for p in pages if "PETIT Léa" in p]
    assert not [p for p in pages if "REJETÉ" in p or "AUTRECLASSE" in p]


def test_the_progress_page_polls_until_the_pdf_is_ready(bob_client, school, session):
    certified(session, "MARTIN")
    batch = CertificateBatch.objects.create(organization=school, division="3EA", total=1)
    url = reverse("results:certificate_batch", args=[school.id, batch.id])

    fragment = bob_client.get(url, HTTP_HX_REQUEST="true").content.decode()

    assert polled_urls(fragment) == [url] and progress(fragment) == 0
    assert "<html" not in fragment


def test_a_class_without_certified_students_gets_a_message_not_a_pdf(bob_client, school, session):
    certified(session, "PETIT", status="rejected")
    response = bob_client.post(
        reverse("results:certificate_batch_start", args=[school.id]) + "?classe=3EA", follow=True
    )
    assert "pas d&#x27;attestation à produire" in response.content.decode()
    assert not CertificateBatch.objects.exists()


def test_certificates_come_per_class_or_session_never_for_the_whole_school(
    bob_client, school, session
):
    certified(session, "MARTIN")
    response = bob_client.post(reverse("results:certificate_batch_start", args=[school.id]))
    assert response.status_code == 302
    assert not CertificateBatch.objects.exists()


def test_another_schools_batch_cannot_be_downloaded(charlie_client, other_school, school):
    batch, _key = _batch_stored(school, hours_ago=0)
    url = reverse("results:certificate_batch_download", args=[other_school.id, batch.id])
    assert charlie_client.get(url).status_code == 404


def test_a_student_sees_their_result_and_downloads_their_certificate(client, school, session):
    user = StudentUserFactory(username="lea.martin0103", first_name="Léa", last_name="Martin")
    student = StudentFactory(organization=school, user=user, last_name="MARTIN", first_name="Léa")
    result = CertificationResultFactory(
        candidate=CandidateFactory(
            session=session, student=student, is_present=True, last_name="MARTIN", first_name="Léa"
        ),
        levels={"1.1": 3, "2.1": 2},
    )
    client.force_login(user)

    page = client.get(reverse("results_public:student_home")).content.decode()
    assert "Mes résultats de certification" in page
    assert "Nombre de Pix : 40" in page and result.verification_code in page
    response = client.get(reverse("results_public:student_certificate", args=[result.id]))
    assert response.status_code == 200
    assert "MARTIN Léa" in pdf_pages(response.content)[0]


def test_a_student_cannot_download_someone_elses_certificate(client, school, session):
    other = certified(session, "MARTIN")
    intruder = StudentUserFactory()
    client.force_login(intruder)
    response = client.get(reverse("results_public:student_certificate", args=[other.id]))
    assert response.status_code == 404
    assert (
        "Aucun résultat de certification"
        in client.get(reverse("results_public:student_home")).content.decode()
    )


def _batch_stored(school, *, hours_ago):
    expires_at = timezone.now() + timedelta(hours=24 - hours_ago)
    file = private_file_save(
        organization=school,
        folder="attestations",
        content=b"%PDF-1.7",
        download_name="attestations.pdf",
        content_type="application/pdf",
        expires_at=expires_at,
    )
    batch = CertificateBatch.objects.create(
        organization=school, status="done", total=1, file=file, expires_at=expires_at
    )
    return batch, file.key


def test_a_class_pdf_is_deleted_after_24_hours_by_the_beat_job(school, other_school, settings):
    old, old_key = _batch_stored(school, hours_ago=25)
    recent, recent_key = _batch_stored(other_school, hours_ago=2)

    jobs_sweep_task()

    old.refresh_from_db()
    assert not private_storage().exists(old_key) and old.file is None
    assert private_storage().exists(recent_key)
    assert any(
        entry["task"] == "jobs.tasks.jobs_sweep_task"
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
    )


def test_a_class_pdf_older_than_24_hours_cannot_be_downloaded(bob_client, school):
    batch, _key = _batch_stored(school, hours_ago=25)
    url = reverse("results:certificate_batch_download", args=[school.id, batch.id])
    assert bob_client.get(url).status_code == 404


def test_class_certificates_are_tagged_for_screen_readers_across_chunks(school, session):
    """12 certificates: three chunks laid out apart, written as one tagged document."""
    from results.documents import certificates_render
    from results.selectors import published_results
    from tests.pdf_tags import assert_accessible

    for number in range(12):
        certified(session, f"ÉLÈVE{number:02d}")
    content = certificates_render(
        results=list(published_results(organization=school, division="3EA", session=None))
    )

    pdf = assert_accessible(
        content,
        title="Attestation de certification Pix",
        roles={"/H1", "/H2", "/Table", "/TH", "/TD", "/Link"},
    )
    assert pdf.page_count == 12 and pdf.roles.count("/H1") == 12
    # Each identity row is headed by its row header ("Nom et prénom"…), 5 per certificate.
    assert sum(1 for headers in pdf.cell_headers if headers == 1) == 12 * 5
    assert len(pdf.links) == 12 and all("/verification" in link for link in pdf.links)
