"""The one-time files of a password reset (CSV, slips): encrypted at rest, readable once.

Each job's files are encrypted with a key derived from SECRET_KEY and a random salt kept in the
job row: a copy of the disk alone (a backup, say) reveals no password. A file is deleted as soon as
it is downloaded, and every file is purged once its job's delay has passed.
"""

import base64
import os
from pathlib import Path

from cryptography.fernet import Fernet
from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac

from pix_portal.private_files import private_files_older_than

from .models import PasswordResetJob

KINDS = ("csv", "slips")


_FOLDER = "password_resets"


def _directory() -> Path:
    return Path(settings.PRIVATE_STORAGE_ROOT) / _FOLDER


def _path(job: PasswordResetJob, kind: str) -> Path:
    return _directory() / f"{job.pk}-{kind}.bin"


def _fernet(job: PasswordResetJob) -> Fernet:
    key = salted_hmac("accounts.reset_files", job.files_key_salt, algorithm="sha256").digest()
    return Fernet(base64.urlsafe_b64encode(key))


def reset_files_write(*, job: PasswordResetJob, files: dict[str, bytes]) -> None:
    directory = _directory()
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    fernet = _fernet(job)
    for kind, content in files.items():
        descriptor = os.open(_path(job, kind), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(fernet.encrypt(content))


def reset_files_delete(*, job: PasswordResetJob) -> None:
    for kind in KINDS:
        _path(job, kind).unlink(missing_ok=True)


def reset_file_read_and_delete(*, job: PasswordResetJob, kind: str) -> bytes | None:
    """The file's clear content, or None if it is gone (downloaded, expired, purged)."""
    path = _path(job, kind)
    try:
        token = path.read_bytes()
    except FileNotFoundError:
        return None
    path.unlink(missing_ok=True)
    return _fernet(job).decrypt(token)


def reset_files_purge() -> int:
    """Delete every file older than the delay, jobs finished or not (a killed worker's too)."""
    purged = 0
    limit = timezone.now() - settings.PASSWORD_RESET_FILES_TTL
    for path in private_files_older_than(_FOLDER, limit):
        path.unlink(missing_ok=True)
        purged += 1
    return purged


def reset_file_name(*, job: PasswordResetJob, kind: str) -> str:
    """`YYYYMMDD_HHmm_<UAI>_password_reset.csv` (domain §5), in the school's local time."""
    stamp = timezone.localtime(job.finished_at, job.organization.zoneinfo).strftime("%Y%m%d_%H%M")
    suffix = "password_reset.csv" if kind == "csv" else "fiches_de_connexion.pdf"
    return f"{stamp}_{job.organization.uai}_{suffix}"
