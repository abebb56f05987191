from datetime import date, datetime, time

from django.db.models import Count, Q, QuerySet, Value
from django.db.models.functions import Concat
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import Organization
from core.names import SearchKey, name_fold, name_sort_key
from students.models import Student

from .models import Candidate, CertificationIssueReport, DocumentJob, Session, school_datetime

ENROLLABLE_STUDENTS_LIMIT = 500


def name_order(prefix: str = "") -> tuple:
    """SQL order of people as a French reader expects it (ÇELIK with C, ÉTIENNE with E, case
    ignored), the order of the printed attendance sheet."""
    return (SearchKey(f"{prefix}last_name"), SearchKey(f"{prefix}first_name"), f"{prefix}pk")


def session_list(*, organization: Organization) -> QuerySet[Session]:
    return (
        Session.objects.filter(organization=organization)
        .annotate(candidate_count=Count("candidates"))
        .order_by("-date", "-time", "-pk")
    )


def session_get(*, organization: Organization, session_id: int) -> Session:
    """The session of this organisation, or 404: another school's ids are not found."""
    return get_object_or_404(Session, pk=session_id, organization=organization)


def candidate_get(*, session: Session, candidate_id: int) -> Candidate:
    return get_object_or_404(Candidate, pk=candidate_id, session=session)


def issue_report_get(*, session: Session, issue_report_id: int) -> CertificationIssueReport:
    return get_object_or_404(
        CertificationIssueReport.objects.select_related("candidate"),
        pk=issue_report_id,
        candidate__session=session,
    )


def document_job_get(*, session: Session, job_id: int) -> DocumentJob:
    return get_object_or_404(DocumentJob, pk=job_id, session=session)


def session_candidates(*, session: Session) -> QuerySet[Candidate]:
    return (
        session.candidates.select_related("student")
        .prefetch_related("issue_reports")
        .order_by(*name_order())
    )


def session_issue_reports(*, session: Session) -> QuerySet[CertificationIssueReport]:
    return (
        CertificationIssueReport.objects.filter(candidate__session=session)
        .select_related("candidate")
        .order_by(*name_order("candidate__"), "created_at", "pk")
    )


def candidates_for_documents(*, session: Session) -> list[Candidate]:
    candidates = session.candidates.only(
        "last_name", "first_name", "birthdate", "division", "extra_time_percentage", "session_id"
    )
    return sorted(candidates, key=lambda c: (*name_sort_key(c.last_name, c.first_name), c.pk))


def invigilated_candidates(*, session: Session, search: str = "") -> QuerySet[Candidate]:
    """The Espace surveillant's cards, in name order, narrowed to the names typed (accents and
    capitals ignored: "etienne" finds ÉTIENNE)."""
    candidates = session.candidates.prefetch_related("issue_reports")
    if search.strip():
        candidates = candidates.alias(
            search_name=SearchKey(Concat("last_name", Value(" "), "first_name"))
        )
        for word in name_fold(search).split():
            candidates = candidates.filter(search_name__contains=word)
    return candidates.order_by(*name_order())


def session_has_started_candidates(*, session: Session) -> bool:
    """A candidate noted present (or who saw the end screen) has started: no deletion then."""
    return session.candidates.filter(Q(is_present=True) | Q(has_seen_end_test_screen=True)).exists()


def session_has_room_conflict(
    *,
    organization: Organization,
    address: str,
    room: str,
    date: date,
    time: time,
    exclude_id: int | None = None,
) -> bool:
    """Another session of the school in the same room of the same site at the same date and time."""
    sessions = Session.objects.filter(
        organization=organization,
        address__iexact=address.strip(),
        room__iexact=room.strip(),
        date=date,
        time=time,
    )
    if exclude_id is not None:
        sessions = sessions.exclude(pk=exclude_id)
    return sessions.exists()


def session_start_is_past(
    *, organization: Organization, date: date, time: time, now: datetime | None = None
) -> bool:
    return school_datetime(organization, date, time) < (now or timezone.now())


def enrollable_students(
    *, organization: Organization, division: str = "", search: str = ""
) -> QuerySet[Student]:
    """The school's active students for "Ajouter des élèves", filtered by class and name."""
    students = Student.objects.filter(organization=organization, is_disabled=False)
    if division:
        students = students.filter(division=division)
    for word in name_fold(search).split():
        students = students.filter(search_name__contains=word)
    return students.order_by(*name_order())[:ENROLLABLE_STUDENTS_LIMIT]


def enrolled_student_ids(*, session: Session) -> set[int]:
    return set(
        session.candidates.filter(student__isnull=False).values_list("student_id", flat=True)
    )
