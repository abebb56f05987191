"""Services of the big documents rendered in a task: start a job, run it, purge old files.

Small documents are rendered in the request (`DOCUMENT_INLINE_MAX_PAGES`); bigger ones get a
`DocumentJob` row whose progress the page polls. Generated files are private and short-lived.
"""

import logging
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.models import AuditLog
from accounts.services import audit_log_record

from .documents import DOCUMENTS, SessionDocument, document_render
from .models import DocumentJob, Session

logger = logging.getLogger(__name__)


def document_is_small(*, document: SessionDocument, candidate_count: int) -> bool:
    """Rendered in the request only when it takes well under a second."""
    return (
        document.extension == "pdf"
        and document.pages(candidate_count) <= settings.SESSION_DOCUMENT_INLINE_MAX_PAGES
    )


def document_export_record(*, session: Session, document: SessionDocument, user) -> None:
    """Session documents list minors by name: every download is an export of personal data."""
    audit_log_record(
        actor=user,
        organization=session.organization,
        action=AuditLog.Action.EXPORT,
        export="session_document",
        document=document.slug,
        session_id=session.pk,
    )


def document_job_start(
    *, session: Session, document: SessionDocument, started_by=None
) -> DocumentJob:
    document_jobs_purge()
    job = DocumentJob.objects.create(
        organization=session.organization,
        session=session,
        document=document.slug,
        created_by=started_by if started_by and started_by.is_authenticated else None,
    )
    document_export_record(session=session, document=document, user=started_by)
    from .tasks import session_document_generate

    transaction.on_commit(lambda: session_document_generate.delay(job.pk))
    return job


def document_job_run(*, job_id: int) -> None:
    """Idempotent: a job already done is left alone; a job interrupted mid-way starts again."""
    job = DocumentJob.objects.select_related("session__organization").filter(pk=job_id).first()
    if job is None or job.status == DocumentJob.Status.DONE:
        return
    job.status = DocumentJob.Status.RUNNING
    job.progress = 0
    job.save(update_fields=["status", "progress"])
    document = DOCUMENTS[job.document]
    last_percent = [0]

    def progress(done: int, total: int) -> None:
        percent = min(99, done * 100 // max(total, 1))
        if percent > last_percent[0]:
            last_percent[0] = percent
            DocumentJob.objects.filter(pk=job.pk).update(progress=percent)

    try:
        content = document_render(document=document, session=job.session, progress=progress)
    except Exception:
        logger.exception("Échec de la génération du document %s (job %s)", job.document, job.pk)
        job.status = DocumentJob.Status.FAILED
        job.error = "Le document n'a pas pu être généré. Réessayez ; si l'erreur persiste, "
        job.error += "contactez l'assistance."
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        return
    name = f"{job.organization_id}/{uuid.uuid4().hex}.{document.extension}"
    job.file.save(name, ContentFile(content), save=False)
    job.status = DocumentJob.Status.DONE
    job.progress = 100
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "status", "progress", "finished_at"])


def document_job_is_expired(job: DocumentJob) -> bool:
    return job.created_at < timezone.now() - settings.SESSION_DOCUMENT_RETENTION


def document_jobs_purge() -> int:
    """Delete the generated files (and their rows) older than the retention time."""
    expired = DocumentJob.objects.filter(
        created_at__lt=timezone.now() - settings.SESSION_DOCUMENT_RETENTION
    )
    count = 0
    for job in expired:
        if job.file:
            job.file.delete(save=False)
        job.delete()
        count += 1
    return count
