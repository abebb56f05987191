"""Second step (its own transaction: PostgreSQL alters no table with pending checks)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_password_reset_job_on_jobs"),
    ]

    operations = [
        migrations.RemoveField("passwordresetjob", "files_key_salt"),
        migrations.RemoveField("passwordresetjob", "csv_downloaded_at"),
        migrations.RemoveField("passwordresetjob", "slips_downloaded_at"),
    ]
