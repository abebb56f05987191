"""The one XML export inside an uploaded .zip, read without trusting the archive.

Everything is checked from the central directory before a byte is inflated; then the member is
inflated as a stream, through counters that stop it at the caps whatever the headers claimed.
Nothing is ever written to disk.
"""

from __future__ import annotations

import os
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import IO

from . import limits
from .results import ImportRejected
from .streams import BinarySource, Readable

ZIP_MAGIC = b"PK\x03\x04"
_END_OF_CENTRAL_DIRECTORY = struct.Struct("<4s4H2LH")
_END_OF_CENTRAL_DIRECTORY_MAGIC = b"PK\x05\x06"
_MAX_ARCHIVE_COMMENT = 0xFFFF
_ENCRYPTED_FLAG = 0x1
_MSDOS_DIRECTORY_FLAG = 0x10

# What zipfile raises on an archive damaged in its headers, then in its compressed data.
_DAMAGED_HEADERS = (
    zipfile.BadZipFile,
    EOFError,
    NotImplementedError,
    UnicodeDecodeError,
    ValueError,
)
_DAMAGED_DATA = (zipfile.BadZipFile, EOFError, zlib.error)

CORRUPT = "L'archive ZIP est illisible ou endommagée : recréez-la à partir de l'export SIECLE."
NESTED = (
    "L'archive ZIP contient une autre archive : déposez directement l'export SIECLE "
    "(le fichier .xml, ou un .zip qui le contient)."
)


@contextmanager
def open_xml_member(archive_file: BinarySource) -> Iterator[Readable]:
    """Yield a reader of the archive's single .xml member, inflating as it is read."""
    _check_central_directory_size(archive_file)
    counted = _CountingReader(archive_file)
    with ExitStack() as opened:
        try:
            archive = opened.enter_context(zipfile.ZipFile(counted))
            member = _single_xml_member(archive.infolist())
            _check_declared_sizes(member)
            inflating = opened.enter_context(archive.open(member))
        except _DAMAGED_HEADERS:
            raise ImportRejected(CORRUPT) from None
        try:
            yield _GuardedMember(inflating, counted)
        except _DAMAGED_DATA:
            raise ImportRejected(CORRUPT) from None


def _check_central_directory_size(archive_file: BinarySource) -> None:
    """Refuse many-entry archives before zipfile builds an object for every entry."""
    archive_file.seek(0, os.SEEK_END)
    size = archive_file.tell()
    tail_size = min(size, _END_OF_CENTRAL_DIRECTORY.size + _MAX_ARCHIVE_COMMENT)
    archive_file.seek(size - tail_size)
    tail = archive_file.read(tail_size)
    archive_file.seek(0)
    start = tail.rfind(_END_OF_CENTRAL_DIRECTORY_MAGIC)
    if start < 0 or len(tail) - start < _END_OF_CENTRAL_DIRECTORY.size:
        raise ImportRejected(CORRUPT)
    *_, entries, directory_size, _, _ = _END_OF_CENTRAL_DIRECTORY.unpack_from(tail, start)
    if entries > limits.MAX_ZIP_ENTRIES or directory_size > limits.MAX_CENTRAL_DIRECTORY_BYTES:
        raise ImportRejected(_too_many_entries())


def _single_xml_member(members: list[zipfile.ZipInfo]) -> zipfile.ZipInfo:
    if len(members) > limits.MAX_ZIP_ENTRIES:
        raise ImportRejected(_too_many_entries())
    for member in members:
        if member.flag_bits & _ENCRYPTED_FLAG:
            raise ImportRejected(
                "L'archive ZIP est protégée par un mot de passe : déposez une archive sans "
                "mot de passe, ou directement le fichier XML."
            )
        if stat.S_ISLNK(member.external_attr >> 16):
            raise ImportRejected(
                f"L'archive ZIP contient un lien symbolique (« {member.filename} ») : "
                "refusé par sécurité."
            )
    candidates = [member for member in members if not _is_ignored(member)]
    if any(member.filename.lower().endswith(".zip") for member in candidates):
        raise ImportRejected(NESTED)
    xml_members = [member for member in candidates if member.filename.lower().endswith(".xml")]
    if not xml_members:
        raise ImportRejected(
            "L'archive ZIP ne contient aucun fichier .xml : elle doit contenir l'export "
            "SIECLE « ElevesSansAdresses »."
        )
    if len(xml_members) > 1:
        names = ", ".join(member.filename for member in xml_members)
        raise ImportRejected(
            f"L'archive ZIP contient {len(xml_members)} fichiers .xml ({names}) : elle doit "
            "n'en contenir qu'un, l'export SIECLE « ElevesSansAdresses »."
        )
    member = xml_members[0]
    if _is_directory(member):
        raise ImportRejected(
            f"Dans l'archive ZIP, « {member.filename} » est un dossier et non un fichier."
        )
    return member


def _is_ignored(member: zipfile.ZipInfo) -> bool:
    """Directory entries, and what macOS and editors add beside the export: __MACOSX/, and
    anything with a segment starting with "." (dot-files, dot-folders, "../")."""
    name = member.filename
    segments = name.replace("\\", "/").split("/")
    return (
        name.endswith("/")
        or segments[0] == "__MACOSX"
        or any(segment.startswith(".") for segment in segments)
    )


def _is_directory(member: zipfile.ZipInfo) -> bool:
    unix_mode = member.external_attr >> 16
    return stat.S_ISDIR(unix_mode) or bool(member.external_attr & _MSDOS_DIRECTORY_FLAG)


def _check_declared_sizes(member: zipfile.ZipInfo) -> None:
    if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise ImportRejected(
            "L'archive ZIP utilise une méthode de compression non prise en charge : "
            "recréez-la avec la compression standard (Deflate)."
        )
    if member.file_size > limits.MAX_INFLATED_BYTES:
        raise ImportRejected(_too_big())
    if _is_bomb(member.file_size, member.compress_size):
        raise ImportRejected(_bomb())


def _is_bomb(inflated: int, compressed: int) -> bool:
    return (
        inflated > limits.RATIO_CHECK_FLOOR_BYTES
        and inflated > limits.MAX_COMPRESSION_RATIO * compressed
    )


class _CountingReader:
    """The archive file, counting the bytes read from it: what the member really costs."""

    def __init__(self, file: BinarySource) -> None:
        self._file = file
        self.bytes_read = 0

    def read(self, size: int = -1) -> bytes:
        data = self._file.read(size)
        self.bytes_read += len(data)
        return data

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        return self._file.seek(offset, whence)

    def tell(self) -> int:
        return self._file.tell()

    def seekable(self) -> bool:
        return True


class _GuardedMember:
    """The inflating member, stopped at the inflated-size and ratio caps (headers can lie)."""

    def __init__(self, inflating: IO[bytes], archive: _CountingReader) -> None:
        self._inflating = inflating
        self._archive = archive
        self._compressed_before = archive.bytes_read
        self._inflated = 0

    def read(self, size: int = -1) -> bytes:
        data = self._inflating.read(size)
        if self._inflated == 0 and data.startswith(ZIP_MAGIC):
            raise ImportRejected(NESTED)
        self._inflated += len(data)
        if self._inflated > limits.MAX_INFLATED_BYTES:
            raise ImportRejected(_too_big())
        if _is_bomb(self._inflated, self._archive.bytes_read - self._compressed_before):
            raise ImportRejected(_bomb())
        return data


def _too_many_entries() -> str:
    return (
        f"L'archive ZIP contient trop de fichiers (plus de {limits.MAX_ZIP_ENTRIES}) : "
        "elle ne doit contenir que l'export SIECLE."
    )


def _too_big() -> str:
    return (
        f"Une fois décompressé, le fichier dépasse {limits.MAX_INFLATED_BYTES // limits.MiB} Mo : "
        "ce n'est pas l'export SIECLE d'un établissement."
    )


def _bomb() -> str:
    return (
        f"L'archive ZIP est anormalement compressée (plus de {limits.MAX_COMPRESSION_RATIO} "
        "pour 1) : refusée par sécurité. Un export SIECLE se compresse 20 à 30 fois."
    )
