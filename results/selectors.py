"""Reads: the results a school, a student, the jury or the public may see."""

from datetime import date
from typing import TYPE_CHECKING, TypedDict, TypeVar

from django.db.models import BooleanField, Case, Count, F, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import Promise

from accounts.models import Organization, User
from sessions.models import Candidate, CertificationIssueReport, Session
from students.selectors import division_sort_key

from .models import CertificationResult, CompetenceMark

if TYPE_CHECKING:  # django-stubs-ext is a dev tool, not installed in production
    from django_stubs_ext import WithAnnotations

R = TypeVar("R", bound=CertificationResult)


class JuryFigures(TypedDict):
    impactful_reports: int
    unresolved_reports: int
    to_process: bool


# The class of a result: the one noted at enrolment, else the student's current class.
RESULT_DIVISION = Coalesce(
    NullIf(F("candidate__division"), Value("")), F("candidate__student__division"), Value("")
)


def _with_details(results: QuerySet[R]) -> QuerySet[R]:
    marks = CompetenceMark.objects.select_related("competence")
    return results.select_related(
        "candidate", "candidate__session", "candidate__session__organization"
    ).prefetch_related(Prefetch("marks", queryset=marks))


def published_results(
    *,
    organization: Organization,
    division: str = "",
    session: Session | None = None,
    details: bool = True,
) -> QuerySet[CertificationResult]:
    """A school's published results, of one class or one session (all of them when neither).

    `details=False` leaves out the joins and prefetches, for exports that read plain values.
    """
    results = CertificationResult.objects.filter(
        candidate__session__organization=organization, published_at__isnull=False
    ).annotate(division=RESULT_DIVISION)
    if division:
        results = results.filter(division=division)
    if session is not None:
        results = results.filter(candidate__session=session)
    if details:
        results = _with_details(results)
    return results.order_by("division", "candidate__last_name", "candidate__first_name", "pk")


def result_divisions(*, organization: Organization) -> list[str]:
    """The classes of the school's published results (RESULT_DIVISION): the candidate's own,
    else its student's. Read as two lists, so that only candidates enrolled without a class
    look up their student (3 400 lookups in the students of the country otherwise)."""
    results = CertificationResult.objects.filter(
        candidate__session__organization=organization, published_at__isnull=False
    ).order_by()  # the results' default order would make every result distinct
    own = results.filter(candidate__division__gt="").values_list("candidate__division")
    students = results.filter(
        candidate__division="", candidate__student__division__gt=""
    ).values_list("candidate__student__division")
    return sorted((division for (division,) in own.union(students)), key=division_sort_key)


def published_sessions(*, organization: Organization) -> QuerySet[Session]:
    return Session.objects.filter(organization=organization, status=Session.Status.PUBLISHED)


def published_result_get(*, organization: Organization, result_id: int) -> CertificationResult:
    return get_object_or_404(published_results(organization=organization), pk=result_id)


def student_results(*, user: User) -> QuerySet[CertificationResult]:
    """The published results of the schools' students linked to this account."""
    results = CertificationResult.objects.filter(
        candidate__student__user=user, published_at__isnull=False
    ).annotate(division=RESULT_DIVISION)
    return _with_details(results).order_by("-test_date", "-pk")


def student_result_get(*, user: User, result_id: int) -> CertificationResult:
    return get_object_or_404(
        student_results(user=user).filter(status=CertificationResult.Status.VALIDATED),
        pk=result_id,
    )


def verifiable_result(*, code: str, today: date | None = None) -> CertificationResult | None:
    """The certificate behind a verification code, if it may be shown to anyone.

    Only published, validated certificates under three years old; anything else is None, with
    no hint of why.
    """
    today = today or timezone.localdate()
    result = (
        _with_details(CertificationResult.objects.all())
        .filter(
            verification_code=code,
            published_at__isnull=False,
            status=CertificationResult.Status.VALIDATED,
        )
        .first()
    )
    if result is None or result.valid_until <= today:
        return None
    return result


# Signalements that may change a result (domain §7): the jury settles them before publication.
IMPACTFUL = Q(code__startswith="E") | Q(code__in=("C1", "C6"))


def unresolved_issue_reports(*, session: Session) -> QuerySet[CertificationIssueReport]:
    return CertificationIssueReport.objects.filter(
        IMPACTFUL, candidate__session=session, decision__isnull=True
    )


def jury_sessions() -> "QuerySet[WithAnnotations[Session, JuryFigures]]":
    """Sessions the jury works on: those "à traiter" (an impactful signalement still waiting for
    a decision) first, then the other finalised ones, then the published, newest first."""
    impactful = Q(candidates__issue_reports__code__startswith="E") | Q(
        candidates__issue_reports__code__in=("C1", "C6")
    )
    return (
        Session.objects.filter(status__in=[Session.Status.FINALIZED, Session.Status.PUBLISHED])
        .select_related("organization")
        .annotate(
            impactful_reports=Count("candidates__issue_reports", filter=impactful),
            unresolved_reports=Count(
                "candidates__issue_reports",
                filter=impactful & Q(candidates__issue_reports__decision__isnull=True),
            ),
        )
        .annotate(
            to_process=Case(
                When(unresolved_reports__gt=0, status=Session.Status.FINALIZED, then=True),
                default=False,
                output_field=BooleanField(),
            )
        )
        .order_by("-to_process", "status", "-date", "-pk")
    )


def session_results(*, session: Session) -> QuerySet[CertificationResult]:
    results = CertificationResult.objects.filter(candidate__session=session).annotate(
        division=RESULT_DIVISION
    )
    return _with_details(results).order_by("candidate__last_name", "candidate__first_name", "pk")


def jury_session_candidates(*, session: Session) -> QuerySet[Candidate]:
    """Every candidate of the session with their signalements, decisions and result."""
    reports = CertificationIssueReport.objects.select_related(
        "decision", "decision__decided_by"
    ).order_by("created_at", "pk")
    marks = CompetenceMark.objects.select_related("competence").order_by("competence__index")
    return (
        Candidate.objects.filter(session=session)
        .select_related("result", "result__recipient_email")
        .prefetch_related(
            Prefetch("issue_reports", queryset=reports), Prefetch("result__marks", queryset=marks)
        )
        .order_by("last_name", "first_name", "pk")
    )


def session_status_counts(*, session: Session) -> list[tuple[str | Promise, int]]:
    """What a publication would publish: results per status, in the order of the statuses."""
    counts = dict(
        CertificationResult.objects.filter(candidate__session=session)
        .values_list("status")
        .annotate(count=Count("pk"))
        .values_list("status", "count")
    )
    return [(label, counts.get(value, 0)) for value, label in CertificationResult.Status.choices]
