"""DocumentJob on the jobs mechanism; generated documents and signed PVs become private files.

The files stay where they are: the old storage and the filesystem private storage share their
root, so the old names are the new keys.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

def files_to_private_files(apps, schema_editor):
    Session = apps.get_model("certif_sessions", "Session")
    DocumentJob = apps.get_model("certif_sessions", "DocumentJob")
    PrivateFile = apps.get_model("jobs", "PrivateFile")
    for session in Session.objects.exclude(signed_pv=""):
        extension = session.signed_pv.name.rsplit(".", 1)[-1]
        session.signed_pv_file = PrivateFile.objects.create(
            organization_id=session.organization_id,
            key=session.signed_pv.name,
            download_name=f"session-{session.pk}-pv-signe.{extension}",
            content_type=session.signed_pv_content_type or "application/octet-stream",
        )
        session.save(update_fields=["signed_pv_file"])
    now = timezone.now()
    DocumentJob.objects.filter(status__in=["pending", "running"]).update(heartbeat_at=now)
    for job in DocumentJob.objects.exclude(file=""):
        expires_at = job.created_at + settings.SESSION_DOCUMENT_RETENTION
        extension = job.file.name.rsplit(".", 1)[-1]
        job.new_file = PrivateFile.objects.create(
            organization_id=job.organization_id,
            key=job.file.name,
            download_name=f"session-{job.session_id}-{job.document}.{extension}",
            content_type="application/zip" if extension == "zip" else "application/pdf",
            expires_at=expires_at,
        )
        job.expires_at = expires_at
        job.save(update_fields=["new_file", "expires_at"])

class Migration(migrations.Migration):
    dependencies = [
        ("certif_sessions", "0003_finalisation_issue_reports_document_jobs"),
        ("jobs", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="session",
            name="signed_pv_file",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="jobs.privatefile", verbose_name="PV de session signé (scan)"),
        ),
        migrations.RenameField("documentjob", "created_by", "requested_by"),
        migrations.AddField(
            model_name="documentjob",
            name="new_file",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="jobs.privatefile"),
        ),
        migrations.AddField(
            model_name="documentjob",
            name="heartbeat_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="documentjob",
            name="expires_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="documentjob",
            name="status",
            field=models.CharField(choices=[("pending", "En attente"), ("running", "En cours"), ("done", "Terminé"), ("failed", "Échec")], default="pending", max_length=12),
        ),
        migrations.AlterField(
            model_name="documentjob",
            name="progress",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="progression (%)"),
        ),
        migrations.RunPython(files_to_private_files, migrations.RunPython.noop),
    ]
