"""Services of the big documents rendered in a task (through the jobs mechanism).

Small documents are rendered in the request (`SESSION_DOCUMENT_INLINE_MAX_PAGES`); bigger ones
get a `DocumentJob` row whose progress the page polls. Generated files are private and deleted
after `SESSION_DOCUMENT_RETENTION` by the jobs sweep.
"""

from django.conf import settings
from django.utils import timezone

from accounts.models import AuditLog
from accounts.services import export_audit
from jobs.files import private_file_save
from jobs.services import job_enqueue, job_progress_saver, job_run

from .documents import DOCUMENTS, SessionDocument, document_render
from .models import DocumentJob, Session


def document_is_small(*, document: SessionDocument, candidate_count: int) -> bool:
    """Rendered in the request only when it takes well under a second."""
    return (
        document.extension == "pdf"
        and document.pages(candidate_count) <= settings.SESSION_DOCUMENT_INLINE_MAX_PAGES
    )


def document_export_record(*, session: Session, document: SessionDocument, user) -> None:
    """Session documents list minors by name: every download is an export of personal data."""
    export_audit(
        actor=user,
        organization=session.organization,
        export=AuditLog.Export.SESSION_DOCUMENT,
        document=document.slug,
        session_id=session.pk,
    )


def document_job_start(
    *, session: Session, document: SessionDocument, started_by=None
) -> DocumentJob:
    from .tasks import session_document_generate

    job = DocumentJob.objects.create(
        organization=session.organization,
        session=session,
        document=document.slug,
        requested_by=started_by if started_by and started_by.is_authenticated else None,
    )
    job_enqueue(job=job, task=session_document_generate)
    return job


def document_job_run(*, job_id: int) -> None:
    job_run(model=DocumentJob, job_id=job_id, work=_generate)


def _generate(job: DocumentJob) -> None:
    document = DOCUMENTS[job.document]
    session = Session.objects.select_related("organization").get(pk=job.session_id)
    total = document.pages(session.candidates.count())
    save_progress = job_progress_saver(job, total)
    content = document_render(
        document=document, session=session, progress=lambda done, _total: save_progress(done)
    )
    retention = timezone.now() + settings.SESSION_DOCUMENT_RETENTION
    job.file = private_file_save(
        organization=session.organization,
        folder="session-documents",
        content=content,
        download_name=document.filename(session),
        content_type=document.content_type,
        expires_at=retention,
    )
    DocumentJob.objects.filter(pk=job.pk, status=DocumentJob.Status.RUNNING).update(
        file=job.file,
        status=DocumentJob.Status.DONE,
        progress=100,
        finished_at=timezone.now(),
        expires_at=retention,
    )
    document_export_record(session=session, document=document, user=job.requested_by)
