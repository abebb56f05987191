import django.db.models.deletion
from django.db import migrations, models

# Every insert, update and delete of a student appends what it changed to the class tally,
# whatever writes it (an import's bulk upserts, the nightly recompute, the admin, a cascade).
# PostgreSQL: one trigger per statement, which adds up the statement's rows (transition
# tables): an import of 100 000 students or a nightly update of 200 000 appends a few rows per
# class, not one per student, and an update that changes no class, status or disabled flag
# (most of them) appends nothing.
POSTGRESQL_TRIGGERS = """
CREATE FUNCTION students_classtally_changed() RETURNS trigger AS $$
BEGIN
    -- Each branch reads only the transition tables its event has.
    IF TG_OP = 'INSERT' THEN
        INSERT INTO students_classtally
            (organization_id, division, certifiability, is_disabled, students)
        SELECT organization_id, division, certifiability, is_disabled, COUNT(*)
        FROM new_rows GROUP BY organization_id, division, certifiability, is_disabled;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO students_classtally
            (organization_id, division, certifiability, is_disabled, students)
        SELECT organization_id, division, certifiability, is_disabled, -COUNT(*)
        FROM old_rows GROUP BY organization_id, division, certifiability, is_disabled;
    ELSE
        INSERT INTO students_classtally
            (organization_id, division, certifiability, is_disabled, students)
        SELECT organization_id, division, certifiability, is_disabled, SUM(one)
        FROM (SELECT organization_id, division, certifiability, is_disabled, 1 AS one
              FROM new_rows
              UNION ALL
              SELECT organization_id, division, certifiability, is_disabled, -1
              FROM old_rows) AS both_sides
        GROUP BY organization_id, division, certifiability, is_disabled
        HAVING SUM(one) <> 0;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER students_classtally_insert AFTER INSERT ON students_student
REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION students_classtally_changed();
CREATE TRIGGER students_classtally_update AFTER UPDATE ON students_student
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION students_classtally_changed();
CREATE TRIGGER students_classtally_delete AFTER DELETE ON students_student
REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION students_classtally_changed();
"""
POSTGRESQL_DROP = """
DROP TRIGGER students_classtally_insert ON students_student;
DROP TRIGGER students_classtally_update ON students_student;
DROP TRIGGER students_classtally_delete ON students_student;
DROP FUNCTION students_classtally_changed();
"""
# SQLite has no statement triggers: one per row (its databases are small), and an update
# appends only when it changes the class, the status or the disabled flag.
SQLITE_ADDED = """
    INSERT INTO students_classtally
        (organization_id, division, certifiability, is_disabled, students)
    VALUES (NEW.organization_id, NEW.division, NEW.certifiability, NEW.is_disabled, 1);
"""
SQLITE_REMOVED = """
    INSERT INTO students_classtally
        (organization_id, division, certifiability, is_disabled, students)
    VALUES (OLD.organization_id, OLD.division, OLD.certifiability, OLD.is_disabled, -1);
"""
SQLITE_TRIGGERS = [
    "CREATE TRIGGER students_classtally_insert AFTER INSERT ON students_student BEGIN"
    + SQLITE_ADDED
    + "END",
    """CREATE TRIGGER students_classtally_update
    AFTER UPDATE OF organization_id, division, certifiability, is_disabled ON students_student
    WHEN OLD.organization_id IS NOT NEW.organization_id OR OLD.division IS NOT NEW.division
      OR OLD.certifiability IS NOT NEW.certifiability OR OLD.is_disabled IS NOT NEW.is_disabled
    BEGIN"""
    + SQLITE_REMOVED
    + SQLITE_ADDED
    + "END",
    "CREATE TRIGGER students_classtally_delete AFTER DELETE ON students_student BEGIN"
    + SQLITE_REMOVED
    + "END",
]
SQLITE_DROP = [
    "DROP TRIGGER students_classtally_insert",
    "DROP TRIGGER students_classtally_update",
    "DROP TRIGGER students_classtally_delete",
]
BACKFILL = """
INSERT INTO students_classtally (organization_id, division, certifiability, is_disabled, students)
SELECT organization_id, division, certifiability, is_disabled, COUNT(*)
FROM students_student GROUP BY organization_id, division, certifiability, is_disabled
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_TRIGGERS)
    else:
        for statement in SQLITE_TRIGGERS:
            schema_editor.execute(statement)
    schema_editor.execute(BACKFILL)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_DROP)
    else:
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0012_export_entries_relabelled"),
        ("students", "0017_student_list_indexes_cover_count"),
    ]

    operations = [
        migrations.CreateModel(
            name="ClassTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("division", models.CharField(max_length=60)),
                ("certifiability", models.CharField(max_length=20)),
                ("is_disabled", models.BooleanField()),
                ("students", models.IntegerField()),
                (
                    "organization",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="accounts.organization",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["organization", "is_disabled", "division", "certifiability"],
                        include=("students",),
                        name="class_tally_idx",
                    )
                ],
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
