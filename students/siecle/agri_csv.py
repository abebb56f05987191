"""The CSV agricultural schools export instead of SIECLE (domain.md §3), read into the same rows.

Headers may come in any order and are matched on their label, whatever the case, accents,
asterisks or the "(jj/mm/aaaa)" hint. Every problem is reported with its line and column.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass

from .results import (
    NOTHING_TO_IMPORT,
    ErrorList,
    ImportRejected,
    ParseResult,
    SkippedStudent,
    StudentRow,
    values_too_long,
)
from .values import FRANCE, is_class, parse_birthdate, student_label


@dataclass(frozen=True, slots=True)
class Column:
    field: str
    label: str
    required: bool = False  # "*" in the model file
    required_when_born_in_france: bool = False  # "**"


COLUMNS = (
    Column("ine", "Identifiant unique", required=True),
    Column("first_name", "Premier prénom", required=True),
    Column("first_name2", "Deuxième prénom"),
    Column("first_name3", "Troisième prénom"),
    Column("last_name", "Nom de famille", required=True),
    Column("preferred_last_name", "Nom d'usage"),
    Column("sex", "Code sexe", required=True),
    Column("birthdate", "Date de naissance (jj/mm/aaaa)", required=True),
    Column("birth_city_code", "Code commune naissance", required_when_born_in_france=True),
    Column("birth_city", "Libellé commune naissance", required_when_born_in_france=True),
    Column("birth_department_code", "Code département naissance", required=True),
    Column("birth_country_code", "Code pays naissance", required=True),
    Column("status", "Statut", required=True),
    Column("mef_code", "Code MEF", required=True),
    Column("division", "Division", required=True),
)
_LABELS = {column.field: column.label for column in COLUMNS}
_WIDTH_CHECKED = [column.field for column in COLUMNS if column.field != "birthdate"]
_SEXES = {"M", "F"}
_STATUSES = {"ST", "AP"}
_INSEE_COUNTRY_CODE = re.compile(r"[0-9]{5}")


def parse_agricultural_csv(data: bytes, *, expected_uai: str) -> ParseResult:
    """Raises ImportRejected listing every problem of the file."""
    text = _decode(data)
    if not text.strip():
        raise ImportRejected("Le fichier CSV est vide.")
    # strict: an unclosed quote must not swallow the rest of the file into one cell
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    result = ParseResult(uai=expected_uai, school_year=None)
    errors = ErrorList()
    first_line_by_ine: dict[str, int] = {}
    try:
        positions = _column_positions(next(reader))
        for cells in reader:
            if any(cell.strip() for cell in cells):
                values = {
                    column.field: cells[index].strip() if index < len(cells) else ""
                    for column, index in positions.items()
                }
                _read_row(values, reader.line_num, result, errors, first_line_by_ine)
    except csv.Error:
        errors.add(
            f"Ligne {reader.line_num} : ligne illisible (guillemet non fermé ou cellule démesurée)."
        )
    if not errors.messages and not result.students:
        errors.add(NOTHING_TO_IMPORT)
    errors.raise_if_any()
    return result


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise ImportRejected(
            "Le fichier CSV n'est ni en UTF-8 ni en Windows-1252 : enregistrez-le au format "
            "« CSV UTF-8 »."
        ) from None


def _delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    return "," if header.count(",") > header.count(";") else ";"


def _normalized_label(label: str) -> str:
    """Make "Date de naissance (jj/mm/aaaa)*" and "date de NAISSANCE" the same column."""
    label = re.sub(r"\(.*?\)", "", label.replace("*", "").replace("\u2019", "'"))
    decomposed = unicodedata.normalize("NFKD", label)
    without_accents = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(without_accents.casefold().split())


_COLUMNS_BY_LABEL = {_normalized_label(column.label): column for column in COLUMNS}


def _column_positions(header: list[str]) -> dict[Column, int]:
    positions: dict[Column, int] = {}
    for index, label in enumerate(header):
        column = _COLUMNS_BY_LABEL.get(_normalized_label(label))
        if column is not None:
            positions.setdefault(column, index)
    missing = [column.label for column in COLUMNS if column.required and column not in positions]
    if missing:
        raise ImportRejected(
            [f"Ligne 1 : la colonne obligatoire « {label} » est absente." for label in missing]
        )
    return positions


def _read_row(
    values: dict[str, str],
    line: int,
    result: ParseResult,
    errors: ErrorList,
    first_line_by_ine: dict[str, int],
) -> None:
    values["ine"] = values["ine"].upper()
    if values["division"] and not is_class(values["division"]):
        label = student_label(values["last_name"], values["first_name"], values["ine"], line)
        result.skipped.append(SkippedStudent(reason="no_division", label=label))
        return
    problems = _row_problems(values, first_line_by_ine)
    first_line_by_ine.setdefault(values["ine"], line)
    for column, problem in problems:
        errors.add(f"Ligne {line}, colonne « {column.label} » : {problem}.")
    # The widths of the values not already refused, whatever else is wrong on the line.
    refused = {column.field for column, _problem in problems}
    fields = [field for field in _WIDTH_CHECKED if field in values and field not in refused]
    too_long = values_too_long(fields, [values[field] for field in fields])
    for field, value, width in too_long:
        errors.add(
            f"Ligne {line}, colonne « {_LABELS[field]} » : « {value} » dépasse {width} caractères."
        )
    if not problems and not too_long:
        result.students.append(_student_row(values, line))


def _row_problems(
    values: dict[str, str], first_line_by_ine: dict[str, int]
) -> list[tuple[Column, str]]:
    born_in_france = values["birth_country_code"] == FRANCE
    problems = []
    for column in COLUMNS:
        value = values.get(column.field, "")
        if not value:
            if column.required:
                problems.append((column, "valeur manquante"))
            elif column.required_when_born_in_france and born_in_france:
                problems.append((column, "valeur obligatoire pour un élève né en France (99100)"))
        else:
            problem = _value_problem(column.field, value, first_line_by_ine)
            if problem:
                problems.append((column, problem))
    return problems


def _value_problem(field: str, value: str, first_line_by_ine: dict[str, int]) -> str | None:
    if field == "ine" and value in first_line_by_ine:
        return f"l'INE {value} figure déjà à la ligne {first_line_by_ine[value]}"
    if field == "sex" and value.upper() not in _SEXES:
        return f"« {value} » n'est pas un code sexe valide (M ou F attendu)"
    if field == "birthdate" and parse_birthdate(value) is None:
        return f"« {value} » n'est pas une date valide au format JJ/MM/AAAA"
    if field == "birth_country_code" and not _INSEE_COUNTRY_CODE.fullmatch(value):
        return f"« {value} » n'est pas un code pays INSEE à 5 chiffres (99100 pour la France)"
    if field == "status" and value.upper() not in _STATUSES:
        return f"« {value} » n'est pas un statut valide (ST ou AP attendu)"
    return None


def _student_row(values: dict[str, str], line: int) -> StudentRow:
    return StudentRow(
        ine=values["ine"],
        last_name=values["last_name"],
        preferred_last_name=values.get("preferred_last_name", ""),
        first_name=values["first_name"],
        first_name2=values.get("first_name2", ""),
        first_name3=values.get("first_name3", ""),
        sex=values["sex"].upper(),
        birthdate=parse_birthdate(values["birthdate"]),
        birth_country_code=values["birth_country_code"],
        birth_city_code=values.get("birth_city_code", ""),
        birth_city=values.get("birth_city", ""),
        birth_department_code=values["birth_department_code"],
        mef_code=values["mef_code"],
        status=values["status"].upper(),
        division=values["division"],
        line=line,
    )
