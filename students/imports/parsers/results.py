"""What a parsed student file gives back, whatever its format."""

from __future__ import annotations

import datetime
import operator
from collections.abc import Sequence
from dataclasses import dataclass, field

from core.rejected import Rejected

from . import limits


@dataclass(frozen=True, slots=True)
class StudentRow:
    """One student to import; text is stripped and "" when absent."""

    ine: str  # upper case
    last_name: str
    preferred_last_name: str  # nom d'usage
    first_name: str
    first_name2: str
    first_name3: str
    sex: str  # "M" or "F"
    birthdate: datetime.date
    birth_country_code: str  # 5-digit INSEE code, "99100" for France
    birth_city_code: str  # INSEE code of the commune, "" when born abroad
    birth_city: str
    birth_department_code: str
    mef_code: str
    status: str  # "ST" (student) or "AP" (apprentice)
    division: str  # the class
    line: int  # where the student is in the file, for messages


@dataclass(slots=True)
class SkippedStudent:
    reason: str  # "left", "no_ine" or "no_division"
    label: str


@dataclass(slots=True)
class ParseResult:
    uai: str
    school_year: str | None
    students: list[StudentRow] = field(default_factory=list)
    skipped: list[SkippedStudent] = field(default_factory=list)

    @property
    def divisions(self) -> list[str]:
        return sorted({student.division for student in self.students})


class ImportRejected(Rejected):
    """The whole file is refused; ``errors`` lists every problem found, in French."""


def values_too_long(fields: Sequence[str], values: Sequence[str]) -> list[tuple[str, str, int]]:
    """(field, value, width) of each of `values` (the texts of `fields`, as read) that its
    column cannot hold."""
    widths = [limits.FIELD_MAX_LENGTHS[field] for field in fields]
    if all(map(operator.le, map(len, values), widths)):  # every row of a real file: stay in C
        return []
    return [
        (field, value, width)
        for field, value, width in zip(fields, values, widths, strict=True)
        if len(value) > width
    ]


class ErrorList:
    """Collects every problem of a file, lists the first ones and counts the others."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.hidden = 0

    def add(self, message: str) -> None:
        if len(self.messages) < limits.MAX_REPORTED_ERRORS:
            self.messages.append(message)
        else:
            self.hidden += 1

    def raise_if_any(self) -> None:
        if self.hidden:
            raise ImportRejected([*self.messages, f"… et {self.hidden} autres erreurs."])
        if self.messages:
            raise ImportRejected(self.messages)


NOTHING_TO_IMPORT = "Aucun élève à importer : les élèves doivent avoir un INE et une classe."
