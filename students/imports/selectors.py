from django.db.models import Q, QuerySet

from accounts.models import Organization
from students.models import ImportJob


def import_job_active(*, organization: Organization) -> ImportJob | None:
    """The school's import under way or waiting for its confirmation (at most one)."""
    return (
        ImportJob.objects.filter(organization=organization, status__in=ImportJob.ACTIVE_STATUSES)
        .select_related("requested_by")
        .first()
    )


def import_job_list(*, organization: Organization) -> QuerySet[ImportJob]:
    return ImportJob.objects.filter(organization=organization).select_related(
        "requested_by", "confirmed_by"
    )


def import_jobs_current(*, organization: Organization) -> tuple[ImportJob | None, ImportJob | None]:
    """The school's import under way (at most one) and its last successful one, in one query:
    the top of the Élèves page shows both."""
    last_success = (
        ImportJob.objects.filter(organization=organization, status=ImportJob.Status.DONE)
        .order_by("-finished_at", "-pk")
        .values("pk")[:1]
    )
    jobs = list(
        ImportJob.objects.filter(organization=organization)
        .filter(Q(status__in=ImportJob.ACTIVE_STATUSES) | Q(pk__in=last_success))
        .select_related("requested_by", "confirmed_by")
    )
    active = next((job for job in jobs if job.status in ImportJob.ACTIVE_STATUSES), None)
    done = next((job for job in jobs if job.status == ImportJob.Status.DONE), None)
    return active, done
