"""Demo: a finalised session of 301, its results scored by the portal and published."""

from datetime import time, timedelta

from django.utils import timezone

from certification.models import CompetenceScore
from certification.referential import COMPETENCE_CODES, PIX_PER_LEVEL
from sessions.models import Candidate, Session
from sessions.services import candidates_add_students, session_create

from .models import CertificationResult
from .scoring import Outcome, ProfileLevel
from .services import (
    AnswerInput,
    CandidateResultInput,
    session_results_publish,
    session_results_record,
)

DEMO_CLASS = "301"
CANDIDATES = 25


def seed_results(school, rng) -> None:
    if CertificationResult.objects.filter(candidate__session__organization=school).exists():
        return
    session = session_create(
        organization=school,
        address="Bâtiment A",
        room="Salle informatique 12",
        date=timezone.localdate() - timedelta(days=21),
        time=time(9, 0),
        examiner="M. Leroy",
        rng=rng,
    )
    students = list(school.students.filter(division=DEMO_CLASS).order_by("pk")[:CANDIDATES])
    candidates_add_students(session=session, students=students)
    candidates = list(session.candidates.order_by("student_id"))
    for index, candidate in enumerate(candidates):
        candidate.is_present = index not in (23, 24)  # two absent
        candidate.has_seen_end_test_screen = index not in (5, 11, 23, 24)
        candidate.abort_reason = {5: "candidate", 11: "technical"}.get(index, "")
    Candidate.objects.bulk_update(
        candidates, ["is_present", "has_seen_end_test_screen", "abort_reason"]
    )
    Session.objects.filter(pk=session.pk).update(
        status=Session.Status.FINALIZED, finalized_at=timezone.now() - timedelta(days=20)
    )
    session.refresh_from_db()
    entries = [
        _test_of(candidate, student, rng, weak=index in (3, 17))
        for index, (candidate, student) in enumerate(zip(candidates, students, strict=True))
        if candidate.is_present
    ]
    session_results_record(session=session, entries=entries, source="demo")
    rejected = CertificationResult.objects.filter(candidate__session=session, status="rejected")
    comments = {
        result.pk: "Le candidat a répondu faux à plus de la moitié des questions posées."
        for result in rejected
    }
    session_results_publish(session=session, jury_comments=comments, published_by=None)


def _profile(student, rng) -> dict[str, ProfileLevel]:
    """The student's own profile when there is one (so the levels on their page and on their
    certificate agree), else a made-up certifiable one."""
    levels = {}
    if student.user_id:
        scores = CompetenceScore.objects.filter(profile__user_id=student.user_id, level__gte=1)
        levels = {s.competence.code: ProfileLevel(s.level, s.pix) for s in scores}
    if levels:
        return levels
    for code in rng.sample(COMPETENCE_CODES, 12):
        if len(levels) >= 8:
            break
        level = rng.choice([1, 2, 2, 3, 3, 4])
        levels.setdefault(code, ProfileLevel(level, level * PIX_PER_LEVEL + rng.randrange(8)))
    return levels


def _test_of(candidate, student, rng, *, weak: bool) -> CandidateResultInput:
    profile = _profile(student, rng)
    success = 0.35 if weak else 0.8
    answers: list[AnswerInput] = []
    for code in profile:
        for question in range(3):
            if candidate.abort_reason and len(answers) >= 15:
                outcome = Outcome.UNANSWERED
            else:
                outcome = Outcome.CORRECT if rng.random() < success else Outcome.WRONG
            answers.append(AnswerInput(code, outcome, f"rec{code.replace('.', '')}{question}"))
    return CandidateResultInput(candidate_id=candidate.pk, profile=profile, answers=tuple(answers))
