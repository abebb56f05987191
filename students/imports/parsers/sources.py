"""Entry point: decide what an uploaded student file is by its bytes, then read it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from . import limits
from .agricultural_csv import parse_agricultural_csv
from .prolog import NOT_XML, looks_like_xml
from .results import ImportRejected, ParseResult
from .siecle import PROLOG_BYTES, read_siecle_xml
from .siecle_rows import siecle_students
from .streams import BinarySource, Readable
from .zip_member import ZIP_MAGIC, open_xml_member

StudentFile = str | os.PathLike[str] | BinarySource


def parse_student_file(
    source: StudentFile, *, expected_uai: str, agricultural: bool = False
) -> ParseResult:
    """Read a SIECLE export (.xml, or .zip holding it) or, for agricultural schools, their CSV.

    ``source`` is a path or a seekable binary file (a Django UploadedFile works). The format is
    told by the bytes, not the name. Raises ImportRejected with every problem, in French.
    Never writes anything.
    """
    expected_uai = expected_uai.strip().upper()
    with _binary_stream(source) as stream:
        _check_upload_size(stream)
        head = stream.read(PROLOG_BYTES)
        stream.seek(0)
        if not head:
            raise ImportRejected("Le fichier est vide.")
        if head.startswith(ZIP_MAGIC):
            with open_xml_member(stream) as xml_stream:
                return _parse_siecle(xml_stream, expected_uai)
        if looks_like_xml(head):
            return _parse_siecle(stream, expected_uai)
        if agricultural:
            return parse_agricultural_csv(stream.read(), expected_uai=expected_uai)
        raise ImportRejected(NOT_XML)


def _parse_siecle(stream: Readable, expected_uai: str) -> ParseResult:
    return siecle_students(read_siecle_xml(stream, expected_uai=expected_uai))


@contextmanager
def _binary_stream(source: StudentFile) -> Iterator[BinarySource]:
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as file:
            yield file
    else:
        source.seek(0)
        yield source


def _check_upload_size(stream: BinarySource) -> None:
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    if size > limits.MAX_UPLOAD_BYTES:
        size_mb = f"{size / limits.MiB:.1f}".replace(".", ",")
        raise ImportRejected(
            f"Le fichier fait {size_mb} Mo : la taille maximale est de "
            f"{limits.MAX_UPLOAD_BYTES // limits.MiB} Mo."
        )
