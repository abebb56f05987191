"""Neutralisation (domain §7): automatic for E1–E5 when results arrive, the jury's decisions
for the rest, each rescoring the candidate at once; publication waits for every decision."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import AuditLog
from results.models import CertificationResult, IssueReportDecision
from results.neutralisation import DecisionRefused, issue_report_decide, issue_report_decision_undo
from results.services import PublicationRefused, session_results_publish, session_results_record
from tests.factories import IssueReportFactory
from tests.results.factories import C, W, entry, finalized_session, present_candidate

pytestmark = pytest.mark.django_db

# Questions 1–12: 1.1 = 1, 2, 3 (3 wrong); 1.2 = 4–6; 2.1 = 7–9 (8, 9 wrong); 3.1 = 10–12.
# 9 right out of 12 = 75 %: 1.1 (2 right of 3) one level below, 2.1 (1 of 3) invalidated.
OUTCOMES = {"1.1": [C, C, W], "1.2": [C, C, C], "2.1": [C, W, W], "3.1": [C, C, C]}
Kind = IssueReportDecision.Kind


@pytest.fixture
def session(school):
    return finalized_session(school)


@pytest.fixture
def lea(session):
    return present_candidate(session, last_name="MARTIN", first_name="Léa")


def report(candidate, code, question, **fields):
    fields.setdefault("category", "in_challenge" if code.startswith("E") else "fraud")
    return IssueReportFactory(candidate=candidate, code=code, question_number=question, **fields)


def record(session, *candidates):
    session_results_record(
        session=session, entries=[entry(c, OUTCOMES) for c in candidates], source="test"
    )


def levels(candidate) -> tuple[str, int, dict]:
    result = CertificationResult.objects.get(candidate=candidate)
    marks = {m.competence.code: m.level for m in result.marks.select_related("competence")}
    return result.status, result.pix_score, marks


def test_without_signalement_the_table_scores_the_test(session, lea):
    record(session, lea)
    assert levels(lea) == ("validated", 19 + 27 + 27, {"1.1": 2, "1.2": 3, "2.1": 0, "3.1": 3})


def test_e1_to_e5_on_a_wrong_answer_are_neutralised_automatically(session, lea):
    e2 = report(lea, "E2", 3)
    record(session, lea)

    # 1.1 is now 2 right + 1 neutralised, and the rate 9/11 is over 80 %.
    assert levels(lea) == ("validated", 3 * 27, {"1.1": 3, "1.2": 3, "2.1": 0, "3.1": 3})
    decision = IssueReportDecision.objects.get(issue_report=e2)
    assert decision.get_kind_display() == "Cette question a été neutralisée automatiquement"
    assert decision.decided_by is None
    assert decision.before["pix"] == 73 and decision.after["pix"] == 81
    assert decision.after["levels"]["1.1"] == 3


def test_a_question_answered_right_is_never_neutralised(session, lea):
    e1, e9 = report(lea, "E1", 1), report(lea, "E9", 2)
    record(session, lea)

    assert levels(lea)[1] == 73
    for signalement in (e1, e9):
        assert signalement.decision.get_kind_display() == (
            "Cette question n'a pas été neutralisée car la réponse est correcte"
        )
    with pytest.raises(DecisionRefused):
        issue_report_decision_undo(decision=e1.decision, undone_by=None)


def test_other_e_codes_wait_for_the_jury_and_block_publication(session, lea, superuser):
    e9 = report(lea, "E9", 8)
    record(session, lea)
    assert not IssueReportDecision.objects.filter(issue_report=e9).exists()

    with pytest.raises(PublicationRefused) as refused:
        session_results_publish(session=session, jury_comments={}, published_by=superuser)
    assert any("signalement E9 (question n° 8)" in p for p in refused.value.errors)


def test_the_jury_neutralises_rescoring_at_once_and_can_undo(session, lea, superuser):
    e9 = report(lea, "E9", 8)
    record(session, lea)

    decision = issue_report_decide(
        issue_report=e9, kind="neutralized", reason="Tableur absent du poste.", decided_by=superuser
    )

    # 2.1 is 1 right + 1 neutralised at 9/11 = 81.8 %: validated. 1.1 stays 2/3 → level 3 too.
    assert levels(lea) == ("validated", 4 * 27, {"1.1": 3, "1.2": 3, "2.1": 3, "3.1": 3})
    assert (decision.before["pix"], decision.after["pix"]) == (73, 108)
    assert decision.before["status"] == decision.after["status"] == "Validée"
    log = AuditLog.objects.get(action=AuditLog.Action.JURY_DECISION)
    assert log.actor == superuser and log.details["code"] == "E9"
    assert log.details["reason"] == "Tableur absent du poste."
    assert (log.details["before"]["pix"], log.details["after"]["pix"]) == (73, 108)

    before, after = issue_report_decision_undo(decision=decision, undone_by=superuser)

    assert (before["pix"], after["pix"]) == (108, 73)
    assert levels(lea)[1] == 73
    assert AuditLog.objects.filter(action=AuditLog.Action.JURY_DECISION_UNDONE).count() == 1
    assert not IssueReportDecision.objects.filter(issue_report=e9).exists()


def test_the_jury_can_un_neutralise_an_automatic_neutralisation(session, lea, superuser):
    e2 = report(lea, "E2", 3)
    record(session, lea)
    assert levels(lea)[1] == 81

    issue_report_decision_undo(decision=e2.decision, undone_by=superuser)
    assert levels(lea)[1] == 73
    issue_report_decide(issue_report=e2, kind="refused", reason="Vu en salle.", decided_by=None)
    assert levels(lea)[1] == 73
    assert IssueReportDecision.objects.get(issue_report=e2).get_kind_display() == (
        "Neutralisation refusée par le jury"
    )


def test_a_refusal_settles_the_signalement_and_allows_publication(session, lea, superuser):
    e9 = report(lea, "E9", 8)
    record(session, lea)
    issue_report_decide(issue_report=e9, kind="refused", reason="Non avéré.", decided_by=superuser)

    session_results_publish(session=session, jury_comments={}, published_by=superuser)

    assert levels(lea)[1] == 73
    with pytest.raises(DecisionRefused):  # published: decisions do not change any more
        issue_report_decision_undo(decision=e9.decision, undone_by=superuser)


@pytest.mark.parametrize(
    ("code", "question", "kind", "reason", "message"),
    [
        ("E9", 8, "neutralized", "  ", "Indiquez le motif"),
        ("E9", 1, "neutralized", "Motif", "la réponse est correcte"),
        ("E9", 40, "neutralized", "Motif", "La question n° 40 n'a pas été posée."),
        ("E9", 8, "cancelled", "Motif", "ne s'applique pas"),
        ("C1", None, "neutralized", "Motif", "ne s'applique pas"),
    ],
)
def test_decisions_that_do_not_apply_are_refused(
    session, lea, code, question, kind, reason, message
):
    signalement = report(lea, code, question)
    if code == "C1":
        signalement.category = "candidate_information_changes"
        signalement.save()
    record(session, lea)
    IssueReportDecision.objects.filter(issue_report=signalement).delete()

    with pytest.raises(DecisionRefused, match=message):
        issue_report_decide(issue_report=signalement, kind=kind, reason=reason, decided_by=None)
    assert levels(lea)[1] == 73


def test_c6_lets_the_jury_cancel_a_certification_with_a_comment(session, lea, superuser):
    c6 = report(lea, "C6", None)
    record(session, lea)

    decision = issue_report_decide(
        issue_report=c6, kind="cancelled", reason="Fraude avérée.", decided_by=superuser
    )

    result = CertificationResult.objects.get(candidate=lea)
    assert (result.get_status_display(), result.jury_comment) == ("Annulée", "Fraude avérée.")
    assert decision.after["status"] == "Annulée"
    issue_report_decision_undo(decision=decision, undone_by=superuser)
    result.refresh_from_db()
    assert (result.status, result.pix_score, result.jury_comment) == ("validated", 73, "")


def test_results_sent_again_start_the_decisions_over(session, lea, superuser):
    e9 = report(lea, "E9", 8)
    report(lea, "E2", 3)
    record(session, lea)
    issue_report_decide(issue_report=e9, kind="neutralized", reason="Oui.", decided_by=superuser)

    record(session, lea)

    assert set(IssueReportDecision.objects.values_list("kind", flat=True)) == {"auto_neutralized"}
    assert levels(lea)[1] == 81


def test_results_uploaded_as_csv_are_neutralised_automatically(superuser_client, session, lea):
    report(lea, "E4", 3)
    lines = [
        f"{lea.pk};{code};3;27;rec{code}{i};{'Correcte' if outcome == C else 'Fausse'}"
        for code, outcomes in OUTCOMES.items()
        for i, outcome in enumerate(outcomes)
    ]
    header = "Numéro de candidat;Compétence;Niveau du profil;Pix du profil;Épreuve;Résultat"
    upload = SimpleUploadedFile("r.csv", "\n".join([header, *lines]).encode(), "text/csv")
    response = superuser_client.post(
        reverse("results_public:jury_results_upload", args=[session.pk]), {"file": upload}
    )

    assert response.status_code == 302
    assert levels(lea)[1] == 81
