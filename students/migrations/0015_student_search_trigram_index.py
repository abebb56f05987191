"""A trigram index on the folded names, so that searching « lefevre » reads the students who
match instead of every student of the school (PostgreSQL only: SQLite has no GIN indexes).

pg_trgm and btree_gin are trusted extensions (PostgreSQL ≥ 13): the database's owner may create
them. btree_gin puts the school's id in the same index, so that a search stays within the school
however many students the other schools have. Going back drops the index, not the extensions
(other objects may use them)."""

from django.db import migrations

INDEX = "student_search_trigram_idx"


def index_create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON students_student "
            "USING gin (organization_id, search_name gin_trgm_ops)"
        )


def index_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("students", "0014_importjob_old_fields_removed"),
    ]

    operations = [migrations.RunPython(index_create, index_drop, elidable=False)]
