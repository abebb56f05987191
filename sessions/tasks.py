from celery import shared_task

from .document_jobs import document_job_run


@shared_task
def session_document_generate(job_id: int) -> None:
    document_job_run(job_id=job_id)
