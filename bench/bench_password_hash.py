"""Time of one password hash with the portal's hasher vs Django's defaults.

Run: .venv/bin/python bench/bench_password_hash.py
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pix_portal.settings.base")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import (  # noqa: E402
    Argon2PasswordHasher,
    PBKDF2PasswordHasher,
)

from accounts.hashers import OwaspArgon2idPasswordHasher  # noqa: E402


def per_hash_ms(hasher, rounds: int) -> float:
    start = time.perf_counter()
    for _ in range(rounds):
        hasher.encode("nhkaac89", hasher.salt())
    return (time.perf_counter() - start) / rounds * 1000


if __name__ == "__main__":
    for name, hasher, rounds in [
        ("Argon2id OWASP minimum (portal)", OwaspArgon2idPasswordHasher(), 40),
        ("Argon2 Django default", Argon2PasswordHasher(), 10),
        ("PBKDF2 Django default", PBKDF2PasswordHasher(), 5),
    ]:
        print(f"{name:<34} {per_hash_ms(hasher, rounds):7.1f} ms per hash")
