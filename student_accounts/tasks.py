from celery import shared_task

from .services import password_reset_job_run


# A worker slot is never held for ever: 5 000 students take about a minute and a half here.
@shared_task(soft_time_limit=20 * 60, time_limit=21 * 60)
def password_reset_job_run_task(job_id: int) -> None:
    """A reset of more than one class. Only the id travels: passwords never reach the broker."""
    password_reset_job_run(job_id=job_id)
