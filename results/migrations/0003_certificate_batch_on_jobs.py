"""CertificateBatch on the jobs mechanism; its PDF becomes a private file (same place)."""

from datetime import timedelta
from pathlib import Path

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def files_to_private_files(apps, schema_editor):
    CertificateBatch = apps.get_model("results", "CertificateBatch")
    PrivateFile = apps.get_model("jobs", "PrivateFile")
    CertificateBatch.objects.filter(status__in=["pending", "running"]).update(
        heartbeat_at=timezone.now()
    )
    for batch in CertificateBatch.objects.all():
        batch.progress = 100 if not batch.total else round(100 * batch.done / batch.total)
        key = f"certificates/batch-{batch.pk}.pdf"
        if batch.status == "done" and (Path(settings.PRIVATE_STORAGE_ROOT) / key).exists():
            batch.expires_at = batch.created_at + timedelta(hours=24)
            batch.file = PrivateFile.objects.create(
                organization_id=batch.organization_id,
                key=key,
                download_name=batch.file_name or f"attestations-{batch.pk}.pdf",
                content_type="application/pdf",
                expires_at=batch.expires_at,
            )
        if batch.status == "failed":
            # It held the exception's text: never shown, never kept.
            batch.error = "La production des attestations a échoué. Réessayez."
        batch.save(update_fields=["progress", "expires_at", "file", "error"])


class Migration(migrations.Migration):
    dependencies = [
        ("results", "0002_neutralisation_and_result_emails"),
        ("jobs", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="certificatebatch",
            name="progress",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="progression (%)"),
        ),
        migrations.AddField(
            model_name="certificatebatch",
            name="heartbeat_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="certificatebatch",
            name="expires_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="certificatebatch",
            name="file",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="jobs.privatefile"),
        ),
        migrations.AlterField(
            model_name="certificatebatch",
            name="requested_by",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name="certificatebatch",
            name="status",
            field=models.CharField(choices=[("pending", "En attente"), ("running", "En cours"), ("done", "Terminé"), ("failed", "Échec")], default="pending", max_length=12),
        ),
        migrations.AlterField(
            model_name="certificatebatch",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, db_index=True),
        ),
        migrations.RunPython(files_to_private_files, migrations.RunPython.noop),
    ]
