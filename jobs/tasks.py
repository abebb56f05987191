from celery import shared_task

from .services import jobs_sweep


@shared_task
def jobs_sweep_task() -> None:
    """Every minute: jobs whose worker is gone are failed, files past their expiry deleted."""
    jobs_sweep()
