from django.db.models import QuerySet

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


def import_job_last_success(*, organization: Organization) -> ImportJob | None:
    return (
        ImportJob.objects.filter(organization=organization, status=ImportJob.Status.DONE)
        .select_related("requested_by", "confirmed_by")
        .order_by("-finished_at", "-pk")
        .first()
    )
