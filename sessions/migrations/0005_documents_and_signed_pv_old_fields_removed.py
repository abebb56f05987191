"""Second step (its own transaction: PostgreSQL alters no table with pending checks)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("certif_sessions", "0004_documents_and_signed_pv_on_jobs"),
    ]

    operations = [
        migrations.RemoveField("session", "signed_pv"),
        migrations.RemoveField("session", "signed_pv_content_type"),
        migrations.RenameField("session", "signed_pv_file", "signed_pv"),
        migrations.RemoveField("documentjob", "file"),
        migrations.RenameField("documentjob", "new_file", "file"),
    ]
