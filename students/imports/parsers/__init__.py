"""Parsing of student imports: SIECLE exports (.xml or .zip) and the agricultural CSV.

Pure Python on top of lxml, no Django: ``parse_student_file`` reads a file into rows or raises
``ImportRejected`` with every problem, in French, and never writes anything.
The caps are read from ``students.imports.parsers.limits`` at call time; the names here are copies.
"""

from .limits import MAX_COMPRESSION_RATIO, MAX_DEPTH, MAX_INFLATED_BYTES, MAX_UPLOAD_BYTES
from .results import ImportRejected, ParseResult, SkippedStudent, StudentRow
from .sources import parse_student_file

__all__ = [
    "MAX_COMPRESSION_RATIO",
    "MAX_DEPTH",
    "MAX_INFLATED_BYTES",
    "MAX_UPLOAD_BYTES",
    "ImportRejected",
    "ParseResult",
    "SkippedStudent",
    "StudentRow",
    "parse_student_file",
]
