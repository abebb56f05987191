"""Reads: the results a school, a student, the jury or the public may see."""

from datetime import date

from django.db.models import F, Prefetch, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.shortcuts import get_object_or_404
from django.utils import timezone

from sessions.models import Session

from .models import CertificationResult, CompetenceMark

# The class of a result: the one noted at enrolment, else the student's current class.
RESULT_DIVISION = Coalesce(
    NullIf(F("candidate__division"), Value("")), F("candidate__student__division"), Value("")
)


def _with_details(results: QuerySet[CertificationResult]) -> QuerySet[CertificationResult]:
    marks = CompetenceMark.objects.select_related("competence")
    return results.select_related(
        "candidate", "candidate__session", "candidate__session__organization"
    ).prefetch_related(Prefetch("marks", queryset=marks))


def published_results(
    *, organization, division: str = "", session: Session | None = None, details: bool = True
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


def result_divisions(*, organization) -> list[str]:
    divisions = (
        CertificationResult.objects.filter(
            candidate__session__organization=organization, published_at__isnull=False
        )
        .annotate(division=RESULT_DIVISION)
        .exclude(division="")
        .values_list("division", flat=True)
        .distinct()
    )
    return sorted(divisions)


def published_sessions(*, organization) -> QuerySet[Session]:
    return Session.objects.filter(organization=organization, status=Session.Status.PUBLISHED)


def published_session_get(*, organization, session_id: int) -> Session:
    return get_object_or_404(published_sessions(organization=organization), pk=session_id)


def published_result_get(*, organization, result_id: int) -> CertificationResult:
    return get_object_or_404(published_results(organization=organization), pk=result_id)


def student_results(*, user) -> QuerySet[CertificationResult]:
    """The published results of the schools' students linked to this account."""
    results = CertificationResult.objects.filter(
        candidate__student__user=user, published_at__isnull=False
    ).annotate(division=RESULT_DIVISION)
    return _with_details(results).order_by("-test_date", "-pk")


def student_result_get(*, user, result_id: int) -> CertificationResult:
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


def jury_sessions() -> QuerySet[Session]:
    """Sessions the jury works on: finalised (to review) and published, newest first."""
    return (
        Session.objects.filter(status__in=[Session.Status.FINALIZED, Session.Status.PUBLISHED])
        .select_related("organization")
        .order_by("status", "-date", "-pk")
    )


def session_results(*, session: Session) -> QuerySet[CertificationResult]:
    results = CertificationResult.objects.filter(candidate__session=session).annotate(
        division=RESULT_DIVISION
    )
    return _with_details(results).order_by("candidate__last_name", "candidate__first_name", "pk")
