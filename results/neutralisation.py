"""Writes of the jury's work on signalements (domain §7, Neutralisation).

When results arrive, E1–E5 signalements on a question answered wrong or not at all neutralise it
automatically, and any E signalement on a right answer is closed (a right answer is never
neutralised). The jury decides the rest, with a reason: neutralise or refuse (other E codes),
cancel the certification or keep it (C6), mark as treated (C1). Every decision, and undoing one,
rescores the candidate at once and is written in the audit log with the result before and after.
"""

from django.db import transaction

from accounts.models import AuditLog
from accounts.services import audit_log_record
from sessions.models import CertificationIssueReport, Session

from .models import CertificationAnswer, CertificationResult, CompetenceMark, IssueReportDecision
from .scoring import AbortReason, Answer, Outcome, ProfileLevel, TestSheet, certification_score

AUTOMATIC_CODES = frozenset({"E1", "E2", "E3", "E4", "E5"})
Kind = IssueReportDecision.Kind
# What the jury may decide, per kind of signalement.
JURY_KINDS: dict[str, tuple[IssueReportDecision.Kind, ...]] = {
    "E": (Kind.NEUTRALIZED, Kind.REFUSED),
    "C6": (Kind.CANCELLED, Kind.TREATED),
}
JURY_KINDS["C1"] = (Kind.TREATED,)


def is_impactful(code: str) -> bool:
    """Signalements that may change a result and wait for the jury before publication."""
    return code.startswith("E") or code in ("C1", "C6")


def jury_kinds(code: str) -> tuple:
    return JURY_KINDS.get("E" if code.startswith("E") else code, ())


class DecisionRefused(Exception):
    pass


def result_summary(result: CertificationResult | None) -> dict:
    """The result as the jury sees it before and after a decision."""
    if result is None:
        return {}
    return {
        "status": result.get_status_display(),
        "pix": result.pix_score,
        "levels": {mark.competence.code: mark.level for mark in result.marks.all()},
    }


def result_rescore(*, result: CertificationResult) -> None:
    """Score again from the stored answers, profile and decisions on the candidate's reports."""
    candidate = result.candidate
    decisions = IssueReportDecision.objects.filter(issue_report__candidate=candidate)
    neutralized = {
        d.issue_report.question_number
        for d in decisions.select_related("issue_report")
        if d.kind in IssueReportDecision.NEUTRALIZING
    }
    cancelled = decisions.filter(kind=Kind.CANCELLED).exists()
    marks = {mark.competence.code: mark for mark in result.marks.select_related("competence")}
    answers = []
    for answer in result.answers.select_related("competence"):
        outcome = Outcome(answer.outcome)
        if answer.position in neutralized and outcome is not Outcome.CORRECT:
            outcome = Outcome.NEUTRALIZED
        answers.append(Answer(answer.competence.code, outcome))
    reason = AbortReason(candidate.abort_reason) if candidate.abort_reason else None
    score = certification_score(
        TestSheet(
            answers=tuple(answers),
            profile={
                code: ProfileLevel(mark.profile_level, mark.profile_pix)
                for code, mark in marks.items()
            },
            abort_reason=reason,
        )
    )
    result.status = CertificationResult.Status.CANCELLED if cancelled else score.status.value
    result.pix_score = 0 if cancelled else score.pix_score
    result.correct_answers, result.scored_answers = score.correct, score.scored
    result.save(update_fields=["status", "pix_score", "correct_answers", "scored_answers"])
    for competence in score.competences:
        mark = marks[competence.competence]
        mark.level, mark.score = competence.level, competence.pix
    CompetenceMark.objects.bulk_update(marks.values(), ["level", "score"])
    # The summaries read the marks again: drop what was prefetched.
    getattr(result, "_prefetched_objects_cache", {}).pop("marks", None)


def session_automatic_decisions_make(*, session: Session) -> None:
    """Right after the results are stored (API or CSV). Results sent again start over: every
    earlier decision of the session goes, the jury decides again on the new answers."""
    IssueReportDecision.objects.filter(issue_report__candidate__session=session).delete()
    outcomes: dict[tuple[int, int | None], str] = {
        (candidate_id, position): outcome
        for candidate_id, position, outcome in CertificationAnswer.objects.filter(
            result__candidate__session=session
        ).values_list("result__candidate_id", "position", "outcome")
    }
    decisions = []
    for report in CertificationIssueReport.objects.filter(
        candidate__session=session, code__startswith="E", question_number__isnull=False
    ):
        outcome = outcomes.get((report.candidate_id, report.question_number))
        if outcome == Outcome.CORRECT:
            decisions.append(IssueReportDecision(issue_report=report, kind=Kind.CORRECT_ANSWER))
        elif outcome is not None and report.code in AUTOMATIC_CODES:
            decisions.append(IssueReportDecision(issue_report=report, kind=Kind.AUTO_NEUTRALIZED))
    IssueReportDecision.objects.bulk_create(decisions)
    neutralized = {
        d.issue_report.candidate_id for d in decisions if d.kind == Kind.AUTO_NEUTRALIZED
    }
    results = CertificationResult.objects.filter(candidate_id__in=neutralized)
    for result in results.select_related("candidate"):
        before = result_summary(result)
        result_rescore(result=result)
        IssueReportDecision.objects.filter(
            issue_report__candidate_id=result.candidate_id, kind=Kind.AUTO_NEUTRALIZED
        ).update(before=before, after=result_summary(result))


def _locked_result(issue_report: CertificationIssueReport) -> CertificationResult | None:
    session = Session.objects.select_for_update().get(pk=issue_report.candidate.session_id)
    if session.status != Session.Status.FINALIZED:
        raise DecisionRefused(
            "Les résultats de cette session sont publiés : les décisions ne changent plus."
        )
    return (
        CertificationResult.objects.filter(candidate_id=issue_report.candidate_id)
        .select_related("candidate")
        .first()
    )


def _audit(*, action, issue_report, actor, kind, reason, before, after) -> None:
    candidate = issue_report.candidate
    audit_log_record(
        actor=actor,
        organization=candidate.session.organization,
        action=action,
        session_id=candidate.session_id,
        candidate_id=candidate.pk,
        issue_report_id=issue_report.pk,
        code=issue_report.code,
        question_number=issue_report.question_number,
        decision=kind,
        reason=reason,
        before=before,
        after=after,
    )


def issue_report_decide(
    *, issue_report: CertificationIssueReport, kind: str, reason: str, decided_by
) -> IssueReportDecision:
    """The jury's decision on one signalement; rescored at once. Raises DecisionRefused."""
    kind, reason = Kind(kind), reason.strip()
    with transaction.atomic():
        result = _locked_result(issue_report)
        if IssueReportDecision.objects.filter(issue_report=issue_report).exists():
            raise DecisionRefused("Ce signalement a déjà été traité.")
        if kind not in jury_kinds(issue_report.code):
            raise DecisionRefused("Cette décision ne s'applique pas à ce signalement.")
        if not reason:
            raise DecisionRefused("Indiquez le motif de la décision.")
        if kind in (Kind.NEUTRALIZED, Kind.CANCELLED) and result is None:
            raise DecisionRefused("Ce candidat n'a pas de résultat.")
        if kind is Kind.NEUTRALIZED:
            assert result is not None  # checked just above
            number = issue_report.question_number
            answer = None if number is None else result.answers.filter(position=number).first()
            if answer is None:
                raise DecisionRefused(
                    f"La question n° {issue_report.question_number} n'a pas été posée."
                )
            if answer.outcome == Outcome.CORRECT:
                raise DecisionRefused(
                    "Cette question n'a pas été neutralisée car la réponse est correcte."
                )
        before = result_summary(result)
        decision = IssueReportDecision.objects.create(
            issue_report=issue_report, kind=kind, reason=reason, decided_by=decided_by
        )
        if kind in (Kind.NEUTRALIZED, Kind.CANCELLED):
            assert result is not None  # checked above
            if kind is Kind.CANCELLED:
                # The organisation reads why its candidate's certification was cancelled.
                result.jury_comment = reason
                result.save(update_fields=["jury_comment"])
            result_rescore(result=result)
        decision.before, decision.after = before, result_summary(result)
        decision.save(update_fields=["before", "after"])
        _audit(
            action=AuditLog.Action.JURY_DECISION,
            issue_report=issue_report,
            actor=decided_by,
            kind=kind.value,
            reason=reason,
            before=decision.before,
            after=decision.after,
        )
    return decision


def issue_report_decision_undo(*, decision: IssueReportDecision, undone_by) -> tuple[dict, dict]:
    """Un-neutralise (or un-cancel, un-refuse…): the signalement waits for the jury again."""
    issue_report = decision.issue_report
    with transaction.atomic():
        result = _locked_result(issue_report)
        current = IssueReportDecision.objects.select_for_update().filter(pk=decision.pk).first()
        if current is None:
            raise DecisionRefused("Cette décision a déjà été annulée.")
        decision = current
        if decision.kind == Kind.CORRECT_ANSWER:
            raise DecisionRefused("Une question à la réponse correcte n'est jamais neutralisée.")
        before = result_summary(result)
        kind = decision.kind
        decision.delete()
        if result is not None:
            if kind == Kind.CANCELLED and result.jury_comment == decision.reason:
                result.jury_comment = ""
                result.save(update_fields=["jury_comment"])
            result_rescore(result=result)
        after = result_summary(result)
        _audit(
            action=AuditLog.Action.JURY_DECISION_UNDONE,
            issue_report=issue_report,
            actor=undone_by,
            kind=kind,
            reason="",
            before=before,
            after=after,
        )
    return before, after
