"""Reading an uploaded student file into rows ready to write, on top of ``.parsers``.

The parser (``parse_student_file``) does every check of domain.md §3 and of the hostile-file list.
This module adds progress reporting and, for big SIECLE XML files, a parse split over the
machine's cores:

The ELEVE elements of an export sit in one ``<ELEVES>`` block; everything else (PARAMETRES,
STRUCTURES…) is small in comparison. Each worker process parses a complete document made of the
file's head, one slice of the ELEVE elements and the file's tail, with the same public parser.
Every byte of the file is read by at least one worker, each worker sees the UAI and all the
classes, and a student belongs to exactly one slice. Any problem (a rejected slice, an INE in two
slices) sends the whole file through a single parse, which is the authority on
errors and their lines.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings

from jobs.processes import child_processes_available, in_child_processes
from students.models import ImportJob

from .parsers import ImportRejected, SkippedStudent, limits, parse_student_file
from .parsers.prolog import looks_like_xml
from .parsers.zip_member import ZIP_MAGIC

# Student columns an import writes, in the order of the row tuples below.
IMPORTED_FIELDS = (
    "ine",
    "last_name",
    "preferred_last_name",
    "first_name",
    "first_name2",
    "first_name3",
    "sex",
    "birthdate",
    "birth_country_code",
    "birth_city_code",
    "birth_city",
    "birth_department_code",
    "mef_code",
    "status",
    "division",
)
# A row is the imported values followed by the line of the student in the file.
LINE = len(IMPORTED_FIELDS)
DIVISION = IMPORTED_FIELDS.index("division")
_row_of = attrgetter(*IMPORTED_FIELDS, "line")

ProgressCallback = Callable[[float], None]


@dataclass(slots=True)
class ParsedFile:
    uai: str
    school_year: str | None
    rows: list[tuple] = field(default_factory=list)
    skipped: list[SkippedStudent] = field(default_factory=list)

    @property
    def divisions(self) -> Counter:
        return Counter(row[DIVISION] for row in self.rows)


def detect_format(path: Path) -> str:
    """What the bytes say the file is (never its name): one of ImportJob.Format."""
    with open(path, "rb") as file:
        head = file.read(1024)
    # The parser's own tests, so that the job's format and the parser never disagree.
    if head.startswith(ZIP_MAGIC):
        return ImportJob.Format.ZIP
    if looks_like_xml(head):
        return ImportJob.Format.XML
    return ImportJob.Format.CSV


def read_student_file(
    path: Path,
    *,
    expected_uai: str,
    agricultural: bool,
    max_bytes: int = limits.MAX_UPLOAD_BYTES,
    progress: ProgressCallback | None = None,
) -> ParsedFile:
    """Parse and check the whole file; raises ImportRejected listing every problem (French)."""
    path = Path(path)
    size = path.stat().st_size
    if settings.STUDENT_IMPORT_PARALLEL_MIN_BYTES <= size <= max_bytes:
        parsed = _parse_in_parallel(path, size, expected_uai=expected_uai, max_bytes=max_bytes)
        if parsed is not None:
            if progress:
                progress(1.0)
            return parsed
    with open(path, "rb") as file, _upload_cap(max_bytes):
        source = _ProgressReader(file, size, progress) if progress else file
        result = parse_student_file(source, expected_uai=expected_uai, agricultural=agricultural)
    rows: list[Any] = result.students  # StudentRows, turned into tuples in place
    for index, student in enumerate(rows):  # in place: each StudentRow goes as its tuple comes
        rows[index] = _row_of(student)
    return ParsedFile(
        uai=result.uai, school_year=result.school_year, rows=rows, skipped=result.skipped
    )


# --- Progress and caps ------------------------------------------------------------------------


class _ProgressReader:
    """The file as the parser reads it, reporting the share read so far (at most every 2 %)."""

    def __init__(self, file: BinaryIO, size: int, progress: ProgressCallback) -> None:
        self._file = file
        self._size = max(size, 1)
        self._progress = progress
        self._reported = 0.0

    def read(self, size: int = -1) -> bytes:
        data = self._file.read(size)
        done = self._file.tell() / self._size
        if done - self._reported >= 0.02:
            self._reported = done
            self._progress(min(done, 1.0))
        return data

    def __getattr__(self, name):
        return getattr(self._file, name)


@contextmanager
def _upload_cap(max_bytes: int) -> Iterator[None]:
    """The parser's size cap is the web upload's; `manage.py import_siecle` may allow more."""
    previous = limits.MAX_UPLOAD_BYTES
    limits.MAX_UPLOAD_BYTES = max_bytes
    try:
        yield
    finally:
        limits.MAX_UPLOAD_BYTES = previous


# --- Parallel parse of big SIECLE XML files ---------------------------------------------------

_SCAN_CHUNK = 4 * limits.MiB
_ELEVES_OPEN = b"<ELEVES>"
_ELEVES = b"ELEVES"
# Inside the ELEVE block, "<!" (comment, CDATA, DTD piece), "<?" (processing instruction) or
# another <ELEVES> would make a byte-wise cut unsafe: a file holding one is parsed whole.
# "!" and "?" are rare in an export, so looking for them first is fast.
_MARKUP_AFTER_LT = (b"!", b"?")
_ELEVE_START = re.compile(rb"<ELEVE[\s>]")
_MAX_ELEVE_SEARCH = 1 * limits.MiB

Segments = tuple[tuple[int, int], ...]


def _parse_in_parallel(
    path: Path, size: int, *, expected_uai: str, max_bytes: int
) -> ParsedFile | None:
    """The parse spread over worker processes, or None when the file must be parsed whole."""
    workers = child_processes_available(4)
    if workers < 2:
        return None
    with open(path, "rb") as file:
        parts = _plan_parts(file, size, workers)
    if parts is None:
        return None
    outcomes = in_child_processes(
        _parse_part,
        [(str(path), segments, lines, expected_uai, max_bytes) for segments, lines in parts],
    )
    if any(outcome is None for outcome in outcomes):
        return None
    parsed = ParsedFile(uai=outcomes[0][0], school_year=outcomes[0][1])
    for _, _, rows, skipped in outcomes:
        parsed.rows += rows
        parsed.skipped += [SkippedStudent(reason=reason, label=label) for reason, label in skipped]
    if len({row[0] for row in parsed.rows}) != len(parsed.rows):
        return None  # an INE in two slices: the single parse words the error
    return parsed


def _parse_part(
    path: str, segments: Segments, lines_before: int, expected_uai: str, max_bytes: int
):
    """In a worker: parse one slice; None when it is rejected (the whole file is then re-read)."""
    limits.MAX_UPLOAD_BYTES = max_bytes
    with _SplicedFile(path, segments) as source:
        try:
            result = parse_student_file(source, expected_uai=expected_uai)
        except ImportRejected:
            return None
    rows: list[Any] = result.students  # StudentRows, turned into tuples in place
    for index, student in enumerate(rows):  # in place: each StudentRow goes as its tuple comes
        row = _row_of(student)
        rows[index] = (*row[:LINE], row[LINE] + lines_before) if lines_before else row
    skipped = [(student.reason, student.label) for student in result.skipped]
    return result.uai, result.school_year, rows, skipped


def _plan_parts(file: BinaryIO, size: int, count: int) -> list[tuple[Segments, int]] | None:
    """Each worker's document (head + one slice of ELEVE elements + tail), and the number of
    lines its slice is moved up by (to give back each student's line in the file)."""
    block = _locate_eleve_block(file, size)
    if block is None:
        return None
    start, end = block
    cuts = [start]
    for index in range(1, count):
        cut = _next_eleve_start(file, start + (end - start) * index // count, end)
        if cut is None or cut <= cuts[-1]:
            return None
        cuts.append(cut)
    cuts.append(end)
    parts: list[tuple[Segments, int]] = []
    lines_before = 0
    for index in range(count):
        parts.append((((0, start), (cuts[index], cuts[index + 1]), (end, size)), lines_before))
        lines_before += _count_lines(file, cuts[index], cuts[index + 1])
    return parts


def _count_lines(file: BinaryIO, start: int, end: int) -> int:
    file.seek(start)
    lines = 0
    while start < end:
        chunk = file.read(min(_SCAN_CHUNK, end - start))
        if not chunk:
            break
        lines += chunk.count(b"\n")
        start += len(chunk)
    return lines


def _locate_eleve_block(file: BinaryIO, size: int) -> tuple[int, int] | None:
    """(first ELEVE, its closing </ELEVES>) when the block holds nothing but elements."""
    file.seek(0)
    head = file.read(64 * 1024)
    opening = head.find(_ELEVES_OPEN)
    if opening < 0:
        return None
    start = opening + len(_ELEVES_OPEN)
    while start < len(head) and head[start] in b" \t\r\n":
        start += 1
    if not _ELEVE_START.match(head, start):
        return None
    # Chunks overlap by a few bytes: a token across two chunks is seen whole in the first.
    overlap = len(b"</ELEVES>")
    position = start
    while position < size:
        file.seek(position)
        chunk = file.read(_SCAN_CHUNK + overlap)
        if not chunk:
            return None
        closing = _find_eleves_closing(chunk)
        if closing is None:
            return None
        searched = closing if closing >= 0 else len(chunk)
        if any(_has_markup(chunk, char, searched) for char in _MARKUP_AFTER_LT):
            return None
        if closing >= 0:
            return start, position + closing
        position += _SCAN_CHUNK
    return None


def _find_eleves_closing(chunk: bytes) -> int | None:
    """Index of the first </ELEVES>; -1 when absent; None when an <ELEVES> opens first."""
    index = chunk.find(_ELEVES)
    while index >= 0:
        if chunk[index - 2 : index] == b"</":
            after = chunk[index + len(_ELEVES) : index + len(_ELEVES) + 1]
            return index - 2 if after in (b">", b" ", b"\t", b"\r", b"\n") else None
        if chunk[index - 1 : index] == b"<":
            return None
        index = chunk.find(_ELEVES, index + 1)
    return -1


def _has_markup(chunk: bytes, char: bytes, end: int) -> bool:
    index = chunk.find(char, 0, end)
    while index >= 0:
        if chunk[index - 1 : index] == b"<":
            return True
        index = chunk.find(char, index + 1, end)
    return False


def _next_eleve_start(file: BinaryIO, position: int, end: int) -> int | None:
    file.seek(position)
    window = file.read(min(_MAX_ELEVE_SEARCH, end - position))
    match = _ELEVE_START.search(window)
    return position + match.start() if match else None


class _SplicedFile:
    """Read-only, seekable view of some byte ranges of a file, one after the other."""

    def __init__(self, path: str, segments: Segments) -> None:
        self._file = open(path, "rb")  # noqa: SIM115 - closed by __exit__
        self._segments = [(start, end) for start, end in segments if end > start]
        self._size = sum(end - start for start, end in self._segments)
        self._position = 0

    def __enter__(self) -> _SplicedFile:
        return self

    def __exit__(self, *exc_info) -> None:
        self._file.close()

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._position, os.SEEK_END: self._size}[whence]
        self._position = max(0, base + offset)
        return self._position

    def tell(self) -> int:
        return self._position

    def read(self, size: int = -1) -> bytes:
        if size < 0:
            size = self._size - self._position
        pieces = []
        offset = 0
        for start, end in self._segments:
            length = end - start
            if size > 0 and offset <= self._position < offset + length:
                skip = self._position - offset
                take = min(size, length - skip)
                self._file.seek(start + skip)
                pieces.append(self._file.read(take))
                self._position += take
                size -= take
            offset += length
        return b"".join(pieces)
