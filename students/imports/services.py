"""Student imports: a job row per upload, validated then written in tasks (see tasks.py).

upload -> pending -> validating -> ready (preview) -> importing -> done
                                 \\-> rejected       \\-> cancelled  \\-> failed

The file is parsed and checked whole before anything is written; the write is one short
transaction (students + the job's "done" + the audit entry). Every other status is written
outside it, so a failure, a rejection or a killed worker leaves the students as they were and
the job saying so.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import AuditLog, Organization, User
from accounts.services import audit_log_record
from jobs.files import private_file_delete, private_file_local_path, private_file_save
from jobs.models import PrivateFile
from jobs.services import job_claim, job_enqueue, job_fail, job_progress_saver, jobs_sweep
from students.models import ImportJob

from .parsers import MAX_INFLATED_BYTES, MAX_UPLOAD_BYTES, ImportRejected
from .reading import ParsedFile, detect_format, read_student_file
from .writing import ImportCounts, import_plan, import_preview, students_write

INTERRUPTED = ImportJob.INTERRUPTED_MESSAGE
TECHNICAL_FAILURE = ImportJob.FAILURE_MESSAGE
ERRORS_RETENTION = timedelta(days=30)
ERRORS_FORGOTTEN = "Le détail des problèmes de ce fichier a été effacé après 30 jours."
# Progress shares of an import: reading the file again, then writing.
_READ_SHARE = 60


class ImportAlreadyRunning(Exception):
    """The school already has an import under way (or waiting for its confirmation)."""

    def __init__(self, job: ImportJob | None):
        self.job = job
        super().__init__("Un import d'élèves est déjà en cours pour cet établissement.")


class ImportNotAllowed(Exception):
    """The action does not apply to the job in its current state."""


def student_import_siecle(
    *, organization: Organization, upload: UploadedFile, started_by: User
) -> ImportJob:
    """Store the upload privately, create its job and queue its validation."""
    assert upload.name is not None and upload.size is not None  # a received file has both
    stored = private_file_save(
        organization=organization,
        folder="student-imports",
        upload=upload,
        download_name=Path(upload.name).name,
        content_type="application/octet-stream",
        expires_at=_upload_expiry(),
    )
    try:
        job = _job_create(
            organization=organization,
            started_by=started_by,
            original_name=Path(upload.name).name[:255],
            upload=stored,
            file_size=upload.size,
        )
    except ImportAlreadyRunning:
        private_file_delete(private_file=stored)
        raise
    from students.tasks import student_import_validate_task  # the tasks import this module

    job_enqueue(job=job, task=student_import_validate_task)
    return job


def student_import_validate(*, job_id: int) -> None:
    """Parse and check the file; the job ends `ready` with a preview, or `rejected`."""
    job = job_claim(model=ImportJob, job_id=job_id, to_status=ImportJob.Status.VALIDATING)
    if job is None:
        return  # cancelled meanwhile, or taken by another delivery
    try:
        parsed = _read(job, progress_share=(0, 90))
        plan = import_plan(organization=job.organization, parsed=parsed)
        preview = import_preview(plan=plan, parsed=parsed)
    except ImportRejected as rejection:
        _job_end(job, ImportJob.Status.REJECTED, errors=rejection.errors)
        return
    except Exception as error:
        job_fail(job=job, error=error)
        return
    counts = plan.counts(parsed)
    ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.VALIDATING).update(
        status=ImportJob.Status.READY,
        progress=100,
        preview=preview,
        errors=[],
        validated_at=timezone.now(),
        **_count_fields(counts),
    )


def student_import_confirm(*, job: ImportJob, confirmed_by: User) -> ImportJob:
    """The admin saw the preview and confirms: the import is queued."""
    confirmed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.READY).update(
        status=ImportJob.Status.CONFIRMED,
        progress=0,
        confirmed_by=confirmed_by,
        confirmed_at=timezone.now(),
    )
    if not confirmed:
        raise ImportNotAllowed
    job.refresh_from_db()
    from students.tasks import student_import_run_task  # the tasks import this module

    job_enqueue(job=job, task=student_import_run_task)
    return job


def student_import_run(*, job_id: int) -> None:
    """Read the file again and write it in one transaction; the job ends `done` or `failed`."""
    job = job_claim(
        model=ImportJob,
        job_id=job_id,
        from_status=ImportJob.Status.CONFIRMED,
        to_status=ImportJob.Status.IMPORTING,
    )
    if job is None:
        return
    try:
        parsed = _read(job, progress_share=(0, _READ_SHARE))
        _write(job, parsed)
    except ImportRejected as rejection:
        _job_end(job, ImportJob.Status.REJECTED, errors=rejection.errors)
    except ImportAlreadyRunning as running:
        job_fail(job=job, message=str(running))
    except Exception as error:
        job_fail(job=job, error=error)


def student_import_cancel(*, job: ImportJob) -> None:
    """Give up an import before it writes anything (during validation or at the preview)."""
    cancellable = [ImportJob.Status.PENDING, ImportJob.Status.VALIDATING, ImportJob.Status.READY]
    if job.status not in cancellable:
        raise ImportNotAllowed
    _job_end(job, ImportJob.Status.CANCELLED, from_statuses=cancellable)
    job.refresh_from_db()
    if job.status != ImportJob.Status.CANCELLED:
        raise ImportNotAllowed


def student_import_retry(*, job: ImportJob, retried_by: User) -> ImportJob:
    """Run a failed import again from its kept file: it is validated (and previewed) again."""
    if job.status != ImportJob.Status.FAILED or job.upload_id is None:
        raise ImportNotAllowed
    retried = _job_create(
        organization=job.organization,
        started_by=retried_by,
        original_name=job.original_name,
        upload=job.upload,
        file_size=job.file_size,
    )
    ImportJob.objects.filter(pk=job.pk).update(upload=None)
    assert retried.upload_id is not None  # the failed job's file, checked above
    PrivateFile.objects.filter(pk=retried.upload_id).update(expires_at=_upload_expiry())
    from students.tasks import student_import_validate_task  # the tasks import this module

    job_enqueue(job=retried, task=student_import_validate_task)
    return retried


def student_import_from_path(
    *, organization: Organization, path: Path, max_bytes: int = MAX_INFLATED_BYTES
) -> ImportJob:
    """`manage.py import_siecle`: validate and write at once, no preview, no copy of the file.

    Raises ImportRejected (the job is recorded `rejected`) or ImportAlreadyRunning.
    """
    path = Path(path)
    job = _job_create(
        organization=organization,
        started_by=None,
        original_name=path.name[:255],
        upload=None,
        file_size=path.stat().st_size,
        status=ImportJob.Status.VALIDATING,
    )
    try:
        parsed = _read(job, path=path, max_bytes=max_bytes, progress_share=(0, _READ_SHARE))
    except ImportRejected as rejection:
        _job_end(job, ImportJob.Status.REJECTED, errors=rejection.errors)
        raise
    now = timezone.now()
    job.status, job.validated_at, job.heartbeat_at = ImportJob.Status.IMPORTING, now, now
    job.save(update_fields=["status", "validated_at", "heartbeat_at"])
    try:
        _write(job, parsed)
    except Exception as error:
        job_fail(job=job, error=error)
        raise
    return job


def student_imports_sweep(*, jobs: QuerySet[ImportJob], now: datetime) -> None:
    """Part of the jobs sweep: expire forgotten previews (they block the school's next import),
    forget what failed and rejected imports said about students."""
    for job in jobs.filter(
        status=ImportJob.Status.READY,
        validated_at__lt=now - settings.STUDENT_IMPORT_PREVIEW_EXPIRY,
    ):
        _job_end(job, ImportJob.Status.CANCELLED, from_statuses=[ImportJob.Status.READY])
    jobs.filter(status=ImportJob.Status.FAILED).exclude(preview={}).update(preview={})
    # A rejection names students (INE, names): the details go, the history keeps the outcome.
    jobs.filter(
        status=ImportJob.Status.REJECTED,
        finished_at__lt=now - ERRORS_RETENTION,
    ).exclude(errors=[ERRORS_FORGOTTEN]).update(errors=[ERRORS_FORGOTTEN])


# --- Steps ------------------------------------------------------------------------------------


def _read(
    job: ImportJob,
    *,
    path: Path | None = None,
    max_bytes: int = MAX_UPLOAD_BYTES,
    progress_share: tuple[int, int] | None = None,
) -> ParsedFile:
    if path is None:
        if job.upload is None:  # deleted at its expiry before a worker took the job
            raise ImportRejected(
                "Le fichier de cet import n'est plus disponible : importez-le à nouveau."
            )
        with private_file_local_path(private_file=job.upload) as local:
            return _read(job, path=local, max_bytes=max_bytes, progress_share=progress_share)
    file_format = detect_format(path)
    if job.file_format != file_format:
        job.file_format = file_format
        ImportJob.objects.filter(pk=job.pk).update(file_format=file_format)
    progress = None
    if progress_share:
        start, end = progress_share
        progress = job_progress_saver(job, 1, start=start, end=end)
    return read_student_file(
        path,
        expected_uai=job.organization.uai,
        agricultural=job.organization.is_agricultural,
        max_bytes=max_bytes,
        progress=progress,
    )


def _write(job: ImportJob, parsed: ParsedFile) -> ImportCounts:
    """The one data transaction: students, the job's outcome and the audit entry together."""
    upload = job.upload
    with transaction.atomic():
        _lock_school_imports(job.organization)
        counts = students_write(organization=job.organization, parsed=parsed)
        job.status = ImportJob.Status.DONE
        job.progress = 100
        job.errors = []
        job.finished_at = timezone.now()
        job.upload = None
        # The preview named students; once the import is done only its classes are kept.
        job.preview = {key: job.preview.get(key) for key in ("school_year", "divisions")}
        for name, value in _count_fields(counts).items():
            setattr(job, name, value)
        job.save()
        audit_log_record(
            actor=job.author,
            organization=job.organization,
            action=AuditLog.Action.STUDENTS_IMPORTED,
            job_id=job.pk,
            file_format=job.file_format,
            **_count_fields(counts),
        )
    # After the commit: were the process to die here, the file's expiry still deletes it.
    private_file_delete(private_file=upload)
    return counts


def _lock_school_imports(organization: Organization) -> None:
    """Two writes for one school never interleave (the job constraint already makes it rare)."""
    if connection.vendor != "postgresql":
        return  # SQLite runs one write transaction at a time anyway
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_try_advisory_xact_lock(hashtext('students.import'), %s::integer)",
            [organization.pk],
        )
        if not cursor.fetchone()[0]:
            raise ImportAlreadyRunning(None)


def _job_create(
    *,
    organization: Organization,
    started_by: User | None,
    original_name: str,
    upload: PrivateFile | None,
    file_size: int,
    status: str | None = None,
) -> ImportJob:
    # A job of this school whose worker died must not block its next import.
    jobs_sweep(organization=organization)
    try:
        with transaction.atomic():
            return ImportJob.objects.create(
                organization=organization,
                requested_by=started_by,
                original_name=original_name,
                upload=upload,
                file_size=file_size,
                status=status or ImportJob.Status.PENDING,
                heartbeat_at=timezone.now() if status else None,
            )
    except IntegrityError:
        running = ImportJob.objects.filter(
            organization=organization, status__in=ImportJob.ACTIVE_STATUSES
        ).first()
        raise ImportAlreadyRunning(running) from None


def _job_end(
    job: ImportJob,
    status: str,
    *,
    errors: list[str] | None = None,
    from_statuses: Sequence[str] | None = None,
) -> None:
    """Record how the job ended (from a status it is still in); its file goes with it."""
    now = timezone.now()
    from_statuses = from_statuses or [ImportJob.Status.VALIDATING, ImportJob.Status.IMPORTING]
    fields = {"status": status, "finished_at": now, "preview": {}, "upload": None}
    if errors is not None:
        fields["errors"] = errors
    ended = ImportJob.objects.filter(pk=job.pk, status__in=from_statuses).update(**fields)
    if ended and job.upload_id:
        private_file_delete(private_file=job.upload)


def _upload_expiry() -> datetime:
    """Long enough for a preview left a day, then a failed import's retention (to run it again)."""
    return (
        timezone.now()
        + settings.STUDENT_IMPORT_PREVIEW_EXPIRY
        + settings.STUDENT_IMPORT_FILE_RETENTION
    )


def _count_fields(counts: ImportCounts) -> dict[str, int]:
    return {
        "created_count": counts.created,
        "updated_count": counts.updated,
        "disabled_count": counts.disabled,
        "unchanged_count": counts.unchanged,
        "skipped_count": counts.skipped,
    }
