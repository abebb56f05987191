"""Field rules shared by the SIECLE XML and the agricultural CSV."""

from __future__ import annotations

import datetime
import functools
import re

FRANCE = "99100"
_BIRTHDATE = re.compile(r"([0-9]{2})/([0-9]{2})/([0-9]{4})")


@functools.lru_cache(maxsize=8192)  # a school's students share a few thousand birth dates
def parse_birthdate(text: str) -> datetime.date | None:
    """JJ/MM/AAAA as SIECLE writes it, or None when it is not a real date in that format."""
    match = _BIRTHDATE.fullmatch(text)
    if match is None:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def is_class(division: str) -> bool:
    """SIECLE parks students without a class in a division named "Inactifs"."""
    return bool(division) and division.casefold() != "inactifs"


def student_label(last_name: str, first_name: str, ine: str, line: int) -> str:
    """How the import report names a student it did not import."""
    return f"{last_name} {first_name}".strip() or ine or f"ligne {line}"
