"""Caps on what an uploaded student file may cost us (quality.md, XML and ZIP sections).

Read at call time as ``limits.NAME`` so that a benchmark or a test can lower or raise one.
"""

MiB = 1024 * 1024

MAX_UPLOAD_BYTES = 20 * MiB
MAX_INFLATED_BYTES = 200 * MiB
# Real SIECLE archives compress 20-30:1; 100:1 and beyond is a bomb.
MAX_COMPRESSION_RATIO = 100
# Below this many inflated bytes the ratio says nothing (tiny or repetitive files).
RATIO_CHECK_FLOOR_BYTES = 1 * MiB
# An export zipped by hand holds the XML plus, from a Mac, a few __MACOSX/ entries.
MAX_ZIP_ENTRIES = 16
MAX_CENTRAL_DIRECTORY_BYTES = 64 * 1024
# libxml2 enforces this itself when huge_tree is off; SIECLE nests 6 levels.
MAX_DEPTH = 256
# PARAMETRES/UAJ opens every export: a file without it this far in is not an export.
MAX_BYTES_BEFORE_UAJ = 1 * MiB
# No student element spans this much; beyond it the tree we keep would grow unbounded.
MAX_RECORD_BYTES = 256 * 1024
# Errors listed to the user; the rest are counted.
MAX_REPORTED_ERRORS = 200

# The widths of the portal's student columns (students.models.Student, checked by a test): a
# longer value is refused with the file's other problems, not later by the database.
FIELD_MAX_LENGTHS = {
    "ine": 20,
    "last_name": 150,
    "preferred_last_name": 150,
    "first_name": 150,
    "first_name2": 150,
    "first_name3": 150,
    "sex": 1,
    "birth_country_code": 5,
    "birth_city_code": 5,
    "birth_city": 150,
    "birth_department_code": 3,
    "mef_code": 20,
    "status": 2,
    "division": 60,
}
