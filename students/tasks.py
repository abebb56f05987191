"""Thin tasks: each takes a job id and calls one service (progress lives in the job row)."""

from celery import shared_task

from .imports import services
from .services import class_tally_compact


@shared_task
def student_import_validate_task(job_id: int) -> None:
    services.student_import_validate(job_id=job_id)


@shared_task
def student_import_run_task(job_id: int) -> None:
    services.student_import_run(job_id=job_id)


@shared_task
def class_tally_compact_task() -> None:
    class_tally_compact()
