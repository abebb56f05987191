from celery import shared_task

from .certifiability import certifiability_recompute, certifiability_recompute_nightly


@shared_task
def certifiability_recompute_due() -> int:
    """Hourly beat entry: the schools where it is now the night hour get their recompute."""
    return certifiability_recompute_nightly()


@shared_task
def certifiability_recompute_organization(organization_id: int) -> int:
    """After a profile import: the school's statuses without waiting for the night."""
    return certifiability_recompute(organization_ids=[organization_id])
