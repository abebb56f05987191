"""Scoring of a certification test (domain §7). Pure: no Django, no database.

The test asks 3 questions per competence positioned at level ≥ 1 in the candidate's profile.
- Neutralised questions are left out, as if they had not been asked.
- Unanswered questions of an unfinished test count as wrong when the candidate gave up (or ran
  out of time) and are neutralised when a technical problem stopped the test.
- Global rate = correct / scored questions. Under 50 % the certification is rejected: every
  competence 0, 0 pix. With no scored question at all it is cancelled.
- Per competence: fewer than 2 correct → not certified (0); exactly 2 correct with a wrong answer
  while the global rate is under 80 % → one level below the profile level (−8 pix); otherwise the
  profile level with the profile's pix. A certified level never exceeds the profile level.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

PIX_PER_LEVEL = 8
MINIMUM_RATE_TO_BE_CERTIFIED = Fraction(50, 100)
MINIMUM_RATE_TO_BE_TRUSTED = Fraction(80, 100)
MINIMUM_CORRECT_PER_COMPETENCE = 2


class Outcome(StrEnum):
    CORRECT = "correct"
    WRONG = "wrong"
    NEUTRALIZED = "neutralized"
    UNANSWERED = "unanswered"


class AbortReason(StrEnum):
    CANDIDATE = "candidate"
    TECHNICAL = "technical"


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
    trusted = scored > 0 and Fraction(correct, scored) >= MINIMUM_RATE_TO_BE_TRUSTED

    competences = tuple(
        _competence_score(code, tallies[code], sheet.profile[code], status, trusted)
        for code in sorted(tallies)
    )
    return Score(
        status=status,
        pix_score=sum(c.pix for c in competences),
        correct=correct,
        scored=scored,
        competences=competences,
    )


def _competence_score(code, tally, profile: ProfileLevel, status: Status, trusted: bool):
    correct, wrong = tally[Outcome.CORRECT], tally[Outcome.WRONG]
    if status is not Status.VALIDATED or correct < MINIMUM_CORRECT_PER_COMPETENCE:
        level, pix = 0, 0
    elif correct == MINIMUM_CORRECT_PER_COMPETENCE and wrong and not trusted:
        level = profile.level - 1
        pix = max(profile.pix - PIX_PER_LEVEL, 0) if level > 0 else 0
    else:
        level, pix = profile.level, profile.pix
    return CompetenceScore(
        competence=code,
        profile_level=profile.level,
        level=level,
        pix=pix,
        correct=correct,
        wrong=wrong,
        neutralized=tally[Outcome.NEUTRALIZED],
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
        profile = sheet.profile.get(code)
        if code not in known:
            problems.append(f"question sur une compétence inconnue « {code} »")
        elif profile is None or profile.level < 1:
            problems.append(f"question sur {code}, compétence non positionnée dans le profil")
        if count > 3:
            problems.append(f"{count} questions sur {code} (3 au plus)")
    if not sheet.answers:
        problems.append("aucune question")
    return problems
