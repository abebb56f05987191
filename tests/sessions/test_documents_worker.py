"""With a broker (CI), a real Celery worker renders a big document the page then serves."""

import time

import pytest
from django.db import transaction

from jobs.files import private_file_read
from sessions.document_jobs import document_job_start
from sessions.documents import DOCUMENTS
from sessions.models import DocumentJob
from tests.factories import CandidateFactory, OrganizationFactory, SessionFactory
from tests.sessions.conftest import pdf_pages
from tests.test_celery_worker import celery_worker_process  # noqa: F401 — the fixture


@pytest.fixture
def shared_media(monkeypatch, settings):
    # The worker is another process: it must write where this test reads.
    monkeypatch.setenv("MEDIA_ROOT", str(settings.MEDIA_ROOT))


def test_a_real_worker_renders_the_attendance_sheet(shared_media, celery_worker_process):  # noqa: F811
    school = OrganizationFactory()
    session = SessionFactory(organization=school)
    CandidateFactory.create_batch(25, session=session)

    with transaction.atomic():
        job = document_job_start(session=session, document=DOCUMENTS["feuille-emargement"])

    deadline = time.monotonic() + 90
    while not DocumentJob.objects.get(pk=job.pk).is_finished:
        assert celery_worker_process.poll() is None, celery_worker_process.stdout.read()
        assert time.monotonic() < deadline, "le worker n'a pas rendu le document en 90 s"
        time.sleep(0.3)
    job.refresh_from_db()
    assert job.status == DocumentJob.Status.DONE and job.progress == 100
    assert len(pdf_pages(private_file_read(private_file=job.file))) == 2
