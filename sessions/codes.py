"""The codes printed on session documents: the candidates' access code and the invigilators'
password. Both come from alphabets without look-alike characters (no 0/O, 1/I/L, 5/S)."""

import secrets
from collections.abc import Callable
from random import Random

ACCESS_CODE_LETTERS = "BCDFGHJKMPQRTVWXY"
ACCESS_CODE_DIGITS = "2346789"
INVIGILATOR_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # noqa: S105 — not a secret
MAX_ATTEMPTS = 100

_system_random = secrets.SystemRandom()


class CodeSpaceExhaustedError(RuntimeError):
    """No free code after many attempts: the code space is nearly full."""


def _first_free(draw: Callable[[], str], is_taken: Callable[[str], bool]) -> str:
    for _ in range(MAX_ATTEMPTS):
        code = draw()
        if not is_taken(code):
            return code
    raise CodeSpaceExhaustedError


def access_code_generate(*, is_taken: Callable[[str], bool], rng: Random | None = None) -> str:
    """4 letters + 2 digits, e.g. BKTM47: 17⁴ × 7² ≈ 4 million codes."""
    rng = rng or _system_random

    def draw() -> str:
        letters = "".join(rng.choice(ACCESS_CODE_LETTERS) for _ in range(4))
        return letters + "".join(rng.choice(ACCESS_CODE_DIGITS) for _ in range(2))

    return _first_free(draw, is_taken)


def invigilator_password_generate(
    *, is_taken: Callable[[str], bool], rng: Random | None = None
) -> str:
    """6 lower-case letters and digits, e.g. k7m2pq."""
    rng = rng or _system_random
    return _first_free(
        lambda: "".join(rng.choice(INVIGILATOR_PASSWORD_ALPHABET) for _ in range(6)), is_taken
    )
