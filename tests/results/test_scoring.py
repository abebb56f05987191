"""The scoring of domain §7, on the pure function (no database)."""

from fractions import Fraction

import pytest

from results.scoring import (
    AUTOMATIC_REJECTION_COMMENT,
    AbortReason,
    Answer,
    Outcome,
    ProfileLevel,
    Status,
    TestSheet,
    certification_score,
    sheet_problems,
)

C, W, N, U = Outcome.CORRECT, Outcome.WRONG, Outcome.NEUTRALIZED, Outcome.UNANSWERED
CODES = ["1.1", "1.2", "2.1", "3.1", "4.1"]


def sheet(outcomes_per_competence, *, profile=None, abort_reason=None):
    """outcomes_per_competence: {"1.1": [C, C, W], …}; the profile defaults to level 3, 27 pix."""
    profile = profile or {code: ProfileLevel(level=3, pix=27) for code in outcomes_per_competence}
    answers = tuple(
        Answer(competence=code, outcome=outcome)
        for code, outcomes in outcomes_per_competence.items()
        for outcome in outcomes
    )
    return TestSheet(answers=answers, profile=profile, abort_reason=abort_reason)


def test_all_correct_certifies_every_competence_at_the_profile_level_with_its_pix():
    score = certification_score(sheet({code: [C, C, C] for code in CODES}))
    assert score.status is Status.VALIDATED
    assert score.global_rate == 1
    assert [c.level for c in score.competences] == [3] * 5
    assert score.pix_score == 5 * 27


def test_exactly_50_percent_is_validated():
    # 8 correct out of 16 scored (two neutralised questions are left out).
    outcomes = {
        "1.1": [C, C, W],
        "1.2": [C, C, W],
        "2.1": [C, C, W],
        "3.1": [C, W, W],
        "4.1": [C, W, W],
        "5.1": [W, N, N],
    }
    score = certification_score(sheet(outcomes))
    assert score.global_rate == Fraction(1, 2)
    assert score.status is Status.VALIDATED
    # Under 80 %: the three 2/3 competences are one level below the profile, −8 pix.
    assert [score.level_of(code) for code in outcomes] == [2, 2, 2, 0, 0, 0]
    assert score.pix_score == 3 * (27 - 8)


ALL_CODES = [
    f"{a}.{n}" for a, count in ((1, 3), (2, 4), (3, 4), (4, 3), (5, 2)) for n in range(1, count + 1)
]


def test_49_percent_is_rejected_with_every_competence_at_0_and_0_pix():
    # 23 correct out of 47 scored = 48.9 %: 7 × 2/3, 3 × 3/3, 5 × 0/3 and 0/2.
    outcomes = [[C, C, W]] * 7 + [[C, C, C]] * 3 + [[W, W, W]] * 5 + [[W, W]]
    score = certification_score(sheet(dict(zip(ALL_CODES, outcomes, strict=True))))
    assert (score.correct, score.scored) == (23, 47)
    assert score.status is Status.REJECTED
    assert len(score.competences) == 16
    assert all(c.level == 0 and c.pix == 0 for c in score.competences)
    assert score.pix_score == 0


def _two_of_three_at_rate(correct_total: int, total: int) -> TestSheet:
    """1.1 gets 2/3; the other competences are filled to reach correct_total / total."""
    outcomes = {"1.1": [C, C, W]}
    remaining_correct, remaining = correct_total - 2, total - 3
    codes = iter(["1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3", "3.4", "4.1"])
    while remaining:
        chunk = [C] * min(3, remaining_correct)
        chunk += [W] * (min(3, remaining) - len(chunk))
        remaining_correct -= chunk.count(C)
        remaining -= len(chunk)
        outcomes[next(codes)] = chunk
    return sheet(outcomes)


def test_two_correct_out_of_three_with_a_global_rate_of_79_percent_is_one_level_below():
    score = certification_score(_two_of_three_at_rate(26, 33))  # 78.8 %
    assert Fraction(79, 100) > score.global_rate > Fraction(78, 100)
    competence = next(c for c in score.competences if c.competence == "1.1")
    assert (competence.level, competence.pix) == (2, 27 - 8)


def test_two_correct_out_of_three_with_a_global_rate_of_80_percent_keeps_the_profile_level():
    score = certification_score(_two_of_three_at_rate(24, 30))  # exactly 80 %
    assert score.global_rate == Fraction(4, 5)
    competence = next(c for c in score.competences if c.competence == "1.1")
    assert (competence.level, competence.pix) == (3, 27)


def test_fewer_than_two_correct_leaves_the_competence_uncertified():
    score = certification_score(sheet({"1.1": [C, W, W], "1.2": [C, C, C], "1.3": [C, C, C]}))
    assert score.status is Status.VALIDATED
    assert score.level_of("1.1") == 0
    assert score.pix_score == 2 * 27


def test_untested_competences_have_no_level_and_give_no_pix():
    profile = {"1.1": ProfileLevel(4, 35), "5.2": ProfileLevel(2, 17)}
    score = certification_score(sheet({"1.1": [C, C, C]}, profile=profile))
    assert score.level_of("1.1") == 4
    assert score.level_of("5.2") is None
    assert score.pix_score == 35


def test_levels_never_exceed_the_profile_level_at_the_start_of_the_test():
    profile = {"1.1": ProfileLevel(1, 12), "2.2": ProfileLevel(5, 44)}
    score = certification_score(sheet({"1.1": [C, C, C], "2.2": [C, C, C]}, profile=profile))
    assert (score.level_of("1.1"), score.level_of("2.2")) == (1, 5)
    assert score.pix_score == 12 + 44


def test_a_neutralised_question_is_left_out_of_the_rate_and_of_the_competence():
    # 1.1: 2 correct + 1 neutralised is all that was scored: the profile level, not one below.
    score = certification_score(sheet({"1.1": [C, C, N], "1.2": [C, W, W], "1.3": [C, C, W]}))
    assert (score.correct, score.scored) == (5, 8)
    assert score.level_of("1.1") == 3
    assert score.level_of("1.2") == 0
    assert score.level_of("1.3") == 2  # 2/3 with a wrong answer, rate 62.5 %


def test_one_correct_and_two_neutralised_validates_the_competence_at_a_high_rate():
    score = certification_score(sheet({"1.1": [C, N, N], "1.2": [C, C, C]}))
    assert score.level_of("1.1") == 3
    assert score.global_rate == 1


def test_a_level_1_competence_downgraded_gives_no_level_and_no_pix():
    profile = {"1.1": ProfileLevel(1, 13), "1.2": ProfileLevel(3, 24), "1.3": ProfileLevel(3, 24)}
    score = certification_score(
        sheet({"1.1": [C, C, W], "1.2": [C, C, W], "1.3": [C, W, W]}, profile=profile)
    )
    assert score.level_of("1.1") == 0
    assert score.pix_score == 24 - 8


def test_every_question_neutralised_cancels_the_certification():
    score = certification_score(sheet({"1.1": [N, N, N]}))
    assert score.status is Status.CANCELLED
    assert score.global_rate is None and score.pix_score == 0


def test_unanswered_questions_count_as_wrong_when_the_candidate_gave_up():
    answers = {"1.1": [C, C, C], "1.2": [C, U, U], "1.3": [U, U, U]}
    score = certification_score(sheet(answers, abort_reason=AbortReason.CANDIDATE))
    assert (score.correct, score.scored) == (4, 9)
    assert score.status is Status.REJECTED


def test_unanswered_questions_are_neutralised_after_a_technical_problem():
    answers = {"1.1": [C, C, C], "1.2": [C, U, U], "1.3": [U, U, U]}
    score = certification_score(sheet(answers, abort_reason=AbortReason.TECHNICAL))
    assert (score.correct, score.scored) == (4, 4)
    assert score.status is Status.VALIDATED
    # 1.2: 1 correct, 2 neutralised at 100 %: validated (national table).
    assert (score.level_of("1.1"), score.level_of("1.2"), score.level_of("1.3")) == (3, 3, 0)


def test_the_problems_of_an_unscorable_sheet_are_named():
    bad = TestSheet(
        answers=(
            Answer("1.1", C),
            Answer("9.9", C),
            Answer("2.1", C),
            *[Answer("1.2", C)] * 4,
        ),
        profile={"1.1": ProfileLevel(9, 72), "1.2": ProfileLevel(2, 30), "2.1": ProfileLevel(0, 0)},
    )
    problems = sheet_problems(bad, known_competences=["1.1", "1.2", "2.1"], max_level=8)
    assert "niveau 9 hors limites pour 1.1 (0 à 8)" in problems
    assert "30 pix incohérent avec le niveau 2 pour 1.2" in problems
    assert "question sur une compétence inconnue « 9.9 »" in problems
    assert "question sur 2.1, compétence non positionnée dans le profil" in problems
    assert "4 questions sur 1.2 (3 au plus)" in problems
    good = sheet({"1.1": [C, C, C]})
    assert sheet_problems(good, known_competences=["1.1"], max_level=8) == []


# --- The national table of domain §7, row by row, at each rate band ---------------------------

VALIDATE, DOWNGRADE, INVALIDATE = (3, 27), (2, 19), (0, 0)  # profile level 3, 27 pix
# (asked, correct, neutralised) → (≥ 80 %, 70–80 %, < 70 %)
TABLE = {
    (3, 3, 0): (VALIDATE, VALIDATE, VALIDATE),
    (3, 2, 0): (VALIDATE, DOWNGRADE, DOWNGRADE),
    (3, 2, 1): (VALIDATE, VALIDATE, VALIDATE),
    (3, 1, 0): (INVALIDATE, INVALIDATE, INVALIDATE),
    (3, 1, 1): (VALIDATE, DOWNGRADE, INVALIDATE),
    (3, 1, 2): (VALIDATE, VALIDATE, DOWNGRADE),
    (3, 0, 0): (INVALIDATE, INVALIDATE, INVALIDATE),
    (3, 0, 1): (INVALIDATE, INVALIDATE, INVALIDATE),
    (3, 0, 2): (INVALIDATE, INVALIDATE, INVALIDATE),
    (3, 0, 3): (INVALIDATE, INVALIDATE, INVALIDATE),
    (2, 2, 0): (VALIDATE, VALIDATE, VALIDATE),
    (2, 1, 0): (VALIDATE, DOWNGRADE, INVALIDATE),
    (2, 1, 1): (VALIDATE, VALIDATE, DOWNGRADE),
    (2, 0, 0): (INVALIDATE, INVALIDATE, INVALIDATE),
    (2, 0, 1): (INVALIDATE, INVALIDATE, INVALIDATE),
    (2, 0, 2): (INVALIDATE, INVALIDATE, INVALIDATE),
    (1, 1, 0): (VALIDATE, VALIDATE, DOWNGRADE),
    (1, 0, 0): (INVALIDATE, INVALIDATE, INVALIDATE),
    (1, 0, 1): (INVALIDATE, INVALIDATE, INVALIDATE),
}
# A global rate inside each band, and the edges: exactly 80 % is the top band, exactly 70 % the
# middle one, exactly 50 % the bottom one (still validated).
RATES = {
    "90 %": (Fraction(9, 10), 0),
    "80 % pile": (Fraction(8, 10), 0),
    "75 %": (Fraction(3, 4), 1),
    "70 % pile": (Fraction(7, 10), 1),
    "60 %": (Fraction(6, 10), 2),
    "50 % pile": (Fraction(1, 2), 2),
}
FILLER_CODES = ALL_CODES[1:]


def _row_at_rate(asked: int, correct: int, neutralized: int, rate: Fraction) -> TestSheet:
    """1.1 gets the row's answers; the other competences (3 questions each, all answered)
    bring the global rate to exactly `rate`."""
    row = [C] * correct + [N] * neutralized + [W] * (asked - correct - neutralized)
    row_scored = asked - neutralized
    for total in range(row_scored + 1, row_scored + 3 * len(FILLER_CODES) + 1):
        total_correct = rate * total
        if total_correct.denominator != 1:
            continue
        filler_correct = int(total_correct) - correct
        filler_wrong = total - int(total_correct) - (row_scored - correct)
        if filler_correct >= 0 and filler_wrong >= 0:
            break
    filler = [C] * filler_correct + [W] * filler_wrong
    outcomes = {"1.1": row}
    for index, code in enumerate(FILLER_CODES):
        if filler[3 * index : 3 * index + 3]:
            outcomes[code] = filler[3 * index : 3 * index + 3]
    return sheet(outcomes)


@pytest.mark.parametrize("rate_name", RATES)
@pytest.mark.parametrize("row", TABLE, ids=lambda row: "-".join(map(str, row)))
def test_each_row_of_the_national_table_at_each_rate_band(row, rate_name):
    rate, band = RATES[rate_name]
    score = certification_score(_row_at_rate(*row, rate))
    assert score.global_rate == rate
    assert score.status is Status.VALIDATED
    competence = next(c for c in score.competences if c.competence == "1.1")
    assert (competence.level, competence.pix) == TABLE[row][band]


def test_two_asked_one_correct_at_85_percent_is_validated():
    # The example: the portal used to give 0.
    score = certification_score(_row_at_rate(2, 1, 0, Fraction(85, 100)))
    assert score.global_rate == Fraction(85, 100)
    assert score.level_of("1.1") == 3


def test_an_automatic_rejection_carries_the_standard_comment_and_a_validation_none_does_not():
    rejected = certification_score(sheet({"1.1": [C, W, W], "1.2": [W, W, W]}))
    assert rejected.status is Status.REJECTED
    assert rejected.comment == AUTOMATIC_REJECTION_COMMENT
    assert AUTOMATIC_REJECTION_COMMENT.startswith("Le candidat a répondu faux à plus de 50 %")
    assert certification_score(sheet({"1.1": [C, C, C]})).comment == ""
