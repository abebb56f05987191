"""The results CSV a superuser uploads when the test platform cannot call the API.

One line per question asked, `;`-separated, UTF-8 (BOM or not) else Windows-1252:
`Numéro de candidat;Compétence;Niveau du profil;Pix du profil;Épreuve;Résultat`
(Résultat: Correcte, Fausse, Neutralisée or Sans réponse). Every problem is reported with its line
number; a file with any problem writes nothing.
"""

from dataclasses import dataclass, field

from certification.referential import COMPETENCE_CODES
from core.csv_reading import CsvUnreadable, csv_errors_capped, csv_integer, csv_records
from core.rejected import Rejected

from .scoring import Outcome, ProfileLevel
from .services import AnswerInput, CandidateResultInput, ResultsRejected

HEADER = [
    "Numéro de candidat",
    "Compétence",
    "Niveau du profil",
    "Pix du profil",
    "Épreuve",
    "Résultat",
]
OUTCOMES = {
    "correcte": Outcome.CORRECT,
    "correct": Outcome.CORRECT,
    "fausse": Outcome.WRONG,
    "wrong": Outcome.WRONG,
    "neutralisée": Outcome.NEUTRALIZED,
    "neutralized": Outcome.NEUTRALIZED,
    "sans réponse": Outcome.UNANSWERED,
    "unanswered": Outcome.UNANSWERED,
}
MAX_CSV_SIZE = 5 * 1024 * 1024
# The width of CertificationAnswer.challenge.
CHALLENGE_MAX_LENGTH = 64


class ResultsCsvInvalid(Rejected):
    """The results file is refused; nothing was recorded."""


@dataclass
class _Candidate:
    first_line: int
    profile: dict[str, tuple[ProfileLevel, int]] = field(default_factory=dict)
    answers: list[AnswerInput] = field(default_factory=list)


def _integer(value: str, line: int, column: str, errors: list[str]) -> int | None:
    number = csv_integer(value)
    if number is None:
        errors.append(f"Ligne {line} : « {value} » n'est pas un nombre ({column}).")
    return number


def results_csv_parse(data: bytes) -> tuple[list[CandidateResultInput], dict[int, int]]:
    """The candidates' results, and the first line of each candidate (to name it in errors)."""
    if len(data) > MAX_CSV_SIZE:
        raise ResultsCsvInvalid(["Le fichier dépasse 5 Mo."])
    try:
        return _parse(csv_records(data))
    except CsvUnreadable as unreadable:
        raise ResultsCsvInvalid([unreadable.message]) from unreadable


def _parse(records) -> tuple[list[CandidateResultInput], dict[int, int]]:
    _line, header = next(records, (1, []))
    if [cell.strip() for cell in header] != HEADER:
        raise ResultsCsvInvalid(
            ["Ligne 1 : en-têtes attendus, dans cet ordre : " + ";".join(HEADER) + "."]
        )
    errors: list[str] = []
    candidates: dict[int, _Candidate] = {}
    for line, row in records:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(HEADER):
            errors.append(f"Ligne {line} : {len(row)} colonnes au lieu de {len(HEADER)}.")
            continue
        number, code, level, pix, challenge, outcome = (cell.strip() for cell in row)
        candidate_id = _integer(number, line, "Numéro de candidat", errors)
        level_value = _integer(level, line, "Niveau du profil", errors)
        pix_value = _integer(pix, line, "Pix du profil", errors)
        if code not in COMPETENCE_CODES:
            errors.append(f"Ligne {line} : compétence « {code} » inconnue.")
        if len(challenge) > CHALLENGE_MAX_LENGTH:
            errors.append(f"Ligne {line} : l'épreuve dépasse {CHALLENGE_MAX_LENGTH} caractères.")
        if outcome.lower() not in OUTCOMES:
            errors.append(
                f"Ligne {line} : résultat « {outcome} » inconnu "
                "(Correcte, Fausse, Neutralisée ou Sans réponse)."
            )
        if candidate_id is None or level_value is None or pix_value is None:
            continue
        if code not in COMPETENCE_CODES:
            continue
        if len(challenge) > CHALLENGE_MAX_LENGTH:
            continue
        if outcome.lower() not in OUTCOMES:
            continue
        candidate = candidates.setdefault(candidate_id, _Candidate(first_line=line))
        profile = ProfileLevel(level=level_value, pix=pix_value)
        known, known_line = candidate.profile.setdefault(code, (profile, line))
        if known != profile:
            errors.append(
                f"Ligne {line} : profil de {code} différent de la ligne {known_line} "
                f"pour le candidat n° {candidate_id}."
            )
        candidate.answers.append(AnswerInput(code, OUTCOMES[outcome.lower()], challenge))
    if not candidates and not errors:
        errors.append("Le fichier ne contient aucune ligne de résultat.")
    if errors:
        raise ResultsCsvInvalid(csv_errors_capped(errors))
    entries = [
        CandidateResultInput(
            candidate_id=candidate_id,
            profile={code: profile for code, (profile, _line) in candidate.profile.items()},
            answers=tuple(candidate.answers),
        )
        for candidate_id, candidate in candidates.items()
    ]
    return entries, {cid: c.first_line for cid, c in candidates.items()}


def rejection_messages(rejected: ResultsRejected, first_lines: dict[int, int]) -> list[str]:
    """The service's problems, with the line where each candidate starts in the file."""
    messages = []
    for problem in rejected.problems:
        line = first_lines.get(problem.candidate_id) if problem.candidate_id is not None else None
        messages.append(f"Ligne {line} : {problem.message}" if line else problem.message)
    return messages
