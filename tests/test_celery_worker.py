"""With a broker configured (CI), a real Celery worker runs what the portal enqueues on commit."""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session as WebSession
from django.db import transaction
from django.utils import timezone

from pix_portal.celery import app
from tests.celery_worker import celery_worker_started


@pytest.fixture
def celery_worker_process(transactional_db, settings):
    with celery_worker_started(settings) as worker:
        yield worker


def test_a_task_enqueued_on_commit_runs_in_a_real_worker(celery_worker_process):
    from accounts.tasks import clear_expired_web_sessions

    WebSession.objects.create(
        session_key="expired-session-key",
        session_data="",
        expire_date=timezone.now() - timedelta(days=1),
    )
    with transaction.atomic():
        transaction.on_commit(clear_expired_web_sessions.delay)
    deadline = time.monotonic() + 60
    while WebSession.objects.filter(session_key="expired-session-key").exists():
        assert celery_worker_process.poll() is None, celery_worker_process.stdout.read()
        assert time.monotonic() < deadline, "le worker n'a pas exécuté la tâche en 60 s"
        time.sleep(0.2)


def test_a_reset_of_several_classes_runs_in_a_real_worker(celery_worker_process, school, alice):
    from student_accounts.models import PasswordResetJob
    from student_accounts.services import password_reset_file_take, password_reset_job_create
    from tests.factories import StudentFactory

    students = [StudentFactory(organization=school, division=d) for d in ("3E1", "3E2", "4E1")]
    with transaction.atomic():
        job = password_reset_job_create(organization=school, students=students, requested_by=alice)
    deadline = time.monotonic() + 60
    while not job.is_finished:
        assert celery_worker_process.poll() is None, celery_worker_process.stdout.read()
        assert time.monotonic() < deadline, "le worker n'a pas fini la réinitialisation en 60 s"
        time.sleep(0.2)
        job.refresh_from_db()
    assert job.status == PasswordResetJob.Status.DONE, job.error
    content = password_reset_file_take(job=job, kind="csv", taken_by=alice)
    assert content.decode("utf-8-sig").count("\n") == 4  # header + 3 students


def test_every_beat_job_names_a_registered_task():
    app.loader.import_default_modules()
    assert settings.CELERY_BEAT_SCHEDULE
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, name
