from celery import shared_task

from .pack_jobs import day_pack_job_run


@shared_task
def day_pack_generate(job_id: int) -> None:
    day_pack_job_run(job_id=job_id)
