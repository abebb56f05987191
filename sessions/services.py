"""Writes on sessions, candidates, issue reports and finalisation. Keyword-only, one action each.

Everything that changes a session's content checks that the session is still `Créée`: a
finalised session is read-only (§6).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time
from random import Random
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditLog, Organization, User
from accounts.services import audit_log_record
from core.names import name_sort_key
from jobs.files import private_file_delete, private_file_save
from students.models import Student

from .codes import access_code_generate, invigilator_password_generate
from .models import (
    ISSUE_REPORT_CODE_CATEGORY,
    Candidate,
    CertificationIssueReport,
    IssueReportCode,
    Session,
)
from .selectors import session_has_started_candidates

# INSEE codes of the countries of birth SIECLE gives most often; others keep their code.
# SIECLE writes them on 3 digits (100 = France), the agricultural CSV on 5 (99100).
BIRTH_COUNTRIES = {
    "99100": "FRANCE",
    "99109": "ALLEMAGNE",
    "99127": "ITALIE",
    "99131": "BELGIQUE",
    "99132": "ROYAUME-UNI",
    "99134": "ESPAGNE",
    "99139": "PORTUGAL",
    "99140": "SUISSE",
}


class SessionNotEditableError(Exception):
    """The session is finalised (or its results are published): it is read-only."""


class SessionHasStartedCandidatesError(Exception):
    """A candidate has started the test: the session can no longer be deleted."""


class DuplicateCandidateError(Exception):
    """The same person (name and birth date) is already enrolled in the session."""


class CandidateHasStartedError(Exception):
    """A candidate noted present cannot be removed from the session."""


class CandidatesChangedError(Exception):
    """The candidates changed while the finalisation form was being filled in."""


class SessionNotStartedError(Exception):
    """Finalisation comes after the session: its start time has not come yet."""


def _check_editable(session: Session) -> None:
    if not session.is_editable:
        raise SessionNotEditableError


def _locked(session: Session) -> Session:
    """Re-read the session under a row lock, so two requests cannot both pass the status check."""
    locked = (
        Session.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=session.pk)
    )
    _check_editable(locked)
    return locked


# --- Sessions ---------------------------------------------------------------------------------


@transaction.atomic
def session_create(
    *,
    organization: Organization,
    address: str,
    room: str,
    date: date,
    time: time,
    examiner: str,
    description: str = "",
    rng: Random | None = None,
) -> Session:
    password = invigilator_password_generate(
        is_taken=lambda code: Session.objects.filter(
            organization=organization,
            status=Session.Status.CREATED,
            invigilator_password=code,
        ).exists(),
        rng=rng,
    )
    # The DB constraint settles a race between two schools drawing the same free code.
    for _attempt in range(5):
        access_code = access_code_generate(
            is_taken=lambda code: Session.objects.filter(access_code=code).exists(), rng=rng
        )
        try:
            with transaction.atomic():
                return Session.objects.create(
                    organization=organization,
                    address=address,
                    room=room,
                    date=date,
                    time=time,
                    examiner=examiner,
                    description=description,
                    access_code=access_code,
                    invigilator_password=password,
                )
        except IntegrityError:
            continue
    raise IntegrityError("no free access code")


@transaction.atomic
def session_update(*, session: Session, **fields: Any) -> Session:
    session = _locked(session)
    for name in ("address", "room", "date", "time", "examiner", "description"):
        setattr(session, name, fields[name])
    session.save(update_fields=["address", "room", "date", "time", "examiner", "description"])
    return session


@transaction.atomic
def session_delete(*, session: Session) -> None:
    session = _locked(session)
    if session_has_started_candidates(session=session):
        raise SessionHasStartedCandidatesError
    for job in session.document_jobs.exclude(file=None).select_related("file"):
        private_file_delete(private_file=job.file)
    session.delete()


# --- Candidates -------------------------------------------------------------------------------


def _identity(last_name: str, first_name: str, birthdate: date | None) -> tuple:
    return (*name_sort_key(last_name.strip(), first_name.strip()), birthdate)


def _enrolled_identities(session: Session) -> set[tuple]:
    return {
        _identity(last, first, birthdate)
        for last, first, birthdate in session.candidates.values_list(
            "last_name", "first_name", "birthdate"
        )
    }


def _birth_country(code: str) -> str:
    code = f"99{code}" if len(code) == 3 else code
    return BIRTH_COUNTRIES.get(code, code)


@dataclass(frozen=True)
class StudentsAdded:
    added: int
    already_enrolled: int


@transaction.atomic
def candidates_add_students(*, session: Session, students: Iterable[Student]) -> StudentsAdded:
    """Enrol students of the school; those already enrolled (or a homonym born the same day
    added by hand) are skipped, never duplicated."""
    session = _locked(session)
    enrolled = _enrolled_identities(session)
    new_candidates = []
    skipped = 0
    for student in students:
        identity = _identity(student.last_name, student.first_name, student.birthdate)
        if student.organization_id != session.organization_id or identity in enrolled:
            skipped += 1
            continue
        enrolled.add(identity)
        new_candidates.append(
            Candidate(
                session=session,
                student=student,
                last_name=student.last_name,
                first_name=student.first_name,
                birthdate=student.birthdate,
                sex=student.sex,
                birth_insee_code=student.birth_city_code,
                birth_city=student.birth_city,
                birth_country=_birth_country(student.birth_country_code),
                division=student.division,
            )
        )
    Candidate.objects.bulk_create(new_candidates)
    return StudentsAdded(added=len(new_candidates), already_enrolled=skipped)


@transaction.atomic
def candidate_add(*, session: Session, **fields: Any) -> Candidate:
    """An external candidate, typed in by hand (birth place rules are checked by the form)."""
    session = _locked(session)
    identity = _identity(fields["last_name"], fields["first_name"], fields["birthdate"])
    if identity in _enrolled_identities(session):
        raise DuplicateCandidateError
    return Candidate.objects.create(session=session, **fields)


@transaction.atomic
def candidate_update(
    *, candidate: Candidate, extra_time_percentage: int | None, result_recipient_email: str
) -> Candidate:
    _locked(candidate.session)
    candidate.extra_time_percentage = extra_time_percentage
    candidate.result_recipient_email = result_recipient_email
    candidate.save(update_fields=["extra_time_percentage", "result_recipient_email"])
    return candidate


@transaction.atomic
def candidate_remove(*, candidate: Candidate) -> None:
    _locked(candidate.session)
    if candidate.is_present or candidate.has_seen_end_test_screen:
        raise CandidateHasStartedError
    candidate.delete()


@transaction.atomic
def candidate_record_attendance(
    *, candidate: Candidate, is_present: bool, has_seen_end_test_screen: bool
) -> Candidate:
    """What the invigilator ticks during the session."""
    _locked(candidate.session)
    candidate.is_present = is_present or has_seen_end_test_screen
    candidate.has_seen_end_test_screen = has_seen_end_test_screen
    candidate.save(update_fields=["is_present", "has_seen_end_test_screen"])
    return candidate


# --- Issue reports ----------------------------------------------------------------------------


@transaction.atomic
def issue_report_add(
    *,
    candidate: Candidate,
    code: str,
    question_number: int | None,
    description: str,
    source: str,
) -> CertificationIssueReport:
    _locked(candidate.session)
    code = IssueReportCode(code)
    return CertificationIssueReport.objects.create(
        candidate=candidate,
        code=code,
        category=ISSUE_REPORT_CODE_CATEGORY[code],
        question_number=question_number,
        description=description,
        source=source,
    )


@transaction.atomic
def issue_report_delete(*, issue_report: CertificationIssueReport) -> None:
    _locked(issue_report.candidate.session)
    issue_report.delete()


# --- Finalisation -----------------------------------------------------------------------------


def candidate_finalization_error(
    *, is_present: bool, has_seen_end_test_screen: bool, abort_reason: str
) -> str | None:
    """Why this candidate's line of the finalisation form is inconsistent, or None."""
    if not is_present and (has_seen_end_test_screen or abort_reason):
        return _("un candidat absent n'a ni écran de fin vu ni raison d'abandon.")
    if has_seen_end_test_screen and abort_reason:
        return _("le test est terminé (écran de fin vu) : ne donnez pas de raison d'abandon.")
    if is_present and not has_seen_end_test_screen and not abort_reason:
        return _("le test n'est pas terminé : indiquez la raison de l'abandon.")
    return None


@dataclass(frozen=True)
class CandidateFinalization:
    is_present: bool
    has_seen_end_test_screen: bool
    abort_reason: str


@transaction.atomic
def session_finalize(
    *,
    session: Session,
    candidates: dict[int, CandidateFinalization],
    has_incident: bool,
    has_joining_issue: bool,
    comment: str,
    signed_pv: UploadedFile,
    signed_pv_content_type: str,
    signed_pv_extension: str,
    finalized_by: User | None = None,
) -> Session:
    """Once only: the row lock makes a second, concurrent finalisation fail the status check."""
    session = _locked(session)
    if not session.has_started:
        raise SessionNotStartedError
    rows = list(session.candidates.all())
    if {candidate.pk for candidate in rows} != set(candidates):
        raise CandidatesChangedError
    for candidate in rows:
        line = candidates[candidate.pk]
        error = candidate_finalization_error(
            is_present=line.is_present,
            has_seen_end_test_screen=line.has_seen_end_test_screen,
            abort_reason=line.abort_reason,
        )
        if error:
            raise ValueError(f"{candidate}: {error}")
        candidate.is_present = line.is_present
        candidate.has_seen_end_test_screen = line.has_seen_end_test_screen
        candidate.abort_reason = line.abort_reason
    Candidate.objects.bulk_update(
        rows, ["is_present", "has_seen_end_test_screen", "abort_reason"], batch_size=500
    )
    session.has_incident = has_incident
    session.has_joining_issue = has_joining_issue
    session.finalization_comment = comment
    session.status = Session.Status.FINALIZED
    session.finalized_at = timezone.now()
    session.finalized_by = finalized_by if finalized_by and finalized_by.is_authenticated else None
    session.signed_pv = private_file_save(
        organization=session.organization,
        folder="signed-pv",
        upload=signed_pv,
        download_name=f"session-{session.pk}-pv-signe.{signed_pv_extension}",
        content_type=signed_pv_content_type,
        expires_at=None,
    )
    # The scan is written before the rows: if the transaction fails, it must not stay behind.
    try:
        session.save()
        audit_log_record(
            actor=finalized_by,
            organization=session.organization,
            action=AuditLog.Action.SESSION_FINALIZED,
            session_id=session.pk,
            candidates=len(rows),
            issue_reports=CertificationIssueReport.objects.filter(
                candidate__session=session
            ).count(),
        )
    except Exception:
        private_file_delete(private_file=session.signed_pv)
        raise
    return session
