"""Second step (its own transaction: PostgreSQL alters no table with pending checks)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("results", "0003_certificate_batch_on_jobs"),
    ]

    operations = [
        migrations.RemoveField("certificatebatch", "done"),
        migrations.RemoveField("certificatebatch", "file_name"),
    ]
