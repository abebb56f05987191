from celery import shared_task

from .pack_jobs import day_pack_job_run, day_pack_jobs_purge


@shared_task
def day_pack_generate(job_id: int) -> None:
    day_pack_job_run(job_id=job_id)


@shared_task
def day_packs_purge() -> None:
    """Packs hold minors' names and session passwords: they are kept briefly."""
    day_pack_jobs_purge()
