"""The one way the portal reads an uploaded CSV (competence profiles, jury results).

A malformed file is refused with a French message naming its line, never a crash: NUL bytes
(a binary file), line endings made of a lone CR (old Mac exports, which the csv module cannot
split), unbalanced quotes, oversized cells. Error lists are capped, with the total count, so a
file of 200 000 bad lines gives a short page.
"""

import csv
import io
import re
from collections.abc import Iterator

# No real cell comes near (an INE, a level, a challenge id); a longer one is not our file.
MAX_FIELD_LENGTH = 1000
MAX_ERRORS_SHOWN = 100
LONE_CR = re.compile(r"\r(?!\n)")
ASCII_INTEGER = re.compile(r"[0-9]{1,9}")


class CsvUnreadable(ValueError):
    """The file cannot be read as CSV at all; `message` says where and what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def csv_decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 (Excel's "CSV (séparateur : ;)")."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _line_of(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def _check_text(text: str) -> None:
    nul = text.find("\x00")
    if nul >= 0:
        raise CsvUnreadable(
            f"Ligne {_line_of(text, nul)} : le fichier contient un caractère nul : ce n'est pas "
            "un fichier CSV texte. Enregistrez-le au format « CSV UTF-8 » et réessayez."
        )
    lone_cr = LONE_CR.search(text)
    if lone_cr:
        raise CsvUnreadable(
            f"Ligne {_line_of(text, lone_cr.start())} : fins de ligne d'un ancien format Mac "
            "(retour chariot seul). Enregistrez le fichier au format « CSV UTF-8 » et réessayez."
        )


def csv_records(data: bytes, *, delimiter: str = ";") -> Iterator[tuple[int, list[str]]]:
    """(number of the line where the record starts, its cells), for every record of the file.

    Raises CsvUnreadable, naming the line, on the first thing that is not CSV."""
    text = csv_decode(data)
    _check_text(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise CsvUnreadable(
                f"Ligne {start} : ligne illisible (guillemets non refermés ou champ trop long)."
            ) from error
        for column, cell in enumerate(cells, start=1):
            if len(cell) > MAX_FIELD_LENGTH:
                raise CsvUnreadable(
                    f"Ligne {start} : la colonne {column} dépasse {MAX_FIELD_LENGTH} caractères."
                )
        yield start, cells
        start = reader.line_num + 1


def csv_integer(value: str) -> int | None:
    """A whole number written with the digits 0-9 only ('²' or '٣' are not levels), else None."""
    value = value.strip()
    return int(value) if ASCII_INTEGER.fullmatch(value) else None


def csv_errors_capped(errors: list[str]) -> list[str]:
    """The first MAX_ERRORS_SHOWN errors, and how many there are in all."""
    if len(errors) <= MAX_ERRORS_SHOWN:
        return errors
    return [
        *errors[:MAX_ERRORS_SHOWN],
        f"… et {len(errors) - MAX_ERRORS_SHOWN} autres erreurs ({len(errors)} au total) : "
        "corrigez celles-ci puis renvoyez le fichier.",
    ]
