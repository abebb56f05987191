from celery import shared_task
from django.core.management import call_command

from .models import PasswordResetJob
from .reset_files import reset_files_purge
from .student_accounts import password_reset_job_run


@shared_task
def clear_expired_web_sessions() -> None:
    """Nightly: drop expired login sessions (shared classroom computers leave many behind)."""
    call_command("clearsessions")


# A worker slot is never held for ever: 5 000 students take about a minute and a half here.
@shared_task(soft_time_limit=20 * 60, time_limit=21 * 60)
def password_reset_job_run_task(job_id: int) -> None:
    """A reset of more than one class. Only the id travels: passwords never reach the broker."""
    job = PasswordResetJob.objects.select_related("organization", "requested_by").get(pk=job_id)
    password_reset_job_run(job=job)


@shared_task
def password_reset_files_purge() -> None:
    """Every few minutes: delete the credentials files nobody downloaded in time."""
    reset_files_purge()
