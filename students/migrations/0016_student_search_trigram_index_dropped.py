"""The trigram index of migration 0015 is dropped: measured on a database holding a national
volume of students (bench/national_fixture.py, 1 M students in 2 000 schools), it made a search
of a real-sized school read the postings of every school's matching names (« lefevre » 19.7 ms
without it, 38.0 ms with it, 19.4–25.3 ms on an empty database). A school's search reads the
school's own rows through the (organization_id, …) indexes: its cost follows the school, never the
country. The extensions stay (other objects may use them)."""

from django.db import migrations

INDEX = "student_search_trigram_idx"


def index_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


def index_create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON students_student "
            "USING gin (organization_id, search_name gin_trgm_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("students", "0015_student_search_trigram_index"),
    ]

    operations = [migrations.RunPython(index_drop, index_create, elidable=False)]
