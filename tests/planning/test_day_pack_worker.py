"""With a broker (CI), a real Celery worker prepares the day pack the page then serves."""

import time

from django.db import transaction

from jobs.files import private_file_read
from planning.models import DayPackJob
from planning.pack_jobs import day_pack_job_start
from tests.factories import CandidateFactory, OrganizationFactory, SessionFactory
from tests.sessions.conftest import pdf_pages
from tests.sessions.test_documents_worker import shared_media  # noqa: F401 — the fixture
from tests.test_celery_worker import celery_worker_process  # noqa: F401 — the fixture


def test_a_real_worker_prepares_the_day_pack(shared_media, celery_worker_process):  # noqa: F811
    school = OrganizationFactory()
    session = SessionFactory(organization=school)
    CandidateFactory.create_batch(3, session=session)

    with transaction.atomic():
        job = day_pack_job_start(organization=school, day=session.date)

    deadline = time.monotonic() + 120
    while not DayPackJob.objects.get(pk=job.pk).is_finished:
        assert celery_worker_process.poll() is None, celery_worker_process.stdout.read()
        assert time.monotonic() < deadline, "le worker n'a pas préparé la pochette en 120 s"
        time.sleep(0.3)
    job.refresh_from_db()
    assert job.status == DayPackJob.Status.DONE and job.progress == 100
    # cover, kit (3), attendance sheet, PV d'incident (3), 3 convocations
    assert len(pdf_pages(private_file_read(private_file=job.pdf_file))) == 11
