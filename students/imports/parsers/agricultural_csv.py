"""The CSV agricultural schools export instead of SIECLE (domain.md §3), read into the same rows.

Headers may come in any order and are matched on their label, whatever the case, accents,
asterisks or the "(jj/mm/aaaa)" hint. Every problem is reported with its line and column.
What real FREGATA exports hold is accepted as it comes: "Masculin"/"Féminin", two-digit years,
a trailing ";", spaces before a line or inside a class name, blank lines, Mac Roman text.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass

from core.names import name_fold

from .results import (
    NOTHING_TO_IMPORT,
    ErrorList,
    ImportRejected,
    ParseResult,
    SkippedStudent,
    StudentRow,
    values_too_long,
)
from .values import (
    FRANCE,
    garbled_problem,
    garbled_text_fix,
    is_class,
    parse_birthdate,
    student_label,
)


@dataclass(frozen=True, slots=True)
class Column:
    field: str
    label: str
    required: bool = False  # "*" in the model file; "**" (the birthplace) is checked apart


COLUMNS = (
    Column("ine", "Identifiant unique", required=True),
    Column("first_name", "Premier prénom", required=True),
    Column("first_name2", "Deuxième prénom"),
    Column("first_name3", "Troisième prénom"),
    Column("last_name", "Nom de famille", required=True),
    Column("preferred_last_name", "Nom d'usage"),
    Column("sex", "Code sexe", required=True),
    Column("birthdate", "Date de naissance (jj/mm/aaaa)", required=True),
    Column("birth_city_code", "Code commune naissance"),
    Column("birth_city", "Libellé commune naissance"),
    Column("birth_department_code", "Code département naissance", required=True),
    Column("birth_country_code", "Code pays naissance", required=True),
    Column("status", "Statut", required=True),
    Column("mef_code", "Code MEF", required=True),
    Column("division", "Division", required=True),
)
_COLUMNS = {column.field: column for column in COLUMNS}
_WIDTH_CHECKED = [column.field for column in COLUMNS if column.field != "birthdate"]
_NAME_FIELDS = ("last_name", "preferred_last_name", "first_name", "first_name2", "first_name3")
_STATUSES = {"ST", "AP"}
_INSEE_COUNTRY_CODE = re.compile(r"[0-9]{5}")
# 5 digits, or Corsica's 2A / 2B and 3 digits.
_INSEE_COMMUNE_CODE = re.compile(r"[0-9]{5}|2[AB][0-9]{3}")
_DEPARTMENT_CODE = re.compile(r"[0-9A-Z]{2,3}")
_SHORT_YEAR_DATE = re.compile(r"([0-9]{2}/[0-9]{2}/)([0-9]{2})")
# Tried in this order: the first in which the header reads as the model file's wins.
_ENCODINGS = (("utf-8-sig", "UTF-8"), ("cp1252", "Windows-1252"), ("mac_roman", "Mac Roman"))
_LINE_BREAK = re.compile(rb"\r\n|\r|\n")


def parse_agricultural_csv(data: bytes, *, expected_uai: str) -> ParseResult:
    """Raises ImportRejected listing every problem of the file."""
    text = _decode(data)
    if not text.strip():
        raise ImportRejected("Le fichier CSV est vide.")
    # strict: an unclosed quote must not swallow the rest of the file into one cell
    reader = csv.reader(
        io.StringIO(text, newline=""),
        delimiter=_delimiter(text),
        strict=True,
        skipinitialspace=True,
    )
    result = ParseResult(uai=expected_uai, school_year=None)
    errors = ErrorList()
    first_line_by_ine: dict[str, int] = {}
    try:
        header = next(cells for cells in reader if _has_content(cells))
        positions = _column_positions(header, reader.line_num)
        for cells in reader:
            if _has_content(cells):
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


def _has_content(cells: list[str]) -> bool:
    """Blank lines, and lines of empty cells (";;;"), are no rows."""
    return any(cell.strip() for cell in cells)


def _decode(data: bytes) -> str:
    """UTF-8, else Windows-1252, else Mac Roman: the first that reads the header as the model
    file's (its labels have accents: "Premier prénom", "Libellé commune naissance"…)."""
    header = _header_line(data)
    readable = []  # the codecs the header decodes in
    unreadable_line = None  # the first line the body fails to decode at, and in what
    for codec, name in _ENCODINGS:
        try:
            labels = header.decode(codec)
        except UnicodeDecodeError:
            continue
        readable.append(codec)
        if _missing_labels(_split_header(labels)):
            continue
        try:
            return data.decode(codec)
        except UnicodeDecodeError as error:
            if unreadable_line is None:
                unreadable_line = (len(_LINE_BREAK.findall(data, 0, error.start)) + 1, name)
    if unreadable_line:
        line, name = unreadable_line
        raise ImportRejected(
            f"Ligne {line} : caractères illisibles en {name}, l'encodage de la ligne d'en-tête : "
            "enregistrez le fichier au format « CSV UTF-8 »."
        )
    # No encoding gives the expected header: the header check names what is missing.
    return data.decode(readable[0] if readable else "mac_roman", errors="replace")


def _header_line(data: bytes) -> bytes:
    for line in _LINE_BREAK.split(data):
        if line.strip(b" \t;,\xef\xbb\xbf"):
            return line
    return b""


def _split_header(line: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=_delimiter(line)), [])
    except csv.Error:
        return []  # the reading of the file reports the line


def _delimiter(text: str) -> str:
    header = text.lstrip("\ufeff \t\r\n;,").split("\n", 1)[0]
    return "," if header.count(",") > header.count(";") else ";"


def _normalized_label(label: str) -> str:
    """Make "Date de naissance (jj/mm/aaaa)*" and "date de NAISSANCE" the same column."""
    label = re.sub(r"\(.*?\)", "", label.replace("*", "").replace("\u2019", "'"))
    return " ".join(name_fold(label).split())


_COLUMNS_BY_LABEL = {_normalized_label(column.label): column for column in COLUMNS}


def _positions(header: list[str]) -> dict[Column, int]:
    positions: dict[Column, int] = {}
    for index, label in enumerate(header):
        column = _COLUMNS_BY_LABEL.get(_normalized_label(label))
        if column is not None:
            positions.setdefault(column, index)
    return positions


def _missing_labels(header: list[str]) -> list[str]:
    positions = _positions(header)
    return [column.label for column in COLUMNS if column.required and column not in positions]


def _column_positions(header: list[str], line: int) -> dict[Column, int]:
    missing = _missing_labels(header)
    if missing:
        raise ImportRejected(
            [f"Ligne {line} : la colonne obligatoire « {label} » est absente." for label in missing]
        )
    return _positions(header)


def _read_row(
    values: dict[str, str],
    line: int,
    result: ParseResult,
    errors: ErrorList,
    first_line_by_ine: dict[str, int],
) -> None:
    _clean(values)
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
            f"Ligne {line}, colonne « {_COLUMNS[field].label} » : « {value} » dépasse "
            f"{width} caractères."
        )
    if not problems and not too_long:
        result.students.append(_student_row(values, line))


def _clean(values: dict[str, str]) -> None:
    values["ine"] = values["ine"].upper()
    # "Division     1" and "Division 1" are one class.
    values["division"] = " ".join(values["division"].split())
    values["sex"] = _sex(values["sex"]) or values["sex"]  # "Féminin" -> "F"
    for field in ("birth_city_code", "birth_department_code"):
        if field in values:
            values[field] = values[field].upper()


def _row_problems(
    values: dict[str, str], first_line_by_ine: dict[str, int]
) -> list[tuple[Column, str]]:
    problems = []
    for column in COLUMNS:
        value = values.get(column.field, "")
        if not value:
            if column.required:
                problems.append((column, "valeur manquante"))
        else:
            problem = _value_problem(column.field, value, first_line_by_ine)
            if problem:
                problems.append((column, problem))
    return problems + _birthplace_problems(values)


def _birthplace_problems(values: dict[str, str]) -> list[tuple[Column, str]]:
    """Born in France: the commune's INSEE code, its name optional. Abroad: the city, no code."""
    country = values["birth_country_code"]
    if not _INSEE_COUNTRY_CODE.fullmatch(country):
        return []  # already reported: where the student was born is unknown
    if country != FRANCE:
        values["birth_city_code"] = ""  # commune codes only exist in France
        if not values.get("birth_city"):
            problem = "valeur obligatoire pour un élève né à l'étranger (la ville de naissance)"
            return [(_COLUMNS["birth_city"], problem)]
        return []
    code = values.get("birth_city_code", "")
    if not code:
        problem = "valeur obligatoire pour un élève né en France (99100)"
        return [(_COLUMNS["birth_city_code"], problem)]
    if not _INSEE_COMMUNE_CODE.fullmatch(code):
        problem = (
            f"« {code} » n'est pas un code commune INSEE (5 chiffres, ou 2A ou 2B suivi de "
            "3 chiffres pour la Corse)"
        )
        return [(_COLUMNS["birth_city_code"], problem)]
    return []


def _value_problem(field: str, value: str, first_line_by_ine: dict[str, int]) -> str | None:
    if field == "ine" and value in first_line_by_ine:
        return f"l'INE {value} figure déjà à la ligne {first_line_by_ine[value]}"
    if field == "sex" and _sex(value) is None:
        return f"« {value} » n'est pas un code sexe valide (Masculin, Féminin, M ou F attendu)"
    if field == "birthdate" and _birthdate(value) is None:
        return f"« {value} » n'est pas une date valide au format JJ/MM/AAAA (ou JJ/MM/AA)"
    if field == "birth_department_code" and not _DEPARTMENT_CODE.fullmatch(value):
        return (
            f"« {value} » n'est pas un code département (2 ou 3 caractères : 29, 2A, 974, "
            "99 pour l'étranger)"
        )
    if field == "birth_country_code" and not _INSEE_COUNTRY_CODE.fullmatch(value):
        return f"« {value} » n'est pas un code pays INSEE à 5 chiffres (99100 pour la France)"
    if field == "status" and value.upper() not in _STATUSES:
        return f"« {value} » n'est pas un statut valide (ST ou AP attendu)"
    if field in _NAME_FIELDS and (fix := garbled_text_fix(value)) is not None:
        return garbled_problem(value, fix)
    return None


def _sex(value: str) -> str | None:
    """M or F, from "M", "f", "Masculin", "FÉMININ"…: the first letter."""
    word = _normalized_label(value)
    return word[0].upper() if word in ("m", "f", "masculin", "feminin") else None


def _birthdate(text: str) -> datetime.date | None:
    """JJ/MM/AAAA, or JJ/MM/AA where "08" is 2008 and "99" 1999 (no one is born in the future)."""
    short = _SHORT_YEAR_DATE.fullmatch(text)
    if short is None:
        return parse_birthdate(text)
    year = int(short[2])
    this_year = datetime.datetime.now(tz=datetime.UTC).year
    century = 2000 if year <= this_year % 100 else 1900
    return parse_birthdate(f"{short[1]}{century + year}")


def _student_row(values: dict[str, str], line: int) -> StudentRow:
    birthdate = _birthdate(values["birthdate"])
    assert birthdate is not None  # only a row without problems: _problem refuses such a date
    return StudentRow(
        ine=values["ine"],
        last_name=values["last_name"],
        preferred_last_name=values.get("preferred_last_name", ""),
        first_name=values["first_name"],
        first_name2=values.get("first_name2", ""),
        first_name3=values.get("first_name3", ""),
        sex=values["sex"],
        birthdate=birthdate,
        birth_country_code=values["birth_country_code"],
        birth_city_code=values.get("birth_city_code", ""),
        birth_city=values.get("birth_city", ""),
        birth_department_code=values["birth_department_code"],
        mef_code=values["mef_code"],
        status=values["status"].upper(),
        division=values["division"],
        line=line,
    )
