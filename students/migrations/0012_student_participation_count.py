from django.conf import settings
from django.db import migrations, models

# The count follows every insert and delete of a participation, whatever writes it (the share
# service, the admin, a cascade, a bulk load).
POSTGRESQL_TRIGGER = """
CREATE FUNCTION student_participation_count() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE students_student SET participation_count = participation_count + 1
        WHERE id = NEW.student_id;
    ELSE
        UPDATE students_student SET participation_count = participation_count - 1
        WHERE id = OLD.student_id;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER student_participation_count
AFTER INSERT OR DELETE ON certification_campaignparticipation
FOR EACH ROW EXECUTE FUNCTION student_participation_count();
"""
POSTGRESQL_DROP = """
DROP TRIGGER student_participation_count ON certification_campaignparticipation;
DROP FUNCTION student_participation_count();
"""
SQLITE_TRIGGERS = [
    """
    CREATE TRIGGER student_participation_added AFTER INSERT ON certification_campaignparticipation
    BEGIN
        UPDATE students_student SET participation_count = participation_count + 1
        WHERE id = NEW.student_id;
    END
    """,
    """
    CREATE TRIGGER student_participation_removed AFTER DELETE
    ON certification_campaignparticipation
    BEGIN
        UPDATE students_student SET participation_count = participation_count - 1
        WHERE id = OLD.student_id;
    END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER student_participation_added",
    "DROP TRIGGER student_participation_removed",
]
BACKFILL = """
UPDATE students_student SET participation_count = (
    SELECT COUNT(*) FROM certification_campaignparticipation p
    WHERE p.student_id = students_student.id
)
WHERE id IN (SELECT student_id FROM certification_campaignparticipation)
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_TRIGGER)
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
        ("accounts", "0006_profile_imports_relabelled"),
        ("certification", "0003_campaigns_and_certifiability"),
        ("students", "0011_student_organization_no_lone_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="student",
            name="participation_count",
            field=models.PositiveIntegerField(db_default=0, editable=False),
        ),
        migrations.AddIndex(
            model_name="student",
            index=models.Index(
                fields=["organization", "participation_count", "search_name"],
                name="student_participations_idx",
            ),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
