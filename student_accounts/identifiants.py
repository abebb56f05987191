"""Student identifiants (domain §5): prénom.nom + DDMM, lower case, ASCII letters only."""

import secrets
from collections.abc import Callable
from datetime import date

from core.names import name_ascii_letters

# The width of User.username: an identifiant never outgrows its column (PostgreSQL refuses it).
IDENTIFIANT_MAX_LENGTH = 150
DIGITS = 4
# A name with no letter at all ("-", "'") still gives a readable stem.
NO_LETTERS_STEM = "eleve"


def identifiant_part(text: str) -> str:
    """'Jean-Baptiste' -> 'jeanbaptiste', 'Lefèvre' -> 'lefevre', 'Bœuf' -> 'boeuf'."""
    return name_ascii_letters(text)


def identifiant_generate(
    *, first_name: str, last_name: str, birthdate: date, is_taken: Callable[[str], bool]
) -> str:
    """The first free identifiant: DDMM of the birth date, else 4 random digits until free.

    Parts without letters are left out (never a leading or doubled dot), and a stem too long
    for the column is cut: the digits after it keep identifiants unique."""
    parts = [part for part in (identifiant_part(first_name), identifiant_part(last_name)) if part]
    stem = ".".join(parts)[: IDENTIFIANT_MAX_LENGTH - DIGITS].rstrip(".") or NO_LETTERS_STEM
    candidate = f"{stem}{birthdate:%d%m}"
    while is_taken(candidate):
        candidate = f"{stem}{secrets.randbelow(10_000):04d}"
    return candidate
