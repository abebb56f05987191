"""Second step (its own transaction: PostgreSQL alters no table with pending checks)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("students", "0013_importjob_on_jobs"),
    ]

    operations = [
        migrations.RemoveField("importjob", "stored_file"),
        migrations.RemoveField("importjob", "import_started_at"),
        migrations.RemoveField("importjob", "updated_at"),
        migrations.AddConstraint(
            model_name="importjob",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ["pending", "validating", "ready", "confirmed", "importing"])),
                fields=("organization",),
                name="one_active_student_import_per_school",
            ),
        ),
    ]
