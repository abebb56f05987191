"""Results test helpers: finalised sessions, test answers, results stored directly."""

import importlib
from datetime import date

import factory
from django.utils import timezone

from certification.models import Competence
from results.models import CertificationResult, CompetenceMark
from results.scoring import Outcome, ProfileLevel
from results.services import (
    AnswerInput,
    CandidateResultInput,
    session_results_publish,
    session_results_record,
)
from sessions.models import Session
from tests.factories import CandidateFactory, SessionFactory, StudentFactory

C, W, N, U = Outcome.CORRECT, Outcome.WRONG, Outcome.NEUTRALIZED, Outcome.UNANSWERED


def ensure_referential() -> None:
    """Browser tests flush the database, data migrations included: put the referential back."""
    from django.apps import apps

    migration = importlib.import_module("certification.migrations.0002_referential")
    migration.load_referential(apps, None)


def finalized_session(organization, **fields) -> Session:
    fields.setdefault("date", date(2026, 3, 12))
    fields.setdefault("status", Session.Status.FINALIZED)
    return SessionFactory(organization=organization, finalized_at=timezone.now(), **fields)


def present_candidate(session, *, student=None, **fields):
    """A present candidate, enrolled from a student of the session's school (same names)."""
    if student is None:
        names = {k: fields[k] for k in ("last_name", "first_name", "division") if k in fields}
        student = StudentFactory(organization=session.organization, **names)
    fields.setdefault("last_name", student.last_name)
    fields.setdefault("first_name", student.first_name)
    fields.setdefault("division", student.division)
    return CandidateFactory(session=session, student=student, is_present=True, **fields)


def entry(candidate, outcomes: dict[str, list[Outcome]], *, level=3, pix=27):
    """The test platform's data for a candidate: outcomes per competence, one profile level."""
    return CandidateResultInput(
        candidate_id=candidate.pk,
        profile={code: ProfileLevel(level=level, pix=pix) for code in outcomes},
        answers=tuple(
            AnswerInput(competence=code, outcome=outcome, challenge=f"rec{code}{i}")
            for code, items in outcomes.items()
            for i, outcome in enumerate(items)
        ),
    )


GOOD = {"1.1": [C, C, C], "1.2": [C, C, C], "2.1": [C, C, W], "3.1": [C, W, W], "4.1": [C, C, C]}
BAD = {"1.1": [W, W, C], "1.2": [W, W, W], "2.1": [C, W, W]}


def scored_and_published(session, outcomes_by_candidate: dict, *, published_by=None):
    session_results_record(
        session=session,
        entries=[entry(c, outcomes) for c, outcomes in outcomes_by_candidate.items()],
        source="test",
    )
    return session_results_publish(session=session, jury_comments={}, published_by=published_by)


class CertificationResultFactory(factory.django.DjangoModelFactory):
    """A result stored directly (no scoring), for exports, certificates and the bilan."""

    class Meta:
        model = CertificationResult
        skip_postgeneration_save = True

    candidate = factory.SubFactory(CandidateFactory, is_present=True)
    status = CertificationResult.Status.VALIDATED
    pix_score = 0
    correct_answers = 30
    scored_answers = 33
    test_date = factory.LazyAttribute(lambda o: o.candidate.session.date)
    published_at = factory.LazyFunction(timezone.now)
    verification_code = factory.Sequence(lambda n: f"P-{_code(n)}")

    @factory.post_generation
    def levels(obj, create, extracted, **kwargs):
        """levels={"1.1": 3, "2.2": 0}: a mark per tested competence; sets the pix score."""
        if not create or not extracted:
            return
        competences = {c.code: c for c in Competence.objects.all()}
        CompetenceMark.objects.bulk_create(
            CompetenceMark(
                result=obj,
                competence=competences[code],
                profile_level=max(level, 1),
                profile_pix=max(level, 1) * 8,
                level=level,
                score=level * 8,
            )
            for code, level in extracted.items()
        )
        if obj.status == CertificationResult.Status.VALIDATED:
            obj.pix_score = sum(level * 8 for level in extracted.values())
            obj.save(update_fields=["pix_score"])


def _code(n: int) -> str:
    alphabet = "2346789BCDFGHJKMPQRTVWXY"
    code = ""
    for _ in range(8):
        n, rest = divmod(n, len(alphabet))
        code += alphabet[rest]
    return code
