"""Scoring of a certification test (domain §7). Pure: no Django, no database.

The test asks 3 questions per competence positioned at level ≥ 1 in the candidate's profile.
- Neutralised questions are left out, as if they had not been asked.
- Unanswered questions of an unfinished test count as wrong when the candidate gave up (or ran
  out of time) and are neutralised when a technical problem stopped the test.
- Global rate = correct / scored questions. Under 50 % the certification is rejected: every
  competence 0, 0 pix, and the organisation gets the standard comment. With no scored question at
  all it is cancelled.
- Per competence, the national table (`COMPETENCE_RULES`): from the questions asked, answered
  right and neutralised, and the band of the global rate (≥ 80 %, 70–80 %, < 70 %), the
  competence is validated (the profile level and pix), downgraded (one level below, −8 pix) or
  invalidated (0). A certified level never exceeds the profile level.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

PIX_PER_LEVEL = 8
MINIMUM_RATE_TO_BE_CERTIFIED = Fraction(50, 100)
HIGH_RATE = Fraction(80, 100)
MEDIUM_RATE = Fraction(70, 100)
AUTOMATIC_REJECTION_COMMENT = (
    "Le candidat a répondu faux à plus de 50 % des questions posées, cela a invalidé l'ensemble "
    "de sa certification, et a donc entraîné un score de 0 pix."
)


class Outcome(StrEnum):
    CORRECT = "correct"
    WRONG = "wrong"
    NEUTRALIZED = "neutralized"
    UNANSWERED = "unanswered"


class AbortReason(StrEnum):
    CANDIDATE = "candidate"
    TECHNICAL = "technical"


class Action(StrEnum):
    VALIDATE = "validate"
    DOWNGRADE = "downgrade"
    INVALIDATE = "invalidate"


V, D, X = Action.VALIDATE, Action.DOWNGRADE, Action.INVALIDATE
# Domain §7: (asked, correct, neutralised) → action for a global rate ≥ 80 %, 70–80 %, < 70 %.
# A competence with no correct answer is invalidated whatever was neutralised.
COMPETENCE_RULES: dict[tuple[int, int, int], tuple[Action, Action, Action]] = {
    (3, 3, 0): (V, V, V),
    (3, 2, 0): (V, D, D),
    (3, 2, 1): (V, V, V),
    (3, 1, 0): (X, X, X),
    (3, 1, 1): (V, D, X),
    (3, 1, 2): (V, V, D),
    (2, 2, 0): (V, V, V),
    (2, 1, 0): (V, D, X),
    (2, 1, 1): (V, V, D),
    (1, 1, 0): (V, V, D),
}


def competence_action(*, asked: int, correct: int, neutralized: int, rate: Fraction) -> Action:
    if correct == 0:
        return Action.INVALIDATE
    if rate >= HIGH_RATE:
        band = 0
    elif rate >= MEDIUM_RATE:
        band = 1
    else:
        band = 2
    return COMPETENCE_RULES[(asked, correct, neutralized)][band]


class Status(StrEnum):
    VALIDATED = "validated"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Answer:
    competence: str
    outcome: Outcome


@dataclass(frozen=True)
class ProfileLevel:
    """A competence of the profile at the start of the test."""

    level: int
    pix: int


@dataclass(frozen=True)
class TestSheet:
    __test__ = False  # not a pytest test class, despite its name

    answers: tuple[Answer, ...]
    profile: Mapping[str, ProfileLevel]
    abort_reason: AbortReason | None = None


@dataclass(frozen=True)
class CompetenceScore:
    competence: str
    profile_level: int
    level: int
    pix: int
    correct: int
    wrong: int
    neutralized: int

    @property
    def is_certified(self) -> bool:
        return self.level > 0


@dataclass(frozen=True)
class Score:
    status: Status
    pix_score: int
    correct: int
    scored: int
    competences: tuple[CompetenceScore, ...]

    @property
    def global_rate(self) -> Fraction | None:
        return Fraction(self.correct, self.scored) if self.scored else None

    @property
    def comment(self) -> str:
        """The comment the organisation gets unless the jury writes one."""
        return AUTOMATIC_REJECTION_COMMENT if self.status is Status.REJECTED else ""

    def level_of(self, competence: str) -> int | None:
        """The certified level, or None when the competence was not tested."""
        for score in self.competences:
            if score.competence == competence:
                return score.level
        return None


def effective_outcome(outcome: Outcome, abort_reason: AbortReason | None) -> Outcome:
    if outcome is not Outcome.UNANSWERED:
        return outcome
    # A technical problem is not the candidate's fault; anything else is a missed question.
    return Outcome.NEUTRALIZED if abort_reason is AbortReason.TECHNICAL else Outcome.WRONG


def certification_score(sheet: TestSheet) -> Score:
    tallies: dict[str, dict[Outcome, int]] = {}
    for answer in sheet.answers:
        outcome = effective_outcome(answer.outcome, sheet.abort_reason)
        tally = tallies.setdefault(answer.competence, dict.fromkeys(Outcome, 0))
        tally[outcome] += 1

    correct = sum(t[Outcome.CORRECT] for t in tallies.values())
    scored = correct + sum(t[Outcome.WRONG] for t in tallies.values())
    if scored == 0:
        status = Status.CANCELLED
    elif Fraction(correct, scored) < MINIMUM_RATE_TO_BE_CERTIFIED:
        status = Status.REJECTED
    else:
        status = Status.VALIDATED
    rate = Fraction(correct, scored) if scored else Fraction(0)

    competences = tuple(
        _competence_score(code, tallies[code], sheet.profile[code], status, rate)
        for code in sorted(tallies)
    )
    return Score(
        status=status,
        pix_score=sum(c.pix for c in competences),
        correct=correct,
        scored=scored,
        competences=competences,
    )


def _competence_score(code, tally, profile: ProfileLevel, status: Status, rate: Fraction):
    correct, wrong, neutralized = (
        tally[Outcome.CORRECT],
        tally[Outcome.WRONG],
        tally[Outcome.NEUTRALIZED],
    )
    action = Action.INVALIDATE
    if status is Status.VALIDATED:
        action = competence_action(
            asked=correct + wrong + neutralized, correct=correct, neutralized=neutralized, rate=rate
        )
    if action is Action.VALIDATE:
        level, pix = profile.level, profile.pix
    elif action is Action.DOWNGRADE:
        level = profile.level - 1
        pix = max(profile.pix - PIX_PER_LEVEL, 0) if level > 0 else 0
    else:
        level, pix = 0, 0
    return CompetenceScore(
        competence=code,
        profile_level=profile.level,
        level=level,
        pix=pix,
        correct=correct,
        wrong=wrong,
        neutralized=neutralized,
    )


def sheet_problems(
    sheet: TestSheet, *, known_competences: Iterable[str], max_level: int
) -> list[str]:
    """What makes a sheet unscorable, in French, for the 400 / the upload report."""
    known = set(known_competences)
    problems = []
    for code, profile in sheet.profile.items():
        if code not in known:
            problems.append(f"compétence inconnue « {code} » dans le profil")
        elif not 0 <= profile.level <= max_level:
            problems.append(f"niveau {profile.level} hors limites pour {code} (0 à {max_level})")
        elif not profile.level * PIX_PER_LEVEL <= profile.pix < (profile.level + 1) * PIX_PER_LEVEL:
            problems.append(
                f"{profile.pix} pix incohérent avec le niveau {profile.level} pour {code}"
            )
    counts: dict[str, int] = {}
    for answer in sheet.answers:
        counts[answer.competence] = counts.get(answer.competence, 0) + 1
    for code, count in sorted(counts.items()):
        positioned = sheet.profile.get(code)
        if code not in known:
            problems.append(f"question sur une compétence inconnue « {code} »")
        elif positioned is None or positioned.level < 1:
            problems.append(f"question sur {code}, compétence non positionnée dans le profil")
        if count > 3:
            problems.append(f"{count} questions sur {code} (3 au plus)")
    if not sheet.answers:
        problems.append("aucune question")
    return problems
