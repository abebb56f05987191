"""The day pack prepared in a task through the jobs mechanism, like sessions' DocumentJob: the
job only wraps `day_pack_parts`; its files are private and deleted by the jobs sweep after
`SESSION_DOCUMENT_RETENTION`."""

from django.conf import settings
from django.utils import timezone

from accounts.models import AuditLog
from accounts.services import export_audit
from jobs.files import private_file_save
from jobs.services import job_enqueue, job_progress_saver, job_run

from .documents import day_pack_merge, day_pack_parts, day_pack_zip
from .models import DayPackJob
from .selectors import day_pack_sessions


def day_pack_job_start(*, organization, day=None, session_ids=None, started_by=None) -> DayPackJob:
    from .tasks import day_pack_generate

    sessions = day_pack_sessions(organization=organization, day=day, session_ids=session_ids)
    job = DayPackJob.objects.create(
        organization=organization,
        day=day,
        session_ids=[s.pk for s in sessions],
        requested_by=started_by if started_by and started_by.is_authenticated else None,
    )
    job_enqueue(job=job, task=day_pack_generate)
    return job


def day_pack_job_run(*, job_id: int) -> None:
    job_run(model=DayPackJob, job_id=job_id, work=_generate)


def _generate(job: DayPackJob) -> None:
    sessions = day_pack_sessions(organization=job.organization, session_ids=job.session_ids)
    save_progress = None

    def progress(done: int, total: int) -> None:
        nonlocal save_progress
        save_progress = save_progress or job_progress_saver(job, total)
        save_progress(done)

    parts = day_pack_parts(sessions=sessions, progress=progress)
    retention = timezone.now() + settings.SESSION_DOCUMENT_RETENTION
    files = {
        field: private_file_save(
            organization=job.organization,
            folder="day-packs",
            content=content,
            download_name=f"{job.file_stem}.{extension}",
            content_type=content_type,
            expires_at=retention,
        )
        for field, extension, content_type, content in (
            ("pdf_file", "pdf", "application/pdf", day_pack_merge(parts)),
            ("zip_file", "zip", "application/zip", day_pack_zip(parts)),
        )
    }
    DayPackJob.objects.filter(pk=job.pk, status=DayPackJob.Status.RUNNING).update(
        **files,
        status=DayPackJob.Status.DONE,
        progress=100,
        finished_at=timezone.now(),
        expires_at=retention,
    )
    # The pack lists minors by name: it is an export of personal data, once it exists.
    export_audit(
        actor=job.requested_by,
        organization=job.organization,
        export=AuditLog.Export.DAY_PACK,
        session_ids=job.session_ids,
    )
