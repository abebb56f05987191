"""One-time passwords (domain §5): 6 lower-case letters without i, l, o, then 2 digits."""

import secrets
from collections.abc import Sequence
from concurrent.futures import Executor, Future

from django.contrib.auth.hashers import get_hasher

ONE_TIME_LETTERS = "abcdefghjkmnpqrstuvwxyz"
ONE_TIME_DIGITS = "0123456789"
# Small enough for a smooth progress bar, big enough that scheduling costs nothing.
HASH_CHUNK_SIZE = 25


def one_time_password_generate() -> str:
    letters = "".join(secrets.choice(ONE_TIME_LETTERS) for _ in range(6))
    digits = "".join(secrets.choice(ONE_TIME_DIGITS) for _ in range(2))
    return letters + digits


def _hash_chunk(hasher, passwords: Sequence[str]) -> list[str]:
    return [hasher.encode(password, hasher.salt()) for password in passwords]


def passwords_hash(passwords: Sequence[str], *, pool: Executor) -> list[Future[list[str]]]:
    """Hash with the portal's hasher, in chunks on `pool`; each future gives its chunk's hashes.

    argon2-cffi releases the GIL while hashing, so a thread pool keeps every core busy without
    sending clear passwords to other processes.
    """
    hasher = get_hasher("default")
    return [
        pool.submit(_hash_chunk, hasher, passwords[start : start + HASH_CHUNK_SIZE])
        for start in range(0, len(passwords), HASH_CHUNK_SIZE)
    ]
