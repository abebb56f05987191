"""The periodic cleanup: imports whose worker died, forgotten previews, files past retention."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from students.models import ImportJob, Student
from students.services import (
    ERRORS_FORGOTTEN,
    INTERRUPTED,
    stored_file_path,
    student_import_confirm,
    student_imports_cleanup,
)
from tests.students.imports import upload
from tests.students.siecle_files import Eleve, siecle_xml

pytestmark = pytest.mark.django_db


def age(job: ImportJob, **delta) -> None:
    """Make the job's row look untouched for that long."""
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(**delta))


def test_an_import_whose_worker_died_is_marked_failed_and_keeps_its_file(
    school, alice, django_capture_on_commit_callbacks
):
    job = upload(school, alice, siecle_xml([Eleve()]), django_capture_on_commit_callbacks)
    student_import_confirm(job=job, confirmed_by=alice)  # the worker never finishes it
    age(job, minutes=5)
    student_imports_cleanup()
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.IMPORTING

    age(job, minutes=16)
    student_imports_cleanup()

    job.refresh_from_db()
    assert (job.status, job.errors) == (ImportJob.Status.FAILED, [INTERRUPTED])
    assert stored_file_path(job.stored_file).exists()
    assert not Student.objects.exists()


def test_a_stale_import_does_not_block_the_next_upload(
    school, alice, django_capture_on_commit_callbacks
):
    job = upload(school, alice, siecle_xml([Eleve()]), django_capture_on_commit_callbacks)
    student_import_confirm(job=job, confirmed_by=alice)
    age(job, hours=1)

    second = upload(school, alice, siecle_xml([Eleve()]), django_capture_on_commit_callbacks)

    assert second.status == ImportJob.Status.READY
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.FAILED


def test_a_preview_nobody_confirms_expires_after_a_day_and_its_file_goes(
    school, alice, django_capture_on_commit_callbacks
):
    job = upload(school, alice, siecle_xml([Eleve()]), django_capture_on_commit_callbacks)
    path = stored_file_path(job.stored_file)
    age(job, hours=25)

    assert student_imports_cleanup()["expired"] == 1

    job.refresh_from_db()
    assert job.status == ImportJob.Status.CANCELLED and job.preview == {}
    assert not path.exists()


def test_files_of_failed_imports_are_deleted_after_their_retention(
    school, alice, django_capture_on_commit_callbacks
):
    job = upload(school, alice, siecle_xml([Eleve()]), django_capture_on_commit_callbacks)
    path = stored_file_path(job.stored_file)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.FAILED, finished_at=timezone.now() - timedelta(hours=2)
    )
    student_imports_cleanup()
    assert path.exists(), "kept a while, to run the import again"

    student_imports_cleanup(now=timezone.now() + timedelta(hours=23))

    job.refresh_from_db()
    assert job.stored_file == "" and not path.exists()


def test_a_file_no_job_points_to_is_deleted_once_old(school, settings):
    directory = Path(settings.PRIVATE_STORAGE_ROOT) / "student-imports"
    directory.mkdir(parents=True)
    orphan, recent = directory / "orphan.upload", directory / "recent.upload"
    orphan.write_bytes(b"<BEE_ELEVES/>")
    recent.write_bytes(b"<BEE_ELEVES/>")
    two_days_ago = (timezone.now() - timedelta(days=2)).timestamp()
    os.utime(orphan, (two_days_ago, two_days_ago))

    student_imports_cleanup()

    assert not orphan.exists() and recent.exists()


def test_running_the_cleanup_twice_is_harmless(school, alice, django_capture_on_commit_callbacks):
    job = upload(school, alice, siecle_xml([Eleve()]), django_capture_on_commit_callbacks)
    age(job, hours=25)

    assert student_imports_cleanup()["expired"] == 1
    assert student_imports_cleanup() == {
        "failed": 0,
        "expired": 0,
        "deleted_files": 0,
        "forgotten_errors": 0,
    }


def test_the_problems_of_a_rejected_file_are_forgotten_after_thirty_days(
    school, alice, django_capture_on_commit_callbacks
):
    data = siecle_xml([Eleve(ine="070803070AJ", sex=None)])
    job = upload(school, alice, data, django_capture_on_commit_callbacks)
    assert "070803070AJ" in job.errors[0]

    student_imports_cleanup(now=timezone.now() + timedelta(days=29))
    job.refresh_from_db()
    assert "070803070AJ" in job.errors[0]

    student_imports_cleanup(now=timezone.now() + timedelta(days=31))
    job.refresh_from_db()
    assert (job.status, job.errors) == (ImportJob.Status.REJECTED, [ERRORS_FORGOTTEN])
