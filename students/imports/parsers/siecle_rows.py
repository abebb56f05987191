"""The SIECLE import rules (domain.md §3): who is kept, who is skipped, what rejects the file."""

from __future__ import annotations

import functools

from .results import (
    NOTHING_TO_IMPORT,
    ErrorList,
    ParseResult,
    SkippedStudent,
    StudentRow,
    values_too_long,
)
from .siecle import SiecleContent
from .values import (
    garbled_problem,
    garbled_text_fix,
    is_class,
    parse_birthdate,
    student_label,
)

_SEXES = {"1": "M", "2": "F"}
# The texts kept as read, with the SIECLE element each comes from (to name it in messages); the
# sex and country codes are checked and converted instead.
_ELEMENTS = {
    "ine": "ID_NATIONAL",
    "last_name": "NOM_DE_FAMILLE",
    "preferred_last_name": "NOM_USAGE",
    "first_name": "PRENOM",
    "first_name2": "PRENOM2",
    "first_name3": "PRENOM3",
    "birth_city_code": "CODE_COMMUNE_INSEE_NAISS",
    "birth_city": "VILLE_NAISS",
    "birth_department_code": "CODE_DEPARTEMENT_NAISS",
    "mef_code": "CODE_MEF",
    "status": "CODE_STATUT",
    "division": "CODE_STRUCTURE",
}
_TEXT_FIELDS = tuple(_ELEMENTS)
_NAME_LABELS = (
    "le nom de famille (NOM_DE_FAMILLE)",
    "le nom d'usage (NOM_USAGE)",
    "le prénom (PRENOM)",
    "le deuxième prénom (PRENOM2)",
    "le troisième prénom (PRENOM3)",
)
_SIECLE_FRANCE = "100"


def siecle_students(content: SiecleContent) -> ParseResult:
    """Join each student to their class and check them all; consumes ``content.eleves``.

    Raises ImportRejected listing every problem of the file.
    """
    result = ParseResult(uai=content.uai or "", school_year=content.school_year)
    errors = ErrorList()
    first_line_by_ine: dict[str, int] = {}
    eleves = content.eleves
    for index, eleve in enumerate(eleves):
        assert eleve is not None  # set to None just below, once read
        eleves[index] = None  # the rows take the tuples' place in memory as we go
        eleve_id, line, ine, last_name, _, first_name, *_, left = eleve
        division = content.divisions.get(eleve_id, "")
        skip_reason = _skip_reason(left, ine, division)
        if skip_reason:
            label = student_label(last_name, first_name, ine, line)
            result.skipped.append(SkippedStudent(reason=skip_reason, label=label))
            continue
        if ine in first_line_by_ine:
            errors.add(
                f"Élève INE {ine} (ligne {line}) : cet INE (ID_NATIONAL) figure déjà à la ligne "
                f"{first_line_by_ine[ine]} ; chaque élève doit avoir un INE unique."
            )
        first_line_by_ine.setdefault(ine, line)
        row = _student_row(eleve, division, errors)
        if row is not None:
            result.students.append(row)
    errors.raise_if_any()
    if not result.students:
        errors.add(NOTHING_TO_IMPORT)
        errors.raise_if_any()
    return result


def _skip_reason(left: str, ine: str, division: str) -> str | None:
    if left:
        return "left"
    if not ine:
        return "no_ine"
    if not is_class(division):
        return "no_division"
    return None


def _student_row(eleve: tuple, division: str, errors: ErrorList) -> StudentRow | None:
    """The row, or None after adding to ``errors`` what is wrong with it."""
    (
        _,
        line,
        ine,
        last_name,
        preferred_last_name,
        first_name,
        first_name2,
        first_name3,
        sex_code,
        birthdate_text,
        country,
        city_code,
        city,
        department,
        mef_code,
        status,
        _,
    ) = eleve
    problems = _problems(last_name, first_name, sex_code, birthdate_text, country, city_code)
    names = (last_name, preferred_last_name, first_name, first_name2, first_name3)
    if not all(map(str.isascii, names)):  # most names: no need to look further
        problems += [
            f"{_NAME_LABELS[index]} {garbled_problem(name, fix)}"
            for index, name in enumerate(names)
            if (fix := garbled_text_fix(name)) is not None
        ]
    texts: tuple[str, ...] = (
        ine,
        last_name,
        preferred_last_name,
        first_name,
        first_name2,
        first_name3,
        city_code,
    )
    texts += (city, department, mef_code, status, division)
    problems += [
        f"{_ELEMENTS[field]} « {value} » dépasse {width} caractères"
        for field, value, width in values_too_long(_TEXT_FIELDS, texts)
    ]
    for problem in problems:
        errors.add(f"Élève INE {ine} (ligne {line}) : {problem}.")
    if problems:
        return None
    birthdate = parse_birthdate(birthdate_text)
    assert birthdate is not None  # _problems refuses a date it cannot read
    return StudentRow(
        ine=ine,
        last_name=last_name,
        preferred_last_name=preferred_last_name,
        first_name=first_name,
        first_name2=first_name2,
        first_name3=first_name3,
        sex=_SEXES[sex_code],
        birthdate=birthdate,
        birth_country_code=_insee_country_code(country),
        birth_city_code=city_code,
        birth_city=city,
        birth_department_code=department,
        mef_code=mef_code,
        status=status,
        division=division,
        line=line,
    )


def _problems(
    last_name: str,
    first_name: str,
    sex_code: str,
    birthdate_text: str,
    country: str,
    city_code: str,
) -> list[str]:
    problems = []
    if not last_name:
        problems.append("le nom de famille (NOM_DE_FAMILLE) est manquant")
    if not first_name:
        problems.append("le prénom (PRENOM) est manquant")
    if not sex_code:
        problems.append("le sexe (CODE_SEXE) est manquant")
    elif sex_code not in _SEXES:
        problems.append(
            f"le sexe (CODE_SEXE) « {sex_code} » n'est pas valide : 1 (masculin) ou 2 (féminin)"
        )
    if not birthdate_text:
        problems.append("la date de naissance (DATE_NAISS) est manquante")
    elif parse_birthdate(birthdate_text) is None:
        problems.append(
            f"la date de naissance (DATE_NAISS) « {birthdate_text} » n'est pas une date valide "
            "au format JJ/MM/AAAA"
        )
    if country == _SIECLE_FRANCE and not city_code:
        problems.append(
            "l'élève est né(e) en France (CODE_PAYS 100) mais le code INSEE de sa commune "
            "de naissance (CODE_COMMUNE_INSEE_NAISS) est manquant"
        )
    return problems


@functools.lru_cache(maxsize=1024)
def _insee_country_code(siecle_code: str) -> str:
    """SIECLE writes the INSEE country code without its "99" prefix: 100 is 99100, France."""
    if siecle_code.isascii() and siecle_code.isdigit() and len(siecle_code) <= 3:
        return "99" + siecle_code.zfill(3)
    return siecle_code
