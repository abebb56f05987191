"""ImportJob on the jobs mechanism: its upload becomes a private file (same place), a confirmed
import waits in its own status, the failure's message moves to `error`."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

FAILURE = (
    "L'import a échoué à cause d'une erreur technique : aucun élève n'a été modifié. "
    "Relancez-le ; si le problème persiste, contactez l'assistance."
)


def rows_to_jobs(apps, schema_editor):
    ImportJob = apps.get_model("students", "ImportJob")
    PrivateFile = apps.get_model("jobs", "PrivateFile")
    # Confirmed, not yet taken by a worker: the task still in the queue takes it from here.
    ImportJob.objects.filter(status="importing", import_started_at__isnull=True).update(
        status="confirmed"
    )
    for job in ImportJob.objects.filter(status__in=["pending", "validating", "importing"]):
        job.heartbeat_at = job.updated_at
        job.save(update_fields=["heartbeat_at"])
    for job in ImportJob.objects.filter(status="failed"):
        job.error = (job.errors or [FAILURE])[0]
        job.errors = []
        job.save(update_fields=["error", "errors"])
    retention = settings.STUDENT_IMPORT_PREVIEW_EXPIRY + settings.STUDENT_IMPORT_FILE_RETENTION
    for job in ImportJob.objects.exclude(stored_file=""):
        job.upload = PrivateFile.objects.create(
            organization_id=job.organization_id,
            key=f"student-imports/{job.stored_file}",
            download_name=job.original_name,
            size=job.file_size,
            expires_at=timezone.now() + retention,
        )
        job.save(update_fields=["upload"])


class Migration(migrations.Migration):
    dependencies = [
        ("students", "0012_student_participation_count"),
        ("jobs", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint("importjob", "one_active_student_import_per_school"),
        migrations.RenameField("importjob", "started_by", "requested_by"),
        migrations.AddField(
            model_name="importjob",
            name="error",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="importjob",
            name="heartbeat_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="importjob",
            name="expires_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="importjob",
            name="upload",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="jobs.privatefile"),
        ),
        migrations.AlterField(
            model_name="importjob",
            name="status",
            field=models.CharField(choices=[("pending", "En attente"), ("validating", "Vérification du fichier"), ("ready", "À confirmer"), ("confirmed", "Import en attente"), ("importing", "Import en cours"), ("done", "Réussi"), ("rejected", "Fichier refusé"), ("failed", "Échec"), ("cancelled", "Annulé")], default="pending", max_length=12, verbose_name="état"),
        ),
        migrations.AlterField(
            model_name="importjob",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, db_index=True),
        ),
        migrations.RunPython(rows_to_jobs, migrations.RunPython.noop),
    ]
