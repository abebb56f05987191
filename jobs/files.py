"""Private files: written to STORAGES["private"], read back only by the portal's own views.

Nothing is served by URL: a view checks who asks, then `private_file_response` streams the file
(and the caller writes the audit entry). Credentials files are encrypted before they leave the
process; download-once files are deleted at their first download.
"""

import base64
import re
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.db import transaction
from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import PrivateFile

if TYPE_CHECKING:
    from cryptography.fernet import Fernet


def private_storage() -> Storage:
    return storages["private"]


def _fernet(salt: str) -> "Fernet":
    # Imported here: cryptography's bindings weigh 10 MB in every process that loads this
    # module, and only the encrypted files (the credentials of a reset) need them.
    from cryptography.fernet import Fernet

    # The key's name predates this module: reset files written before it stay readable.
    key = salted_hmac("accounts.reset_files", salt, algorithm="sha256").digest()
    return Fernet(base64.urlsafe_b64encode(key))


def private_file_save(
    *,
    organization,
    folder: str,
    content: bytes | None = None,
    upload=None,
    download_name: str,
    content_type: str,
    expires_at: datetime | None,
    encrypt: bool = False,
    download_once: bool = False,
) -> PrivateFile:
    """Store `content` (bytes) or `upload` (a Django file, streamed by chunks) under a random key.

    The row is written first: a failure while writing leaves a row the sweep deletes, never an
    object nobody knows of.
    """
    salt = secrets.token_hex(16) if encrypt else ""
    # The name may come from a user's file: only its extension's letters and digits are kept.
    extension = re.sub(r"[^a-z0-9]", "", Path(download_name).suffix.lower())[:8] or "bin"
    key = f"{folder}/{organization.pk}/{secrets.token_hex(16)}.{extension}"
    if encrypt:
        if content is None:
            raise ValueError("Only content given in bytes is encrypted, not an upload")
        content = _fernet(salt).encrypt(content)
    with transaction.atomic():
        private_file = PrivateFile.objects.create(
            organization=organization,
            key=key,
            download_name=download_name[:255],
            content_type=content_type,
            size=len(content) if content is not None else upload.size,
            encryption_salt=salt,
            download_once=download_once,
            expires_at=expires_at,
        )
    saved = private_storage().save(key, ContentFile(content) if content is not None else upload)
    if saved != key:  # never: keys are random
        raise RuntimeError("Private storage renamed a key")
    return private_file


def private_file_read(*, private_file: PrivateFile) -> bytes:
    with private_storage().open(private_file.key, "rb") as stored:
        content = stored.read()
    if private_file.encryption_salt:
        content = _fernet(private_file.encryption_salt).decrypt(content)
    return content


def private_file_open(*, private_file: PrivateFile):
    """A file object (for parsers that read by chunks); not for encrypted files."""
    return private_storage().open(private_file.key, "rb")


@contextmanager
def private_file_local_path(*, private_file: PrivateFile) -> Iterator[Path]:
    """A path on this host to read the (clear) file from: the file itself on the filesystem
    storage, a temporary copy (deleted after) from an object store."""
    storage = private_storage()
    try:
        local = Path(storage.path(private_file.key))
    except NotImplementedError:
        local = None
    if local is not None:
        yield local
        return
    with tempfile.NamedTemporaryFile(prefix="pix-private-") as copy:
        with storage.open(private_file.key, "rb") as stored:
            shutil.copyfileobj(stored, copy, 1024 * 1024)
        copy.flush()
        yield Path(copy.name)


def private_file_take(*, private_file: PrivateFile) -> bytes | None:
    """The clear content of a download-once file, once: None if taken or expired."""
    claimed = PrivateFile.objects.filter(
        pk=private_file.pk, downloaded_at__isnull=True, expires_at__gt=timezone.now()
    ).update(downloaded_at=timezone.now())
    if not claimed:
        return None
    try:
        return private_file_read(private_file=private_file)
    finally:
        private_file_delete(private_file=private_file, keep_row=True)


def private_file_delete(*, private_file: PrivateFile | None, keep_row: bool = False) -> None:
    """Delete the stored object, and the row unless `keep_row` (a taken file's row says it was
    downloaded until the sweep deletes it at its expiry)."""
    if private_file is None:
        return
    private_storage().delete(private_file.key)
    if not keep_row:
        PrivateFile.objects.filter(pk=private_file.pk).delete()


def private_files_sweep(*, now: datetime | None = None) -> int:
    """Delete every file past its expiry, downloaded or not, its job finished or not."""
    now = now or timezone.now()
    deleted = 0
    for private_file in PrivateFile.objects.filter(expires_at__lte=now).iterator():
        private_storage().delete(private_file.key)
        private_file.delete()
        deleted += 1
    return deleted


def private_file_response(
    *, private_file: PrivateFile, content: bytes | None = None, as_attachment: bool = True
) -> HttpResponse | FileResponse:
    """The download: streamed from the storage, or `content` already read (and decrypted)."""
    if content is not None:
        response = HttpResponse(content, content_type=private_file.content_type)
        response["Content-Disposition"] = _attachment(private_file.download_name)
        return response
    return FileResponse(
        private_storage().open(private_file.key, "rb"),
        as_attachment=as_attachment,
        filename=private_file.download_name,
        content_type=private_file.content_type,
    )


def _attachment(name: str) -> str:
    from django.utils.http import content_disposition_header

    header = content_disposition_header(as_attachment=True, filename=name)
    assert header is not None  # None only for an inline response without a name
    return header
