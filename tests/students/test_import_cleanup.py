"""The jobs sweep on imports: workers that died, forgotten previews, files past retention."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from jobs.files import private_storage
from jobs.services import jobs_sweep
from students.imports.services import (
    ERRORS_FORGOTTEN,
    INTERRUPTED,
    student_import_confirm,
    student_import_run,
)
from students.models import ImportJob, Student
from tests.students.imports import upload
from tests.students.siecle_files import Eleve, siecle_xml

pytestmark = pytest.mark.django_db


def importing(job: ImportJob, *, heartbeat_ago: timedelta) -> None:
    """The job as a worker leaves it: taken, its heartbeat last moved that long ago."""
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.IMPORTING, heartbeat_at=timezone.now() - heartbeat_ago
    )


def test_an_import_whose_worker_died_is_marked_failed_and_keeps_its_file(
    school, alice, django_capture_on_commit_callbacks
):
    job = upload(school, alice, siecle_xml([Eleve()]), django_capture_on_commit_callbacks)
    student_import_confirm(job=job, confirmed_by=alice)
    importing(job, heartbeat_ago=timedelta(seconds=30))
    jobs_sweep()
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.IMPORTING

    importing(job, heartbeat_ago=settings.JOB_HEARTBEAT_TIMEOUT + timedelta(seconds=1))
    jobs_sweep()

    job.refresh_from_db()
    assert (job.status, job.error) == (ImportJob.Status.FAILED, INTERRUPTED)
    assert private_storage().exists(job.upload.key), "kept to run it again"
    assert not Student.objects.exists()


def test_a_dead_import_does_not_block_the_next_upload(
    school, alice, django_capture_on_commit_callbacks
):
    job = upload(school, alice, siecle_xml([Eleve()]), django_capture_on_commit_callbacks)
    student_import_confirm(job=job, confirmed_by=alice)
    importing(job, heartbeat_ago=timedelta(minutes=3))

    second = upload(school, alice, siecle_xml([Eleve()]), django_capture_on_commit_callbacks)

    assert second.status == ImportJob.Status.READY
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.FAILED


def test_a_confirmed_import_no_worker_takes_fails_with_service_unavailable(
    school, alice, django_capture_on_commit_callbacks
):
    job = upload(school, alice, siecle_xml([Eleve()]), django_capture_on_commit_callbacks)
    student_import_confirm(job=job, confirmed_by=alice)  # queued; no worker ever takes it
    jobs_sweep(now=timezone.now() + settings.JOB_QUEUE_TIMEOUT + timedelta(seconds=1))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and "indisponible" in job.error


def test_an_import_whose_file_was_deleted_before_a_worker_took_it_asks_for_the_file_again(
    school, alice, django_capture_on_commit_callbacks
):
    job = upload(school, alice, siecle_xml([Eleve()]), django_capture_on_commit_callbacks)
    student_import_confirm(job=job, confirmed_by=alice)  # queued, not run
    job.upload.delete()  # its expiry passed: the sweep deleted it

    student_import_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.REJECTED
    assert job.errors == ["Le fichier de cet import n'est plus disponible : importez-le à nouveau."]
    assert not Student.objects.exists()


def test_a_preview_nobody_confirms_expires_after_a_day_and_its_file_goes(
    school, alice, django_capture_on_commit_callbacks
):
    job = upload(school, alice, siecle_xml([Eleve()]), django_capture_on_commit_callbacks)
    key = job.upload.key

    jobs_sweep(now=timezone.now() + timedelta(hours=25))

    job.refresh_from_db()
    assert job.status == ImportJob.Status.CANCELLED and job.preview == {}
    assert not private_storage().exists(key)


def test_files_of_failed_imports_are_deleted_after_their_retention(
    school, alice, django_capture_on_commit_callbacks
):
    job = upload(school, alice, siecle_xml([Eleve()]), django_capture_on_commit_callbacks)
    key = job.upload.key
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.FAILED, finished_at=timezone.now()
    )
    jobs_sweep(now=timezone.now() + timedelta(hours=23))
    assert private_storage().exists(key), "kept a while, to run the import again"

    jobs_sweep(now=timezone.now() + timedelta(hours=49))

    job.refresh_from_db()
    assert job.upload is None and not private_storage().exists(key)


def test_running_the_sweep_twice_is_harmless(school, alice, django_capture_on_commit_callbacks):
    upload(school, alice, siecle_xml([Eleve()]), django_capture_on_commit_callbacks)
    later = timezone.now() + timedelta(hours=25)

    jobs_sweep(now=later)
    assert ImportJob.objects.get().status == ImportJob.Status.CANCELLED
    assert jobs_sweep(now=later) == {"failed": 0, "deleted_files": 0}


def test_the_problems_of_a_rejected_file_are_forgotten_after_thirty_days(
    school, alice, django_capture_on_commit_callbacks
):
    data = siecle_xml([Eleve(ine="070803070AJ", sex=None)])
    job = upload(school, alice, data, django_capture_on_commit_callbacks)
    assert "070803070AJ" in job.errors[0]

    jobs_sweep(now=timezone.now() + timedelta(days=29))
    job.refresh_from_db()
    assert "070803070AJ" in job.errors[0]

    jobs_sweep(now=timezone.now() + timedelta(days=31))
    job.refresh_from_db()
    assert (job.status, job.errors) == (ImportJob.Status.REJECTED, [ERRORS_FORGOTTEN])
