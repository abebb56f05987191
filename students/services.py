"""Writes of the students app beyond imports (students/imports/services.py)."""

from django.db import connection, transaction

from .models import ClassTally, Student


@transaction.atomic
def class_tally_rebuild() -> int:
    """Counts every school's students afresh into the class tally; its number of rows.

    The database's triggers keep the tally in step with every write; only a load that skips
    triggers (`session_replication_role = replica`, a restore with `--disable-triggers`) needs
    this, afterwards: `manage.py class_tally_rebuild`."""
    tally, students = ClassTally._meta.db_table, Student._meta.db_table
    key = "organization_id, division, certifiability, is_disabled"
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {tally}")  # noqa: S608 (table names from the models)
        cursor.execute(
            f"INSERT INTO {tally} ({key}, students) "  # noqa: S608 (table names from the models)
            f"SELECT {key}, COUNT(*) FROM {students} GROUP BY {key}"
        )
        return cursor.rowcount
