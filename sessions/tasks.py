from celery import shared_task

from .document_jobs import document_job_run, document_jobs_purge


@shared_task
def session_document_generate(job_id: int) -> None:
    document_job_run(job_id=job_id)


@shared_task
def session_documents_purge() -> None:
    """Every few minutes: generated documents hold minors' names, they are kept briefly."""
    document_jobs_purge()
