"""Writes: recording a session's test results, publishing them, certificate batches."""

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import AuditLog, Organization, User
from accounts.services import audit_log_record, export_audit
from certification.models import Competence
from certification.referential import max_reachable_level
from core.rejected import Rejected
from jobs.files import private_file_save
from jobs.services import job_enqueue, job_progress_saver, job_run
from sessions.models import Candidate, Session

from . import documents, neutralisation, recipient_emails
from .models import (
    VERIFICATION_CODE_ALPHABET,
    VERIFICATION_CODE_LENGTH,
    CertificateBatch,
    CertificationAnswer,
    CertificationResult,
    CompetenceMark,
)
from .scoring import (
    AbortReason,
    Answer,
    Outcome,
    ProfileLevel,
    TestSheet,
    certification_score,
    sheet_problems,
)
from .selectors import published_results, unresolved_issue_reports

logger = logging.getLogger(__name__)

# A rendered class PDF is kept this long for download, then deleted (it holds minors' data).
CERTIFICATE_BATCH_RETENTION = timedelta(hours=24)


@dataclass(frozen=True)
class AnswerInput:
    competence: str
    outcome: Outcome
    challenge: str = ""


@dataclass(frozen=True)
class CandidateResultInput:
    """What the test platform sends for one candidate."""

    candidate_id: int
    profile: dict[str, ProfileLevel]
    answers: tuple[AnswerInput, ...]


@dataclass(frozen=True)
class Problem:
    message: str
    candidate_id: int | None = None


class ResultsRejected(Rejected):
    """The results cannot be recorded; nothing was written. `problems` keeps the candidate of
    each message (the CSV import names its line)."""

    def __init__(self, problems: list[Problem]):
        super().__init__([problem.message for problem in problems])
        self.problems = problems


class PublicationRefused(Rejected):
    """The session cannot be published; nothing was published."""


def _candidate_label(candidate: Candidate) -> str:
    return f"Candidat n° {candidate.pk} ({candidate.last_name} {candidate.first_name})"


def _session_problems(session: Session) -> list[Problem]:
    if session.status == Session.Status.PUBLISHED:
        return [Problem(f"Les résultats de la session n° {session.pk} sont déjà publiés.")]
    if session.status != Session.Status.FINALIZED:
        return [
            Problem(
                f"La session n° {session.pk} n'est pas finalisée : "
                "ses résultats ne peuvent pas encore être enregistrés."
            )
        ]
    return []


def _sheet(entry: CandidateResultInput, candidate: Candidate) -> TestSheet:
    reason = AbortReason(candidate.abort_reason) if candidate.abort_reason else None
    answers = tuple(Answer(a.competence, a.outcome) for a in entry.answers)
    return TestSheet(answers=answers, profile=entry.profile, abort_reason=reason)


def _validate(
    session: Session, entries: list[CandidateResultInput], candidates: dict[int, Candidate]
) -> list[Problem]:
    problems = _session_problems(session)
    if problems:
        return problems
    codes = list(Competence.objects.values_list("code", flat=True))
    seen = set()
    for entry in entries:
        candidate = candidates.get(entry.candidate_id)
        if candidate is None:
            problems.append(
                Problem(
                    f"Candidat n° {entry.candidate_id} : inconnu dans la session n° {session.pk}.",
                    entry.candidate_id,
                )
            )
            continue
        label = _candidate_label(candidate)
        if entry.candidate_id in seen:
            problems.append(Problem(f"{label} : présent deux fois.", entry.candidate_id))
            continue
        seen.add(entry.candidate_id)
        if not candidate.is_present:
            problems.append(
                Problem(f"{label} : noté absent à la finalisation.", entry.candidate_id)
            )
        for problem in sheet_problems(
            _sheet(entry, candidate), known_competences=codes, max_level=max_reachable_level()
        ):
            problems.append(Problem(f"{label} : {problem}.", entry.candidate_id))
    for candidate in candidates.values():
        if candidate.is_present and candidate.pk not in seen:
            problems.append(
                Problem(
                    f"{_candidate_label(candidate)} : résultats manquants "
                    "(présent à la session, toute la session est attendue).",
                    candidate.pk,
                )
            )
    return problems


def session_results_record(
    *,
    session: Session,
    entries: list[CandidateResultInput],
    source: str,
    recorded_by: User | None = None,
) -> list[CertificationResult]:
    """Score and store the results of a whole finalised session, replacing earlier ones.

    Everything is checked first; on any problem `ResultsRejected` lists them all and nothing is
    written.
    """
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        candidates = {c.pk: c for c in session.candidates.all()}
        problems = _validate(session, entries, candidates)
        if problems:
            raise ResultsRejected(problems)
        competences = {c.code: c for c in Competence.objects.all()}
        CertificationResult.objects.filter(candidate__session=session).delete()
        results, marks, answers = [], [], []
        for entry in entries:
            candidate = candidates[entry.candidate_id]
            score = certification_score(_sheet(entry, candidate))
            result = CertificationResult(
                candidate=candidate,
                status=score.status.value,
                pix_score=score.pix_score,
                correct_answers=score.correct,
                scored_answers=score.scored,
                test_date=session.date,
            )
            results.append(result)
            marks += [
                CompetenceMark(
                    result=result,
                    competence=competences[c.competence],
                    profile_level=c.profile_level,
                    profile_pix=entry.profile[c.competence].pix,
                    level=c.level,
                    score=c.pix,
                )
                for c in score.competences
            ]
            answers += [
                CertificationAnswer(
                    result=result,
                    position=position,
                    competence=competences[a.competence],
                    challenge=a.challenge,
                    outcome=a.outcome.value,
                )
                for position, a in enumerate(entry.answers, start=1)
            ]
        # bulk_create returns the pks (PostgreSQL, SQLite ≥ 3.35): the children pick them up.
        CertificationResult.objects.bulk_create(results)
        CompetenceMark.objects.bulk_create(marks)
        CertificationAnswer.objects.bulk_create(answers)
        neutralisation.session_automatic_decisions_make(session=session)
        audit_log_record(
            actor=recorded_by,
            organization=session.organization,
            action=AuditLog.Action.RESULTS_IMPORTED,
            session_id=session.pk,
            source=source,
            results=len(results),
        )
    return results


def verification_code_generate() -> str:
    suffix = "".join(
        secrets.choice(VERIFICATION_CODE_ALPHABET) for _ in range(VERIFICATION_CODE_LENGTH)
    )
    return f"P-{suffix}"


def _assign_verification_code(result: CertificationResult) -> None:
    # 24^8 ≈ 1.1e11 codes: a collision is rare; the unique constraint settles the race.
    for _attempt in range(10):
        code = verification_code_generate()
        if CertificationResult.objects.filter(verification_code=code).exists():
            continue
        try:
            with transaction.atomic():
                CertificationResult.objects.filter(pk=result.pk).update(verification_code=code)
        except IntegrityError:
            continue
        result.verification_code = code
        return
    raise RuntimeError("Impossible de générer un code de vérification unique.")


def publication_problems(session: Session) -> list[str]:
    if session.status == Session.Status.PUBLISHED:
        return [f"Les résultats de la session n° {session.pk} sont déjà publiés."]
    if session.status != Session.Status.FINALIZED:
        return [f"La session n° {session.pk} n'est pas finalisée."]
    present = session.candidates.filter(is_present=True)
    missing = present.filter(result__isnull=True)
    problems = [f"{_candidate_label(c)} : pas de résultat reçu." for c in missing]
    for report in unresolved_issue_reports(session=session).select_related("candidate"):
        question = f" (question n° {report.question_number})" if report.question_number else ""
        problems.append(
            f"{_candidate_label(report.candidate)} : signalement {report.code}{question} "
            "en attente de la décision du jury."
        )
    if not present.exists():
        problems.append("Aucun candidat présent : il n'y a rien à publier.")
    return problems


def jury_comments_save(*, session: Session, jury_comments: dict[int, str]) -> None:
    """The jury's comments for the organisation, until publication."""
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        if session.status != Session.Status.FINALIZED:
            raise PublicationRefused([f"La session n° {session.pk} n'est plus modifiable."])
        results = list(CertificationResult.objects.filter(candidate__session=session))
        for result in results:
            result.jury_comment = jury_comments.get(result.pk, result.jury_comment).strip()
        CertificationResult.objects.bulk_update(results, ["jury_comment"])


def session_results_publish(
    *, session: Session, jury_comments: dict[int, str], published_by: User | None
) -> list[CertificationResult]:
    """Publish a finalised session's results: jury comments, verification codes, status."""
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        problems = publication_problems(session)
        if problems:
            raise PublicationRefused(problems)
        now = timezone.now()
        results = list(
            CertificationResult.objects.filter(candidate__session=session).select_related(
                "candidate"
            )
        )
        for result in results:
            result.jury_comment = jury_comments.get(result.pk, result.jury_comment).strip()
            result.published_at = now
            _assign_verification_code(result)
        CertificationResult.objects.bulk_update(results, ["jury_comment", "published_at"])
        session.status = Session.Status.PUBLISHED
        session.published_at = now
        session.save(update_fields=["status", "published_at"])
        recipient_emails.result_emails_queue(results=results)
        audit_log_record(
            actor=published_by,
            organization=session.organization,
            action=AuditLog.Action.RESULTS_PUBLISHED,
            session_id=session.pk,
            results=len(results),
        )
    return results


def certificate_batch_start(
    *,
    organization: Organization,
    requested_by: User,
    division: str = "",
    session: Session | None = None,
) -> CertificateBatch | None:
    """Queue the PDF of a class's (or session's) certificates; None when nobody is certified."""
    from .tasks import certificate_batch_render_task

    total = (
        published_results(
            organization=organization, division=division, session=session, details=False
        )
        .filter(status=CertificationResult.Status.VALIDATED)
        .count()
    )
    if not total:
        return None
    batch = CertificateBatch.objects.create(
        organization=organization,
        requested_by=requested_by,
        division=division,
        session=session,
        total=total,
    )
    job_enqueue(job=batch, task=certificate_batch_render_task)
    return batch


def certificate_batch_render(*, batch_id: int) -> None:
    job_run(model=CertificateBatch, job_id=batch_id, work=_certificate_batch_render)


def _certificate_batch_render(batch: CertificateBatch) -> None:
    results = published_results(
        organization=batch.organization, division=batch.division, session=batch.session
    ).filter(status=CertificationResult.Status.VALIDATED)
    pdf = documents.certificates_render(
        results=list(results), on_progress=job_progress_saver(batch, batch.total)
    )
    expires_at = timezone.now() + CERTIFICATE_BATCH_RETENTION
    batch.file = private_file_save(
        organization=batch.organization,
        folder="attestations",
        content=pdf,
        download_name=documents.certificates_file_name(
            division=batch.division, session=batch.session
        ),
        content_type="application/pdf",
        expires_at=expires_at,
    )
    CertificateBatch.objects.filter(pk=batch.pk, status=CertificateBatch.Status.RUNNING).update(
        status=CertificateBatch.Status.DONE,
        progress=100,
        file=batch.file,
        finished_at=timezone.now(),
        expires_at=expires_at,
    )
    export_audit(
        actor=batch.requested_by,
        organization=batch.organization,
        export=AuditLog.Export.CERTIFICATES,
        division=batch.division,
        session_id=batch.session_id,
        results=batch.total,
    )
