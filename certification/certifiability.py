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
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Organization
from core.sql import in_values
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


def _conditions(
    *, everyone: bool, organization_ids: list[int] | None
) -> tuple[list[str], list[Any]]:
    """Which active students with a profile the job recomputes (`p` is their profile), and the
    parameters of these conditions."""
    student = Student._meta.db_table
    conditions = [
        f"p.user_id = {student}.user_id",
        f"NOT {student}.is_disabled",
        # Newest information wins (a shared campaign may be more recent than this profile).
        f"({student}.certifiability_profile_date IS NULL"
        f" OR p.computed_at >= {student}.certifiability_profile_date)",
    ]
    if not everyone:
        conditions.append(
            f"({student}.certifiability_updated_at IS NULL"
            f" OR p.updated_at > {student}.certifiability_updated_at)"
        )
    params: list[Any] = []
    if organization_ids is not None:
        among, params = in_values(f"{student}.organization_id", organization_ids)
        conditions.append(among)
    return conditions, params


def _due_sql(*, everyone: bool, organization_ids: list[int] | None) -> tuple[str, list[Any]]:
    """The ids of the students to recompute, in one pass over the students and the profiles
    (a hash join: linear in their number; nothing to do costs this query alone)."""
    student = Student._meta.db_table
    profile = CompetenceProfile._meta.db_table
    conditions, params = _conditions(everyone=everyone, organization_ids=organization_ids)
    # Only table names from the models and the conditions are interpolated; values are
    # parameters.
    sql = f"""
        SELECT {student}.id FROM {student} JOIN {profile} p ON {conditions[0]}
        WHERE {" AND ".join(conditions[1:])}
        ORDER BY {student}.id
    """  # noqa: S608
    return sql, params


def _chunk_sql(*, organization_ids: list[int] | None, everyone: bool) -> tuple[str, list[Any]]:
    """The UPDATE of one chunk (its first parameters: the two thresholds, the two statuses, the
    chunk's first and last id), and the parameters of its conditions."""
    student = Student._meta.db_table
    profile = CompetenceProfile._meta.db_table
    score = CompetenceScore._meta.db_table
    conditions, params = _conditions(everyone=everyone, organization_ids=organization_ids)
    # The range of one chunk of due ids; the conditions are checked again (a run or a shared
    # campaign may have come in between, and the range may hold students not due).
    sql = f"""
        UPDATE {student}
        SET certifiability = CASE WHEN (
                SELECT COUNT(*) FROM {score} sc WHERE sc.profile_id = p.id AND sc.level >= %s
            ) >= %s THEN %s ELSE %s END,
            certifiability_profile_date = p.computed_at,
            certifiability_updated_at = p.updated_at
        FROM {profile} p
        WHERE {student}.id BETWEEN %s AND %s AND {" AND ".join(conditions)}
    """  # noqa: S608
    return sql, params


def certifiability_recompute(
    *,
    organization_ids: Iterable[int] | None = None,
    everyone: bool = False,
    chunk_size: int = 20_000,
) -> int:
    """Recompute the status of active students whose profile changed since their last computation
    (`everyone`: all active students with a profile). Returns the number of students updated.

    Set-based: one query finds the students to recompute, then one UPDATE per chunk of
    `chunk_size` of them, each in its own short transaction. Idempotent (a second run finds
    nothing changed) and safe when two runs overlap (each chunk takes an advisory lock on
    PostgreSQL; the loser re-checks rows the winner already updated and skips them).
    """
    organization_ids = None if organization_ids is None else list(organization_ids)
    if organization_ids == []:
        return 0
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute(*_due_sql(everyone=everyone, organization_ids=organization_ids))
        due = [student_id for (student_id,) in cursor.fetchall()]
    updated = 0
    for start in range(0, len(due), chunk_size):
        chunk = due[start : start + chunk_size]
        updated += _recompute_chunk(
            first=chunk[0],
            last=chunk[-1],
            organization_ids=organization_ids,
            everyone=everyone,
        )
    logger.info(
        "Certificabilité recalculée : %d élève(s) mis à jour en %.2f s",
        updated,
        time.monotonic() - started,
    )
    return updated


def _recompute_chunk(*, first, last, organization_ids, everyone) -> int:
    sql, condition_params = _chunk_sql(organization_ids=organization_ids, everyone=everyone)
    params = [
        CERTIFIABLE_MIN_LEVEL,
        CERTIFIABLE_MIN_COMPETENCES,
        Student.Certifiability.CERTIFIABLE.value,
        Student.Certifiability.NOT_CERTIFIABLE.value,
        first,
        last,
        *condition_params,
    ]
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
