"""How a student's account logs in, kept on the student (`connection_bits`) and counted by the
class tally, so that the Élèves page counts and filters a connection method as it does a class:
without joining every student of the school to its account.

Triggers keep the bits whatever writes the students or the accounts (bulk updates included):
- a student written with another account (or bits it should not have) takes its account's;
- an account whose identifiant, e-mail or Mediacentre access changes passes its new bits on to
  its students.
The class tally's triggers (0018) then count them with the class and the status."""

from importlib import import_module

from django.db import migrations, models

participation_count = import_module("students.migrations.0012_student_participation_count")
class_tally = import_module("students.migrations.0018_class_tally")

# Student.Connection, frozen here: 1 an account, 2 an identifiant, 4 an e-mail, 8 Mediacentre.
# The same expression on PostgreSQL and SQLite, from an accounts_user row (its alias).
def account_bits(user: str) -> str:
    return (
        f"(1 | CASE WHEN {user}.username IS NOT NULL THEN 2 ELSE 0 END"
        f" | CASE WHEN {user}.email IS NOT NULL THEN 4 ELSE 0 END"
        f" | CASE WHEN {user}.has_mediacentre_access THEN 8 ELSE 0 END)"
    )


STUDENT_BITS = f"""COALESCE(
    (SELECT {account_bits("u")} FROM accounts_user u WHERE u.id = NEW.user_id), 0)"""

KEY = "organization_id, division, certifiability, is_disabled, connection_bits"

POSTGRESQL_TRIGGERS = f"""
CREATE FUNCTION students_connection_bits_of_account() RETURNS trigger AS $$
BEGIN
    NEW.connection_bits := {STUDENT_BITS};
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER students_connection_bits_insert BEFORE INSERT ON students_student
FOR EACH ROW WHEN (NEW.user_id IS NOT NULL OR NEW.connection_bits <> 0)
EXECUTE FUNCTION students_connection_bits_of_account();
CREATE TRIGGER students_connection_bits_update BEFORE UPDATE ON students_student
FOR EACH ROW WHEN (OLD.user_id IS DISTINCT FROM NEW.user_id
                   OR OLD.connection_bits IS DISTINCT FROM NEW.connection_bits)
EXECUTE FUNCTION students_connection_bits_of_account();

CREATE FUNCTION accounts_user_connection_bits_changed() RETURNS trigger AS $$
BEGIN
    UPDATE students_student SET connection_bits = {account_bits("NEW")}
    WHERE user_id = NEW.id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER accounts_user_connection_bits AFTER UPDATE ON accounts_user
FOR EACH ROW WHEN ({account_bits("OLD")} IS DISTINCT FROM {account_bits("NEW")})
EXECUTE FUNCTION accounts_user_connection_bits_changed();

-- The class tally's function of 0018, with the connection bits in its key.
CREATE OR REPLACE FUNCTION students_classtally_changed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO students_classtally ({KEY}, students)
        SELECT {KEY}, COUNT(*) FROM new_rows GROUP BY {KEY};
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO students_classtally ({KEY}, students)
        SELECT {KEY}, -COUNT(*) FROM old_rows GROUP BY {KEY};
    ELSE
        INSERT INTO students_classtally ({KEY}, students)
        SELECT {KEY}, SUM(one)
        FROM (SELECT {KEY}, 1 AS one FROM new_rows
              UNION ALL
              SELECT {KEY}, -1 FROM old_rows) AS both_sides
        GROUP BY {KEY}
        HAVING SUM(one) <> 0;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""
POSTGRESQL_DROP = """
DROP TRIGGER accounts_user_connection_bits ON accounts_user;
DROP FUNCTION accounts_user_connection_bits_changed();
DROP TRIGGER students_connection_bits_insert ON students_student;
DROP TRIGGER students_connection_bits_update ON students_student;
DROP FUNCTION students_connection_bits_of_account();
DROP FUNCTION students_classtally_changed() CASCADE;
"""

# SQLite: AFTER triggers that write the bits back (a trigger does not fire itself again).
SQLITE_STUDENT_BITS = f"""
BEGIN
    UPDATE students_student SET connection_bits = {STUDENT_BITS} WHERE id = NEW.id;
END"""
SQLITE_TALLY_ADDED = f"""
    INSERT INTO students_classtally ({KEY}, students)
    VALUES (NEW.organization_id, NEW.division, NEW.certifiability, NEW.is_disabled,
            NEW.connection_bits, 1);
"""
SQLITE_TALLY_REMOVED = f"""
    INSERT INTO students_classtally ({KEY}, students)
    VALUES (OLD.organization_id, OLD.division, OLD.certifiability, OLD.is_disabled,
            OLD.connection_bits, -1);
"""
SQLITE_TRIGGERS = [
    """CREATE TRIGGER students_connection_bits_insert AFTER INSERT ON students_student
    WHEN NEW.user_id IS NOT NULL OR NEW.connection_bits <> 0"""
    + SQLITE_STUDENT_BITS,
    """CREATE TRIGGER students_connection_bits_update
    AFTER UPDATE OF user_id, connection_bits ON students_student
    WHEN OLD.user_id IS NOT NEW.user_id OR OLD.connection_bits IS NOT NEW.connection_bits"""
    + SQLITE_STUDENT_BITS,
    f"""CREATE TRIGGER accounts_user_connection_bits
    AFTER UPDATE OF username, email, has_mediacentre_access ON accounts_user
    WHEN {account_bits("OLD")} IS NOT {account_bits("NEW")}
    BEGIN
        UPDATE students_student SET connection_bits = {account_bits("NEW")}
        WHERE user_id = NEW.id;
    END""",
    "CREATE TRIGGER students_classtally_insert AFTER INSERT ON students_student BEGIN"
    + SQLITE_TALLY_ADDED
    + "END",
    """CREATE TRIGGER students_classtally_update AFTER UPDATE OF
        organization_id, division, certifiability, is_disabled, connection_bits
    ON students_student
    WHEN OLD.organization_id IS NOT NEW.organization_id OR OLD.division IS NOT NEW.division
      OR OLD.certifiability IS NOT NEW.certifiability OR OLD.is_disabled IS NOT NEW.is_disabled
      OR OLD.connection_bits IS NOT NEW.connection_bits
    BEGIN"""
    + SQLITE_TALLY_REMOVED
    + SQLITE_TALLY_ADDED
    + "END",
    "CREATE TRIGGER students_classtally_delete AFTER DELETE ON students_student BEGIN"
    + SQLITE_TALLY_REMOVED
    + "END",
]
SQLITE_DROP = [
    "DROP TRIGGER students_connection_bits_insert",
    "DROP TRIGGER students_connection_bits_update",
    "DROP TRIGGER accounts_user_connection_bits",
    *class_tally.SQLITE_DROP,
]

# The students' bits from their accounts, then the tally counted afresh with them. A
# migration's step: the portal takes no writes meanwhile (the release step runs it).
BACKFILL = [
    f"""UPDATE students_student SET connection_bits = {account_bits("accounts_user")}
    FROM accounts_user WHERE accounts_user.id = students_student.user_id""",
    "DELETE FROM students_classtally",
    f"""INSERT INTO students_classtally ({KEY}, students)
    SELECT {KEY}, COUNT(*) FROM students_student GROUP BY {KEY}""",
]
# Going back: counted with 0018's key while the column is still there (it is dropped next).
BACKFILL_UNDONE = [
    "DELETE FROM students_classtally",
    """INSERT INTO students_classtally
        (organization_id, division, certifiability, is_disabled, connection_bits, students)
    SELECT organization_id, division, certifiability, is_disabled, 0, COUNT(*)
    FROM students_student GROUP BY organization_id, division, certifiability, is_disabled""",
]


def sqlite_triggers_drop(apps, schema_editor):
    """SQLite adds a column by making the table anew, and fails on the triggers that name it
    meanwhile: 0012's and 0018's are dropped first, and made again afterwards (0018's with the
    new key)."""
    if schema_editor.connection.vendor == "sqlite":
        for statement in participation_count.SQLITE_DROP + class_tally.SQLITE_DROP:
            schema_editor.execute(statement)


def sqlite_triggers_restore(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in participation_count.SQLITE_TRIGGERS + class_tally.SQLITE_TRIGGERS:
            schema_editor.execute(statement)


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_TRIGGERS)
    else:
        for statement in participation_count.SQLITE_TRIGGERS + SQLITE_TRIGGERS:
            schema_editor.execute(statement)
    for statement in BACKFILL:
        schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_DROP)
        schema_editor.execute(class_tally.POSTGRESQL_TRIGGERS)
    else:
        for statement in participation_count.SQLITE_DROP + SQLITE_DROP:
            schema_editor.execute(statement)
    for statement in BACKFILL_UNDONE:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0012_export_entries_relabelled"),
        ("students", "0019_student_list_sort_indexes"),
    ]

    operations = [
        migrations.RunPython(sqlite_triggers_drop, sqlite_triggers_restore),
        migrations.RemoveIndex(
            model_name="classtally",
            name="class_tally_idx",
        ),
        migrations.AddField(
            model_name="classtally",
            name="connection_bits",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="student",
            name="connection_bits",
            field=models.PositiveSmallIntegerField(db_default=0, editable=False),
        ),
        migrations.AddIndex(
            model_name="classtally",
            index=models.Index(
                fields=["organization", "is_disabled", "division", "certifiability"],
                include=("students", "connection_bits"),
                name="class_tally_idx",
            ),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
