from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from accounts.models import Organization, User
from core.sql import as_aware_datetime, in_values
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


@dataclass(frozen=True)
class ActiveImport:
    id: int
    status: str


@dataclass(frozen=True)
class LastImport:
    finished_at: datetime | None
    author: User | None  # None when it ran from the command line


def import_jobs_current(
    *, organization: Organization
) -> tuple[ActiveImport | None, LastImport | None]:
    """The school's import under way (at most one) and its last successful one, with its
    author: the top of every Élèves page shows both. One plain statement: through the ORM, with
    both users joined, it cost a tenth of the whole page."""
    jobs, users = ImportJob._meta.db_table, User._meta.db_table
    is_active, active_statuses = in_values("j.status", ImportJob.ACTIVE_STATUSES)
    # Only table names from the models are interpolated; values are parameters.
    sql = f"""
        SELECT j.id, j.status, j.finished_at, u.id, u.first_name, u.last_name, u.email,
               u.username
        FROM {jobs} j
        LEFT JOIN {users} u ON u.id = COALESCE(j.confirmed_by_id, j.requested_by_id)
        WHERE j.organization_id = %s AND (
            {is_active}
            OR j.id = (SELECT d.id FROM {jobs} d
                       WHERE d.organization_id = %s AND d.status = %s
                       ORDER BY d.finished_at DESC, d.id DESC LIMIT 1))
    """  # noqa: S608
    params: list[Any] = [
        organization.pk,
        *active_statuses,
        organization.pk,
        ImportJob.Status.DONE.value,
    ]
    active, last_success = None, None
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for job_id, status, finished_at, user_id, first_name, last_name, email, username in rows:
        if status == ImportJob.Status.DONE:
            author = None
            if user_id is not None:
                author = User(
                    pk=user_id,
                    first_name=first_name,
                    last_name=last_name,
                    email=email,
                    username=username,
                )
            last_success = LastImport(finished_at=as_aware_datetime(finished_at), author=author)
        else:
            active = ActiveImport(id=job_id, status=status)
    return active, last_success
