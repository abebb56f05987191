from celery import shared_task
from django.core.management import call_command


@shared_task
def clear_expired_web_sessions() -> None:
    """Nightly: drop expired login sessions (shared classroom computers leave many behind)."""
    call_command("clearsessions")
