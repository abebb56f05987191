"""Reads of the campaign: the national calendar, the readiness board, plans and packs."""

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from accounts.models import Organization
from core.names import name_sort_key
from results.models import CertificationResult
from sessions.models import Candidate, Session
from students.models import Student
from students.selectors import organization_divisions

from .models import DayPackJob, SessionPlan

if TYPE_CHECKING:  # django-stubs-ext is a dev tool, not installed in production
    from django_stubs_ext import WithAnnotations


class KnownExtraTime(TypedDict):
    known_extra_time: int | None


# The classes that sit the certification: 3e in collèges ("3EME A", "3e2", "301"), terminales
# (and BTS, CPGE) in lycées ("TLE B", "TG1", "TSTMG"). Regexes the database evaluates.
TARGET_DIVISIONS: dict[str, str] = {
    Organization.Kind.COLLEGE: r"^\s*3",
    Organization.Kind.LYCEE: r"^\s*(t|bts|cpge)",
}

# --- Readiness board --------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadinessState:
    slug: str
    label: str | Promise  # lazy: translated when shown


READINESS_STATES = [
    ReadinessState("sans-compte", gettext_lazy("Sans compte")),
    ReadinessState("non-communique", gettext_lazy("Profil non communiqué")),
    ReadinessState("non-certifiable", gettext_lazy("Non certifiables")),
    ReadinessState("a-inscrire", gettext_lazy("Certifiables non inscrits")),
    ReadinessState("inscrit", gettext_lazy("Inscrits")),
    ReadinessState("absent", gettext_lazy("Absents d'une session finalisée")),
    ReadinessState("certifie", gettext_lazy("Certifiés")),
]
READINESS_LABELS = {state.slug: state.label for state in READINESS_STATES}
CATCH_UP = "rattrapage"
CATCH_UP_STATES = ("absent", "a-inscrire")


def target_divisions(*, organization: Organization) -> list[str]:
    """The school's classes of the certified level (3e or terminales), sorted."""
    return organization_divisions(
        organization=organization, matching=TARGET_DIVISIONS[organization.kind]
    )


def _students_with_state(*, organization: Organization, divisions: list[str]) -> QuerySet:
    """Each student in exactly one state, the furthest along the way to the certificate."""
    candidacies = Candidate.objects.filter(student=OuterRef("pk"))
    held = [Session.Status.FINALIZED, Session.Status.PUBLISHED]
    return Student.objects.filter(
        organization=organization, is_disabled=False, division__in=divisions
    ).annotate(
        state=Case(
            When(
                Exists(candidacies.filter(result__status=CertificationResult.Status.VALIDATED)),
                then=Value("certifie"),
            ),
            # Enrolled in a session to come, or sat one whose results are awaited.
            When(
                Exists(
                    candidacies.filter(
                        Q(session__status=Session.Status.CREATED)
                        | Q(session__status__in=held, is_present=True)
                    )
                ),
                then=Value("inscrit"),
            ),
            When(
                Exists(candidacies.filter(session__status__in=held, is_present=False)),
                then=Value("absent"),
            ),
            When(certifiability=Student.Certifiability.CERTIFIABLE, then=Value("a-inscrire")),
            When(
                certifiability=Student.Certifiability.NOT_CERTIFIABLE,
                then=Value("non-certifiable"),
            ),
            When(user__isnull=True, then=Value("sans-compte")),
            default=Value("non-communique"),
            output_field=CharField(),
        )
    )


@dataclass
class BoardRow:
    division: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def catch_up(self) -> int:
        return sum(self.counts[state] for state in CATCH_UP_STATES)

    def cells(self) -> list[tuple[ReadinessState, int]]:
        return [(state, self.counts[state.slug]) for state in READINESS_STATES]


def readiness_board(*, organization: Organization, divisions: list[str]) -> list[BoardRow]:
    """Per class, how many students are in each state: one GROUP BY in the database."""
    rows = {
        division: BoardRow(division, {state.slug: 0 for state in READINESS_STATES})
        for division in divisions
    }
    grouped = (
        _students_with_state(organization=organization, divisions=divisions)
        .order_by()
        .values("division", "state")
        .annotate(count=Count("pk"))
    )
    for line in grouped:
        rows[line["division"]].counts[line["state"]] = line["count"]
    return list(rows.values())


def readiness_students(
    *, organization: Organization, divisions: list[str], state: str
) -> QuerySet[Student]:
    states = CATCH_UP_STATES if state == CATCH_UP else (state,)
    return (
        _students_with_state(organization=organization, divisions=divisions)
        .filter(state__in=states)
        .select_related("user")
        .order_by("division", "last_name", "first_name", "pk")
    )


def open_sessions(*, organization: Organization) -> QuerySet[Session]:
    """Sessions students can still be enrolled in, soonest first."""
    return (
        Session.objects.filter(organization=organization, status=Session.Status.CREATED)
        .annotate(candidate_count=Count("candidates"))
        .order_by("date", "time", "pk")
    )


# --- Plans and packs --------------------------------------------------------------------------


def session_plan_get(*, organization: Organization, plan_id: int) -> SessionPlan:
    return get_object_or_404(SessionPlan, pk=plan_id, organization=organization)


def _by_class_and_name(student: Student) -> tuple:
    return (
        name_sort_key(student.division, ""),
        *name_sort_key(student.last_name, student.first_name),
    )


def plan_students(
    *, organization: Organization, divisions: list[str]
) -> "list[WithAnnotations[Student, KnownExtraTime]]":
    """The students of the chosen classes still to place: neither certified nor enrolled in a
    session to come. Each carries the extra time of their last candidacy (a "Temps majoré"
    known from an earlier session is usually still right)."""
    last_extra_time = (
        Candidate.objects.filter(student=OuterRef("pk"), extra_time_percentage__isnull=False)
        .order_by("-created_at")
        .values("extra_time_percentage")[:1]
    )
    students = (
        _students_with_state(organization=organization, divisions=divisions)
        .exclude(state__in=["certifie", "inscrit"])
        .annotate(known_extra_time=last_extra_time)
        .only("pk", "division", "last_name", "first_name", "organization_id")
    )
    return sorted(students, key=_by_class_and_name)


def plan_members(*, organization: Organization, student_ids: list[int]) -> list[Student]:
    students = Student.objects.filter(
        organization=organization, is_disabled=False, pk__in=student_ids
    ).only("pk", "division", "last_name", "first_name", "organization_id")
    return sorted(students, key=_by_class_and_name)


def day_pack_sessions(
    *,
    organization: Organization,
    day: datetime.date | None = None,
    session_ids: list[int] | None = None,
) -> list[Session]:
    sessions = Session.objects.filter(organization=organization).select_related("organization")
    if session_ids is not None:
        sessions = sessions.filter(pk__in=session_ids)
    if day is not None:
        sessions = sessions.filter(date=day)
    return list(sessions.order_by("date", "time", "room", "pk"))


def session_days(*, organization: Organization) -> list[datetime.date]:
    """The days with sessions still to hold (a pack is printed before the day)."""
    return list(
        Session.objects.filter(organization=organization, status=Session.Status.CREATED)
        .order_by("date")
        .values_list("date", flat=True)
        .distinct()
    )


def day_pack_job_get(*, organization: Organization, job_id: int) -> DayPackJob:
    return get_object_or_404(DayPackJob, pk=job_id, organization=organization)
