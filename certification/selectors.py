"""Reads of the certification app: profiles as students see them, campaigns and participants."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import connection
from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import Organization, User, connection_methods
from core.sql import as_aware_datetime, as_date, in_values
from students.models import Student, shown_last_name

from .certifiability import levels_are_certifiable
from .models import Campaign, CampaignParticipation, CompetenceProfile
from .referential import AREAS, COMPETENCES, LEVEL_LABELS, max_pix


@dataclass(frozen=True)
class CompetenceLine:
    code: str
    name: str
    level: int
    pix: int

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS.get(self.level, "")


@dataclass(frozen=True)
class AreaLines:
    code: str
    title: str
    competences: list[CompetenceLine]


@dataclass(frozen=True)
class ProfileSummary:
    computed_at: datetime
    areas: list[AreaLines]
    pix_total: int
    is_certifiable: bool
    # The scale of the attestation too ("/ 768" while level 6 is the highest reachable).
    max_pix: int = field(default_factory=max_pix)


def profile_summary(
    *, computed_at: datetime, scores: Mapping[str, tuple[int, int]]
) -> ProfileSummary:
    """The profile grouped by domain (competences missing from `scores` count as level 0)."""
    areas = [
        AreaLines(
            code=area_code,
            title=title,
            competences=[
                CompetenceLine(code, name, *scores.get(code, (0, 0)))
                for code, name in COMPETENCES
                if code.split(".")[0] == area_code
            ],
        )
        for area_code, title in AREAS
    ]
    return ProfileSummary(
        computed_at=computed_at,
        areas=areas,
        pix_total=sum(pix for _level, pix in scores.values()),
        is_certifiable=levels_are_certifiable(level for level, _pix in scores.values()),
    )


def competence_profile_summary(*, user: User) -> ProfileSummary | None:
    profile = CompetenceProfile.objects.filter(user=user).first()
    if profile is None:
        return None
    scores = {
        code: (level, pix)
        for code, level, pix in profile.scores.values_list("competence__code", "level", "pix")
    }
    return profile_summary(computed_at=profile.computed_at, scores=scores)


def campaign_list(*, organization: Organization) -> QuerySet[Campaign]:
    return (
        Campaign.objects.filter(organization=organization)
        .select_related("owner")
        .annotate(participant_count=Count("participations"))
        .order_by("-created_at", "-pk")
    )


def campaign_get(*, organization: Organization, campaign_id: int) -> Campaign:
    """The campaign of this school, or 404: another school's ids are not found."""
    return get_object_or_404(
        Campaign.objects.select_related("owner", "organization"),
        pk=campaign_id,
        organization=organization,
    )


def campaign_by_code(*, code: str) -> Campaign | None:
    return Campaign.objects.select_related("organization").filter(code=code).first()


def campaign_participants(*, campaign: Campaign) -> QuerySet[CampaignParticipation]:
    return campaign.participations.select_related("student").order_by(
        "student__division", "student__last_name", "student__first_name", "pk"
    )


def campaign_participation_of(*, campaign: Campaign, user: User) -> CampaignParticipation | None:
    return campaign.participations.filter(user=user).order_by("-shared_at").first()


# --- The Élèves page: students with their latest participation ------------------------------


LatestParticipation = tuple[datetime | None, str]  # when, and the campaign's name
NO_PARTICIPATION: LatestParticipation = (None, "")


def latest_participations(
    *, organization: Organization, student_ids: list[int] | None = None
) -> dict[int, LatestParticipation]:
    """The latest campaign each student of the school sent a profile to, by student id: of
    these students (a page of the list), or of all (its export). Students who sent none are
    absent. Read through the school's campaigns (a student only takes part in its school's):
    joined to every campaign of the country, the page's dozens of rows cost a hash of them all.
    A plain statement, its dates read as text (see core.sql)."""
    where = "c.organization_id = %s"
    params: list[Any] = [organization.pk]
    if student_ids is not None:
        among, ids = in_values("p.student_id", student_ids)
        where, params = f"{where} AND {among}", [*params, *ids]
    # Only table names from the models and the fixed conditions above are interpolated.
    sql = f"""
        SELECT p.student_id, CAST(p.shared_at AS TEXT), c.name
        FROM {CampaignParticipation._meta.db_table} p
        JOIN {Campaign._meta.db_table} c ON c.id = p.campaign_id
        WHERE {where}
        ORDER BY p.shared_at, p.id
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        # In time order: the last one read for a student is its latest.
        return {
            student_id: (as_aware_datetime(at), name) for student_id, at, name in cursor.fetchall()
        }


@dataclass(frozen=True)
class StudentPageRow:
    """One row of the Élèves page: what it shows of a student, its account and its latest
    participation (the certifiability badge reads the same two fields as on a Student)."""

    pk: int
    display_last_name: str
    first_name: str
    birthdate: date
    division: str
    is_disabled: bool
    participation_count: int
    certifiability: str
    certifiability_profile_date: datetime | None
    connection_methods: list[str]
    last_participation_at: datetime | None
    last_participation_name: str


def students_page_rows(
    *, organization: Organization, student_ids: Iterable[int]
) -> list[StudentPageRow]:
    """The rows of one page of the list, in the page's order. The page is cut from the
    filtered ids (an OFFSET skips index entries, not rows); then only these students are read,
    and their participations, in two plain statements: through the ORM, compiling them cost
    more than running them (2.1 ms against 0.8 for 50 rows)."""
    student_ids = list(student_ids)
    if not student_ids:
        return []
    among, ids = in_values("s.id", student_ids)
    # Only table names from the models and `among` are interpolated; the ids are parameters.
    students_sql = f"""
        SELECT s.id, s.last_name, s.preferred_last_name, s.first_name, s.birthdate, s.division,
               s.is_disabled, s.participation_count, s.certifiability,
               CAST(s.certifiability_profile_date AS TEXT), u.username, u.email,
               u.has_mediacentre_access
        FROM {Student._meta.db_table} s
        LEFT JOIN {User._meta.db_table} u ON u.id = s.user_id
        WHERE {among} AND s.organization_id = %s
    """  # noqa: S608
    latest = latest_participations(organization=organization, student_ids=student_ids)
    with connection.cursor() as cursor:
        cursor.execute(students_sql, [*ids, organization.pk])
        students = cursor.fetchall()
    rows = {}
    for (pk, last_name, preferred_last_name, first_name, birthdate, division, is_disabled,
         participation_count, certifiability, profile_date, username, email,
         mediacentre) in students:  # fmt: skip
        last_at, last_campaign = latest.get(pk, NO_PARTICIPATION)
        rows[pk] = StudentPageRow(
            pk=pk,
            display_last_name=shown_last_name(
                last_name=last_name, preferred_last_name=preferred_last_name
            ),
            first_name=first_name,
            birthdate=as_date(birthdate),
            division=division,
            is_disabled=bool(is_disabled),
            participation_count=participation_count,
            certifiability=certifiability,
            certifiability_profile_date=as_aware_datetime(profile_date),
            connection_methods=connection_methods(
                username=username, email=email, has_mediacentre_access=bool(mediacentre)
            ),
            last_participation_at=last_at,
            last_participation_name=last_campaign,
        )
    return [rows[pk] for pk in student_ids if pk in rows]
