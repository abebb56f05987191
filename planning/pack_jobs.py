"""The day pack prepared in a task, built like sessions' DocumentJob: start a job, run it,
purge old files. The job only wraps `day_pack_parts`."""

import logging
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.models import AuditLog
from accounts.services import audit_log_record

from .documents import day_pack_merge, day_pack_parts, day_pack_zip
from .models import DayPackJob
from .selectors import day_pack_sessions

logger = logging.getLogger(__name__)


def day_pack_job_start(*, organization, day=None, session_ids=None, started_by=None) -> DayPackJob:
    day_pack_jobs_purge()
    sessions = day_pack_sessions(organization=organization, day=day, session_ids=session_ids)
    job = DayPackJob.objects.create(
        organization=organization,
        day=day,
        session_ids=[s.pk for s in sessions],
        created_by=started_by if started_by and started_by.is_authenticated else None,
    )
    # The pack lists minors by name: it is an export of personal data.
    audit_log_record(
        actor=started_by,
        organization=organization,
        action=AuditLog.Action.EXPORT,
        export="day_pack",
        session_ids=job.session_ids,
    )
    from .tasks import day_pack_generate

    transaction.on_commit(lambda: day_pack_generate.delay(job.pk))
    return job


def day_pack_job_run(*, job_id: int) -> None:
    """Idempotent: a job already done is left alone; one interrupted starts again."""
    job = DayPackJob.objects.select_related("organization").filter(pk=job_id).first()
    if job is None or job.status == DayPackJob.Status.DONE:
        return
    job.status, job.progress = DayPackJob.Status.RUNNING, 0
    job.save(update_fields=["status", "progress"])

    def progress(done: int, total: int) -> None:
        DayPackJob.objects.filter(pk=job.pk).update(progress=min(99, done * 100 // max(total, 1)))

    sessions = day_pack_sessions(organization=job.organization, session_ids=job.session_ids)
    try:
        parts = day_pack_parts(sessions=sessions, progress=progress)
        pdf, archive = day_pack_merge(parts), day_pack_zip(parts)
    except Exception:
        logger.exception("Échec de la préparation de la pochette %s", job.pk)
        job.status = DayPackJob.Status.FAILED
        job.error = "La pochette n'a pas pu être préparée. Réessayez ; si l'erreur persiste, "
        job.error += "contactez l'assistance."
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        return
    name = f"{job.organization_id}/{uuid.uuid4().hex}"
    job.pdf_file.save(f"{name}.pdf", ContentFile(pdf), save=False)
    job.zip_file.save(f"{name}.zip", ContentFile(archive), save=False)
    job.status, job.progress, job.finished_at = DayPackJob.Status.DONE, 100, timezone.now()
    job.save(update_fields=["pdf_file", "zip_file", "status", "progress", "finished_at"])


def day_pack_job_is_expired(job: DayPackJob) -> bool:
    return job.created_at < timezone.now() - settings.SESSION_DOCUMENT_RETENTION


def day_pack_jobs_purge() -> int:
    expired = DayPackJob.objects.filter(
        created_at__lt=timezone.now() - settings.SESSION_DOCUMENT_RETENTION
    )
    count = 0
    for job in expired:
        for file in (job.pdf_file, job.zip_file):
            if file:
                file.delete(save=False)
        job.delete()
        count += 1
    return count
