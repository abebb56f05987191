"""Certifiability (domain §4): the rule, and the set-based job that applies it to students.

A student is certifiable with level 1 or more in at least 5 competences of their profile. The
status shown in the Élèves list is stored on `students.Student`, with the date of the profile it
comes from. It is refreshed by the nightly job below and, at once, when a student shares a
profile-collection campaign (`services.campaign_participation_share`). The newest information
wins: a status is only replaced by one computed from a profile at least as recent.
"""

import logging
import time
from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Organization
from students.models import Student

from .models import CompetenceProfile, CompetenceScore

logger = logging.getLogger(__name__)

CERTIFIABLE_MIN_LEVEL = 1
CERTIFIABLE_MIN_COMPETENCES = 5
# Any constant: two overlapping runs take it in turn for each chunk instead of deadlocking.
_ADVISORY_LOCK_KEY = 7_391_004


def levels_are_certifiable(levels: Iterable[int]) -> bool:
    reached = sum(1 for level in levels if level >= CERTIFIABLE_MIN_LEVEL)
    return reached >= CERTIFIABLE_MIN_COMPETENCES


def certifiability_status(levels: Iterable[int]) -> str:
    if levels_are_certifiable(levels):
        return Student.Certifiability.CERTIFIABLE
    return Student.Certifiability.NOT_CERTIFIABLE


def _chunk_sql(*, upper_bounded: bool, organization_count: int | None, everyone: bool) -> str:
    student = Student._meta.db_table
    profile = CompetenceProfile._meta.db_table
    score = CompetenceScore._meta.db_table
    conditions = [
        f"p.user_id = {student}.user_id",
        f"{student}.id > %s",
        f"NOT {student}.is_disabled",
        # Newest information wins (a shared campaign may be more recent than this profile).
        f"({student}.certifiability_profile_date IS NULL"
        f" OR p.computed_at >= {student}.certifiability_profile_date)",
    ]
    if upper_bounded:
        conditions.append(f"{student}.id <= %s")
    if not everyone:
        conditions.append(
            f"({student}.certifiability_updated_at IS NULL"
            f" OR p.updated_at > {student}.certifiability_updated_at)"
        )
    if organization_count is not None:
        placeholders = ", ".join(["%s"] * organization_count)
        conditions.append(f"{student}.organization_id IN ({placeholders})")
    # Only table names from the models and placeholders are interpolated; values are parameters.
    return f"""
        UPDATE {student}
        SET certifiability = CASE WHEN (
                SELECT COUNT(*) FROM {score} sc WHERE sc.profile_id = p.id AND sc.level >= %s
            ) >= %s THEN %s ELSE %s END,
            certifiability_profile_date = p.computed_at,
            certifiability_updated_at = p.updated_at
        FROM {profile} p
        WHERE {" AND ".join(conditions)}
    """  # noqa: S608


def certifiability_recompute(
    *,
    organization_ids: Iterable[int] | None = None,
    everyone: bool = False,
    chunk_size: int = 20_000,
) -> int:
    """Recompute the status of active students whose profile changed since their last computation
    (`everyone`: all active students with a profile). Returns the number of students updated.

    Set-based: one UPDATE per chunk of `chunk_size` students, each in its own short transaction.
    Idempotent (a second run finds nothing changed) and safe when two runs overlap (each chunk
    takes an advisory lock on PostgreSQL; the loser re-reads rows the winner already updated
    and skips them).
    """
    organization_ids = None if organization_ids is None else list(organization_ids)
    if organization_ids == []:
        return 0
    candidates = Student.objects.filter(is_disabled=False, user__isnull=False)
    if organization_ids is not None:
        candidates = candidates.filter(organization_id__in=organization_ids)
    candidate_ids = candidates.order_by("pk").values_list("pk", flat=True)

    started = time.monotonic()
    updated, lower = 0, 0
    while True:
        boundary = list(candidate_ids.filter(pk__gt=lower)[chunk_size - 1 : chunk_size])
        upper = boundary[0] if boundary else None
        updated += _recompute_chunk(
            lower=lower, upper=upper, organization_ids=organization_ids, everyone=everyone
        )
        if upper is None:
            break
        lower = upper
    logger.info(
        "Certificabilité recalculée : %d élève(s) mis à jour en %.2f s",
        updated,
        time.monotonic() - started,
    )
    return updated


def _recompute_chunk(*, lower, upper, organization_ids, everyone) -> int:
    sql = _chunk_sql(
        upper_bounded=upper is not None,
        organization_count=None if organization_ids is None else len(organization_ids),
        everyone=everyone,
    )
    params = [
        CERTIFIABLE_MIN_LEVEL,
        CERTIFIABLE_MIN_COMPETENCES,
        Student.Certifiability.CERTIFIABLE.value,
        Student.Certifiability.NOT_CERTIFIABLE.value,
        lower,
    ]
    if upper is not None:
        params.append(upper)
    params.extend(organization_ids or [])
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK_KEY])
        cursor.execute(sql, params)
        return cursor.rowcount


def organizations_due_for_nightly_recompute(*, now: datetime | None = None) -> list[int]:
    """Schools where it is now the configured night hour, in their own time zone."""
    now = now or timezone.now()
    hour = settings.CERTIFIABILITY_RECOMPUTE_HOUR
    zones = Organization.objects.order_by().values_list("timezone", flat=True).distinct()
    due = [zone for zone in zones if now.astimezone(ZoneInfo(zone)).hour == hour]
    return list(Organization.objects.filter(timezone__in=due).values_list("pk", flat=True))


def certifiability_recompute_nightly(*, now: datetime | None = None) -> int:
    """The hourly beat entry: recompute the schools whose local time is the night hour."""
    return certifiability_recompute(
        organization_ids=organizations_due_for_nightly_recompute(now=now)
    )
