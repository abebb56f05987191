"""Writes of the students app beyond imports (students/imports/services.py): the class tally's
upkeep."""

from collections import Counter

from django.db import connection, transaction

from accounts.models import User
from core.sql import in_values

from .models import ClassTally, Student

# The tally's key: the columns an entry is counted by.
TALLY_FIELDS = ("organization_id", "division", "certifiability", "is_disabled", "connection_bits")
TALLY_KEY = ", ".join(TALLY_FIELDS)


def class_tally_compact(*, schools_at_once: int = 100) -> int:
    """Sums the tally's entries of each school that has several for one class and status (or
    entries that add up to nothing, as a deleted school's do) into one; the number of schools.
    The hourly beat runs it, so that a school's tally stays a few rows per class."""
    table = ClassTally._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT organization_id FROM {table} GROUP BY {TALLY_KEY} "  # noqa: S608
            "HAVING COUNT(*) > 1 OR SUM(students) = 0"
        )
        schools = [school for (school,) in cursor.fetchall()]
    for start in range(0, len(schools), schools_at_once):
        _compact(schools[start : start + schools_at_once])
    return len(schools)


@transaction.atomic
def _compact(schools: list[int]) -> None:
    """Deleted and written back summed in one transaction: an entry a writer appends meanwhile
    is not among those deleted (nor summed), so nothing is lost nor counted twice."""
    table = ClassTally._meta.db_table
    among, params = in_values("organization_id", schools)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE {among} RETURNING {TALLY_KEY}, students",  # noqa: S608
            params,
        )
        sums: Counter[tuple] = Counter()
        for *key, students in cursor.fetchall():
            sums[tuple(key)] += students
    ClassTally.objects.bulk_create(
        ClassTally(**dict(zip(TALLY_FIELDS, key, strict=True)), students=students)
        for key, students in sums.items()
        if students
    )


@transaction.atomic
def class_tally_rebuild() -> int:
    """Counts every school's students afresh into the tally, with their accounts' connection
    methods read again first; the tally's number of rows.

    The database's triggers keep both in step with every write; only a load that skips
    triggers (`session_replication_role = replica`, a restore with `--disable-triggers`) needs
    this, afterwards and before the portal takes writes again: `manage.py class_tally_rebuild`
    (a student written between its statements would be counted twice)."""
    tally, students = ClassTally._meta.db_table, Student._meta.db_table
    users = User._meta.db_table
    # The triggers' expression (students/migrations/0020), from the Connection bits.
    bits = (
        f"({Student.Connection.ACCOUNT.value}"
        f" | CASE WHEN u.username IS NOT NULL THEN {Student.Connection.USERNAME.value} ELSE 0 END"
        f" | CASE WHEN u.email IS NOT NULL THEN {Student.Connection.EMAIL.value} ELSE 0 END"
        " | CASE WHEN u.has_mediacentre_access"
        f" THEN {Student.Connection.MEDIACENTRE.value} ELSE 0 END)"
    )
    # Only table names and the fixed expression above are interpolated. (As each row is written
    # back, the students' own trigger reads its account again: both give the same bits.)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH accounts AS (SELECT s.id, CASE WHEN u.id IS NULL THEN 0 ELSE {bits} END AS bits "  # noqa: S608
            f"FROM {students} s LEFT JOIN {users} u ON u.id = s.user_id) "
            f"UPDATE {students} SET connection_bits = accounts.bits FROM accounts "
            f"WHERE accounts.id = {students}.id AND {students}.connection_bits <> accounts.bits"
        )
        cursor.execute(f"DELETE FROM {tally}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {tally} ({TALLY_KEY}, students) "  # noqa: S608
            f"SELECT {TALLY_KEY}, COUNT(*) FROM {students} GROUP BY {TALLY_KEY}"
        )
        return cursor.rowcount
