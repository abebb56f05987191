"""What every job shares: claimed once, progress throttled, failures told in French and logged
without personal data, dead workers swept, private files 0600 in 0700 folders."""

import logging
import re
import stat
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from jobs.files import private_file_save, private_storage
from jobs.services import job_claim, job_fail, job_progress_saver, jobs_sweep
from planning.models import DayPackJob
from results.models import CertificateBatch
from sessions.document_jobs import document_job_run
from sessions.models import DocumentJob
from student_accounts.models import PasswordResetJob
from students.models import ImportJob
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def running(model, school, **fields):
    return model.objects.create(
        organization=school, status="running", heartbeat_at=timezone.now(), **fields
    )


def test_a_job_is_claimed_once_a_second_delivery_marks_it_interrupted(school):
    job = DocumentJob.objects.create(
        organization=school, session=SessionFactory(organization=school), document="pv-fraude"
    )
    assert job_claim(model=DocumentJob, job_id=job.pk) is not None
    # The task comes back (its worker died): it does not run again, the job says why.
    assert job_claim(model=DocumentJob, job_id=job.pk) is None
    job.refresh_from_db()
    assert (job.status, job.error) == ("failed", DocumentJob.INTERRUPTED_MESSAGE)
    document_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and job.file is None


def test_a_finished_job_is_left_alone_by_a_late_delivery(school):
    job = DocumentJob.objects.create(
        organization=school,
        session=SessionFactory(organization=school),
        document="pv-fraude",
        status="done",
    )
    assert job_claim(model=DocumentJob, job_id=job.pk) is None
    job.refresh_from_db()
    assert job.status == "done"


def test_progress_is_written_at_most_every_half_second_and_moves_the_heartbeat(
    school, django_assert_max_num_queries
):
    job = running(CertificateBatch, school)
    CertificateBatch.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(1))
    save = job_progress_saver(job, 1000)
    with django_assert_max_num_queries(3):
        for done in range(1000):
            save(done)
        save(1000)
    job.refresh_from_db()
    assert job.progress == 99 and job.heartbeat_at > timezone.now() - timedelta(seconds=5)


def test_a_failure_logs_the_exception_type_never_its_text(school, caplog):
    job = running(CertificateBatch, school)
    with caplog.at_level(logging.ERROR):
        job_fail(job=job, error=ValueError("LEFÈVRE Jean-Baptiste, né le 01/03/2012"))
    job.refresh_from_db()
    assert job.status == "failed" and job.error == CertificateBatch.FAILURE_MESSAGE
    assert "ValueError" in caplog.text and "LEFÈVRE" not in caplog.text


@pytest.mark.parametrize(
    "model, fields",
    [
        (DocumentJob, {"document": "tout"}),
        (CertificateBatch, {"division": "3EA"}),
        (PasswordResetJob, {}),
        (ImportJob, {"original_name": "e.xml"}),
        (DayPackJob, {}),
    ],
)
def test_the_sweep_fails_every_kind_of_job_whose_heartbeat_stopped(school, model, fields):
    if model is DocumentJob:
        fields["session"] = SessionFactory(organization=school)
    status = "importing" if model is ImportJob else "running"
    job = model.objects.create(
        organization=school, status=status, heartbeat_at=timezone.now(), **fields
    )
    jobs_sweep(now=timezone.now() + timedelta(seconds=60))
    job.refresh_from_db()
    assert job.status == status

    assert jobs_sweep(now=timezone.now() + timedelta(minutes=3))["failed"] == 1
    job.refresh_from_db()
    assert (job.status, job.error) == ("failed", model.INTERRUPTED_MESSAGE)
    assert job.finished_at is not None


def test_a_stalled_import_says_why_and_when_it_unblocks(alice_client, alice, school, settings):
    job = ImportJob.objects.create(
        organization=school,
        requested_by=alice,
        original_name="e.xml",
        status=ImportJob.Status.IMPORTING,
        heartbeat_at=timezone.now() - timedelta(seconds=45),
    )
    page = alice_client.get(
        reverse("students:import_job", args=[school.id, job.id])
    ).content.decode()
    limit = timezone.localtime(job.unblocked_at, school.zoneinfo).strftime("%H:%M")
    assert "ne donne plus de nouvelles" in page and f"au plus tard à {limit}" in page
    assert job.unblocked_at <= job.heartbeat_at + timedelta(minutes=3)

    jobs_sweep(now=job.unblocked_at)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    page = alice_client.get(
        reverse("students:import_job", args=[school.id, job.id])
    ).content.decode()
    assert "Vous pouvez le relancer" in page


def test_expired_files_are_deleted_downloaded_or_not_and_others_kept(school):
    def stored(minutes):
        return private_file_save(
            organization=school,
            folder="test",
            content=b"x",
            download_name="x.pdf",
            content_type="application/pdf",
            expires_at=timezone.now() + timedelta(minutes=minutes) if minutes else None,
        )

    expired, later, kept = stored(-1), stored(10), stored(None)
    assert jobs_sweep()["deleted_files"] == 1
    assert not private_storage().exists(expired.key)
    assert private_storage().exists(later.key) and private_storage().exists(kept.key)


def test_private_files_are_written_0600_in_0700_folders(school, settings):
    private_file = private_file_save(
        organization=school,
        folder="signed-pv",
        content=b"%PDF-1.7",
        download_name="pv.pdf",
        content_type="application/pdf",
        expires_at=None,
    )
    root = Path(settings.PRIVATE_STORAGE_ROOT)
    path = root / private_file.key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    folder = path.parent
    while folder != root.parent:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
        folder = folder.parent


def test_a_key_never_takes_more_than_the_letters_of_a_users_file_extension(school):
    private_file = private_file_save(
        organization=school,
        folder="student-imports",
        content=b"<x/>",
        download_name="LEFÈVRE 070803070AJ.x/../../../etc",
        content_type="application/octet-stream",
        expires_at=None,
    )
    assert re.fullmatch(rf"student-imports/{school.pk}/[0-9a-f]{{32}}\.bin", private_file.key)
    assert private_file.download_name == "LEFÈVRE 070803070AJ.x/../../../etc"
