"""Student imports: a job row per upload, validated then written in tasks (see tasks.py).

upload -> pending -> validating -> ready (preview) -> importing -> done
                                 \\-> rejected       \\-> cancelled  \\-> failed

The file is parsed and checked whole before anything is written; the write is one short
transaction (students + the job's "done" + the audit entry). Every other status is written
outside it, so a failure, a rejection or a killed worker leaves the students as they were and
the job saying so.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts.models import AuditLog, Organization, User
from accounts.services import audit_log_record
from pix_portal.private_files import private_files_older_than

from .import_reading import ParsedFile, detect_format, read_student_file
from .import_writing import ImportCounts, import_plan, import_preview, students_write
from .models import ImportJob
from .siecle import MAX_INFLATED_BYTES, MAX_UPLOAD_BYTES, ImportRejected

logger = logging.getLogger(__name__)

IMPORTS_DIRECTORY = "student-imports"
INTERRUPTED = (
    "L'import a été interrompu avant la fin (arrêt du serveur de traitement) : aucun élève n'a "
    "été modifié. Vous pouvez le relancer."
)
TECHNICAL_FAILURE = (
    "L'import a échoué à cause d'une erreur technique : aucun élève n'a été modifié. "
    "Relancez-le ; si le problème persiste, contactez l'assistance."
)
UNAVAILABLE = (
    "Le service de traitement des imports est indisponible : aucun élève n'a été modifié. "
    "Réessayez dans quelques minutes."
)
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


def student_import_siecle(*, organization: Organization, upload, started_by: User) -> ImportJob:
    """Store the upload privately, create its job and queue its validation."""
    stored = _store_upload(upload)
    try:
        job = _job_create(
            organization=organization,
            started_by=started_by,
            original_name=Path(upload.name).name[:255],
            stored_file=stored,
            file_size=upload.size,
        )
    except ImportAlreadyRunning:
        _delete_stored_file(stored)
        raise
    transaction.on_commit(lambda: _enqueue("student_import_validate_task", job))
    return job


def student_import_validate(*, job_id: int) -> None:
    """Parse and check the file; the job ends `ready` with a preview, or `rejected`."""
    claimed = ImportJob.objects.filter(
        pk=job_id, status__in=[ImportJob.Status.PENDING, ImportJob.Status.VALIDATING]
    ).update(status=ImportJob.Status.VALIDATING, progress=0, updated_at=timezone.now())
    if not claimed:
        return  # cancelled meanwhile, or already validated
    job = ImportJob.objects.select_related("organization").get(pk=job_id)
    try:
        parsed = _read(job, progress_share=(0, 90))
        plan = import_plan(organization=job.organization, parsed=parsed)
        preview = import_preview(plan=plan, parsed=parsed)
    except ImportRejected as rejection:
        _job_end(job, ImportJob.Status.REJECTED, errors=rejection.errors)
        return
    except Exception as error:
        _log_failure(job, error)
        _job_end(job, ImportJob.Status.FAILED, errors=[TECHNICAL_FAILURE])
        return
    counts = plan.counts(parsed)
    ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.VALIDATING).update(
        status=ImportJob.Status.READY,
        progress=100,
        preview=preview,
        errors=[],
        validated_at=timezone.now(),
        updated_at=timezone.now(),
        **_count_fields(counts),
    )


def student_import_confirm(*, job: ImportJob, confirmed_by: User) -> ImportJob:
    """The admin saw the preview and confirms: the import is queued."""
    now = timezone.now()
    confirmed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.READY).update(
        status=ImportJob.Status.IMPORTING,
        progress=0,
        confirmed_by=confirmed_by,
        confirmed_at=now,
        import_started_at=None,
        updated_at=now,
    )
    if not confirmed:
        raise ImportNotAllowed
    job.refresh_from_db()
    transaction.on_commit(lambda: _enqueue("student_import_run_task", job))
    return job


def student_import_run(*, job_id: int) -> None:
    """Read the file again and write it in one transaction; the job ends `done` or `failed`."""
    now = timezone.now()
    claimed = ImportJob.objects.filter(
        pk=job_id, status=ImportJob.Status.IMPORTING, import_started_at__isnull=True
    ).update(import_started_at=now, updated_at=now)
    if not claimed:
        # A second delivery of the task: the worker running the first one died (acks_late).
        # Its transaction was rolled back with it.
        ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.IMPORTING).update(
            status=ImportJob.Status.FAILED, errors=[INTERRUPTED], finished_at=now, updated_at=now
        )
        return
    job = ImportJob.objects.select_related("organization").get(pk=job_id)
    try:
        parsed = _read(job, progress_share=(0, _READ_SHARE))
        _progress(job, _READ_SHARE)
        _write(job, parsed)
    except ImportRejected as rejection:
        _job_end(job, ImportJob.Status.REJECTED, errors=rejection.errors)
    except ImportAlreadyRunning:
        _job_end(job, ImportJob.Status.FAILED, errors=[str(ImportAlreadyRunning(None))])
    except Exception as error:
        _log_failure(job, error)
        _job_end(job, ImportJob.Status.FAILED, errors=[TECHNICAL_FAILURE])


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
    if job.status != ImportJob.Status.FAILED or not job.stored_file:
        raise ImportNotAllowed
    retried = _job_create(
        organization=job.organization,
        started_by=retried_by,
        original_name=job.original_name,
        stored_file=job.stored_file,
        file_size=job.file_size,
    )
    ImportJob.objects.filter(pk=job.pk).update(stored_file="")
    transaction.on_commit(lambda: _enqueue("student_import_validate_task", retried))
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
        stored_file="",
        file_size=path.stat().st_size,
        status=ImportJob.Status.VALIDATING,
    )
    try:
        parsed = _read(job, path=path, max_bytes=max_bytes)
    except ImportRejected as rejection:
        _job_end(job, ImportJob.Status.REJECTED, errors=rejection.errors)
        raise
    now = timezone.now()
    job.status, job.validated_at, job.import_started_at = ImportJob.Status.IMPORTING, now, now
    job.save(update_fields=["status", "validated_at", "import_started_at", "updated_at"])
    try:
        _write(job, parsed)
    except Exception as error:
        _log_failure(job, error)
        _job_end(job, ImportJob.Status.FAILED, errors=[TECHNICAL_FAILURE])
        raise
    return job


def student_imports_cleanup(*, now: datetime | None = None) -> dict[str, int]:
    """Periodic: fail imports whose worker died, expire forgotten previews, delete old files."""
    now = now or timezone.now()
    failed, expired = _end_abandoned_jobs(ImportJob.objects.all(), now)
    kept = ImportJob.objects.filter(
        status__in=[ImportJob.Status.FAILED, ImportJob.Status.REJECTED],
        finished_at__lt=now - settings.STUDENT_IMPORT_FILE_RETENTION,
    ).exclude(stored_file="")
    kept_files = dict(kept.values_list("pk", "stored_file"))
    for stored_file in kept_files.values():
        _delete_stored_file(stored_file)
    ImportJob.objects.filter(pk__in=kept_files).update(stored_file="")
    deleted = len(kept_files)
    deleted += _delete_orphan_files(older_than=now - settings.STUDENT_IMPORT_FILE_RETENTION)
    # A rejection names students (INE, names): the details go, the history keeps the outcome.
    forgotten = (
        ImportJob.objects.filter(
            status=ImportJob.Status.REJECTED,
            finished_at__lt=now - ERRORS_RETENTION,
        )
        .exclude(errors=[ERRORS_FORGOTTEN])
        .update(errors=[ERRORS_FORGOTTEN])
    )
    return {
        "failed": failed,
        "expired": expired,
        "deleted_files": deleted,
        "forgotten_errors": forgotten,
    }


# --- Steps ------------------------------------------------------------------------------------


def _read(
    job: ImportJob,
    *,
    path: Path | None = None,
    max_bytes: int = MAX_UPLOAD_BYTES,
    progress_share: tuple[int, int] | None = None,
) -> ParsedFile:
    path = path or stored_file_path(job.stored_file)
    file_format = detect_format(path)
    if job.file_format != file_format:
        job.file_format = file_format
        ImportJob.objects.filter(pk=job.pk).update(file_format=file_format)
    progress = None
    if progress_share:
        start, end = progress_share
        progress = lambda done: _progress(job, round(start + (end - start) * done))  # noqa: E731
    return read_student_file(
        path,
        expected_uai=job.organization.uai,
        agricultural=job.organization.is_agricultural,
        max_bytes=max_bytes,
        progress=progress,
    )


def _write(job: ImportJob, parsed: ParsedFile) -> ImportCounts:
    """The one data transaction: students, the job's outcome and the audit entry together."""
    stored_file = job.stored_file
    with transaction.atomic():
        _lock_school_imports(job.organization)
        counts = students_write(organization=job.organization, parsed=parsed)
        job.status = ImportJob.Status.DONE
        job.progress = 100
        job.errors = []
        job.finished_at = timezone.now()
        job.stored_file = ""
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
    # After the commit: were the process to die here, the unreferenced file is an orphan that
    # the periodic cleanup deletes.
    _delete_stored_file(stored_file)
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


def _job_create(*, organization, started_by, original_name, stored_file, file_size, status=None):
    _end_abandoned_jobs(ImportJob.objects.filter(organization=organization), timezone.now())
    try:
        with transaction.atomic():
            return ImportJob.objects.create(
                organization=organization,
                started_by=started_by,
                original_name=original_name,
                stored_file=stored_file,
                file_size=file_size,
                status=status or ImportJob.Status.PENDING,
            )
    except IntegrityError:
        running = ImportJob.objects.filter(
            organization=organization, status__in=ImportJob.ACTIVE_STATUSES
        ).first()
        raise ImportAlreadyRunning(running) from None


def _end_abandoned_jobs(jobs, now: datetime) -> tuple[int, int]:
    """Fail running imports whose worker died; cancel previews nobody confirmed.

    Both would otherwise block the school's next import. Returns (failed, expired).
    """
    failed = jobs.filter(
        status__in=ImportJob.RUNNING_STATUSES,
        updated_at__lt=now - settings.STUDENT_IMPORT_STALE_AFTER,
    ).update(status=ImportJob.Status.FAILED, errors=[INTERRUPTED], finished_at=now, updated_at=now)
    expired = 0
    for job in jobs.filter(
        status=ImportJob.Status.READY,
        updated_at__lt=now - settings.STUDENT_IMPORT_PREVIEW_EXPIRY,
    ):
        _job_end(job, ImportJob.Status.CANCELLED, from_statuses=[ImportJob.Status.READY])
        expired += 1
    return failed, expired


def _job_end(job: ImportJob, status: str, *, errors=None, from_statuses=None) -> None:
    """Record how the job ended; the file goes unless a failed job may be run again."""
    now = timezone.now()
    from_statuses = from_statuses or [ImportJob.Status.VALIDATING, ImportJob.Status.IMPORTING]
    keep_file = status == ImportJob.Status.FAILED
    fields = {"status": status, "finished_at": now, "updated_at": now}
    if errors is not None:
        fields["errors"] = errors
    if status != ImportJob.Status.READY:
        fields["preview"] = {}
    if not keep_file:
        fields["stored_file"] = ""
    ended = ImportJob.objects.filter(pk=job.pk, status__in=from_statuses).update(**fields)
    if ended and not keep_file:
        _delete_stored_file(job.stored_file)


def _progress(job: ImportJob, percent: int) -> None:
    ImportJob.objects.filter(pk=job.pk).update(progress=percent, updated_at=timezone.now())


def _count_fields(counts: ImportCounts) -> dict[str, int]:
    return {
        "created_count": counts.created,
        "updated_count": counts.updated,
        "disabled_count": counts.disabled,
        "unchanged_count": counts.unchanged,
        "skipped_count": counts.skipped,
    }


def _enqueue(task_name: str, job: ImportJob) -> None:
    from . import tasks

    try:
        getattr(tasks, task_name).delay(job.pk)
    except Exception as error:
        _log_failure(job, error)
        _job_end(
            job,
            ImportJob.Status.FAILED,
            errors=[UNAVAILABLE],
            from_statuses=[ImportJob.Status.PENDING, ImportJob.Status.IMPORTING],
        )


def _log_failure(job: ImportJob, error: Exception) -> None:
    # The exception's text may quote a student's data (an INE in a constraint message): only its
    # type is logged.
    logger.error("Student import %s failed: %s", job.pk, type(error).__name__)


# --- Private files ----------------------------------------------------------------------------


def stored_file_path(name: str) -> Path:
    return Path(settings.PRIVATE_STORAGE_ROOT) / IMPORTS_DIRECTORY / name


def _store_upload(upload) -> str:
    """Copy the upload under a random name (never the user's file name, never student data)."""
    directory = Path(settings.PRIVATE_STORAGE_ROOT) / IMPORTS_DIRECTORY
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = f"{secrets.token_hex(16)}.upload"
    with open(directory / name, "xb") as destination:
        for chunk in upload.chunks():
            destination.write(chunk)
    return name


def _delete_stored_file(name: str) -> None:
    if name:
        stored_file_path(name).unlink(missing_ok=True)


def _delete_orphan_files(*, older_than: datetime) -> int:
    """Files no job points to (a crash between the copy and the job's creation)."""
    referenced = set(
        ImportJob.objects.exclude(stored_file="").values_list("stored_file", flat=True)
    )
    deleted = 0
    for path in private_files_older_than(IMPORTS_DIRECTORY, older_than):
        if path.name not in referenced:
            path.unlink(missing_ok=True)
            deleted += 1
    return deleted
