"""Field rules shared by the SIECLE XML and the agricultural CSV."""

from __future__ import annotations

import datetime
import functools
import re

FRANCE = "99100"
# The single-byte encodings a UTF-8 file gets wrongly re-read in (Excel, old editors).
_SINGLE_BYTE_ENCODINGS = ("cp1252", "iso8859-15", "latin-1")


def _shown_as(first: int, last: int) -> str:
    """The characters bytes ``first``..``last`` show as in those encodings."""
    chars: set[str] = set()
    for encoding in _SINGLE_BYTE_ENCODINGS:
        chars.update(bytes([byte]).decode(encoding, "ignore") for byte in range(first, last + 1))
    return "".join(re.escape(char) for char in sorted(chars) if char)


# A UTF-8 lead byte (0xC2-0xF4) and its continuation bytes (0x80-0xBF) seen as such characters:
# "Ã¯" is "ï" garbled. Real letters (Œ, Š, Ÿ…) only match when right after one of "Â"…"ô".
_GARBLED = re.compile(f"[{_shown_as(0xC2, 0xF4)}][{_shown_as(0x80, 0xBF)}]{{1,3}}")
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


@functools.lru_cache(maxsize=8192)
def garbled_text_fix(text: str) -> str | None:
    """The text that UTF-8 bytes re-read in a single-byte encoding were ("LeÃ¯la" -> "Leïla"),
    "" when garbled beyond repair, or None when ``text`` reads as real letters."""
    if text.isascii():
        return None
    pieces = [match.group() for match in _GARBLED.finditer(text)]
    if not any(_is_utf8_seen_as_single_bytes(piece) for piece in pieces):
        return None
    for encoding in _SINGLE_BYTE_ENCODINGS:
        try:
            return text.encode(encoding).decode("utf-8")
        except UnicodeError:
            continue
    return ""


def _is_utf8_seen_as_single_bytes(piece: str) -> bool:
    for encoding in _SINGLE_BYTE_ENCODINGS:
        try:
            raw = piece.encode(encoding)
        except UnicodeEncodeError:
            continue
        # The lead byte says how many continuation bytes follow (2 to 4 bytes in all).
        length = 2 if raw[0] < 0xE0 else 3 if raw[0] < 0xF0 else 4
        try:
            char = raw[:length].decode("utf-8")
        except UnicodeDecodeError:
            continue
        # What French names garble into: accented Latin letters (é, ï, Œ…) or punctuation (’).
        if "\u00a0" <= char <= "\u017f" or "\u2000" <= char <= "\u20ac":
            return True
    return False


def garbled_problem(text: str, fix: str) -> str:
    """Why a name ``garbled_text_fix`` found garbled is refused (after the field's name)."""
    was = f" (sans doute « {fix} »)" if fix else ""
    return (
        f"« {text} » est illisible{was} : le fichier a été enregistré dans un mauvais encodage "
        "après son export ; exportez-le à nouveau sans l'ouvrir ni l'enregistrer dans un autre "
        "logiciel"
    )
