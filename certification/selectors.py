"""Reads of the certification app: profiles as students see them, campaigns and participants."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from accounts.models import Organization, User
from students.models import Student

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


def students_with_last_participation(students: QuerySet[Student]) -> QuerySet[Student]:
    """The latest campaign each student sent a profile to, as subqueries: only run for the rows
    fetched (the number of participations is a column of its own)."""
    latest = CampaignParticipation.objects.filter(student=OuterRef("pk")).order_by(
        "-shared_at", "-pk"
    )
    return students.annotate(
        last_participation_at=Subquery(latest.values("shared_at")[:1]),
        last_participation_name=Subquery(latest.values("campaign__name")[:1]),
    )


# What the rows show: a student has some thirty columns, a row reads a third of them.
PAGE_ROW_FIELDS = [
    "last_name",
    "preferred_last_name",
    "first_name",
    "birthdate",
    "division",
    "is_disabled",
    "participation_count",
    "certifiability",
    "certifiability_profile_date",
    "user__username",
    "user__email",
    "user__has_mediacentre_access",
]


def students_page_rows(*, student_ids: Iterable[int]) -> list[Student]:
    """The students of one page of the list, in the page's order. The page is cut from the
    filtered ids (an OFFSET skips index entries, not rows and their subqueries); then only
    these rows are read, with their latest participation."""
    student_ids = list(student_ids)
    students = students_with_last_participation(
        Student.objects.filter(pk__in=student_ids).select_related("user").only(*PAGE_ROW_FIELDS)
    )
    by_id = {student.pk: student for student in students}
    return [by_id[pk] for pk in student_ids]
