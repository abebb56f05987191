"""PasswordResetJob on the jobs mechanism: its CSV and slips become private files.

Files written before stay readable: same place (the filesystem storage's root), same key
derivation, the job's salt now on each file.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

NAMES = {"csv": ("password_reset.csv", "text/csv; charset=utf-8"),
         "slips": ("fiches_de_connexion.pdf", "application/pdf")}


def files_to_private_files(apps, schema_editor):
    PasswordResetJob = apps.get_model("accounts", "PasswordResetJob")
    PrivateFile = apps.get_model("jobs", "PrivateFile")
    now = timezone.now()
    PasswordResetJob.objects.filter(status__in=["pending", "running"]).update(heartbeat_at=now)
    for job in PasswordResetJob.objects.filter(status="done", expires_at__gt=now).select_related(
        "organization"
    ):
        stamp = timezone.localtime(job.finished_at).strftime("%Y%m%d_%H%M")
        for kind, (suffix, content_type) in NAMES.items():
            downloaded_at = job.csv_downloaded_at if kind == "csv" else job.slips_downloaded_at
            if kind == "slips" and job.slips_status != "done":
                continue
            private_file = PrivateFile.objects.create(
                organization_id=job.organization_id,
                key=f"password_resets/{job.pk}-{kind}.bin",
                download_name=f"{stamp}_{job.organization.uai}_{suffix}",
                content_type=content_type,
                encryption_salt=job.files_key_salt,
                download_once=True,
                downloaded_at=downloaded_at,
                expires_at=job.expires_at,
            )
            setattr(job, f"{kind}_file", private_file)
        job.save(update_fields=["csv_file", "slips_file"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_auditlog_jury_and_tokens"),
        ("jobs", "0001_initial"),
    ]

    operations = [
        migrations.RenameField("passwordresetjob", "files_expire_at", "expires_at"),
        migrations.AddField(
            model_name="passwordresetjob",
            name="heartbeat_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="passwordresetjob",
            name="csv_file",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="jobs.privatefile"),
        ),
        migrations.AddField(
            model_name="passwordresetjob",
            name="slips_file",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="jobs.privatefile"),
        ),
        migrations.AlterField(
            model_name="passwordresetjob",
            name="requested_by",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name="passwordresetjob",
            name="status",
            field=models.CharField(choices=[("pending", "En attente"), ("running", "En cours"), ("done", "Terminé"), ("failed", "Échec")], default="pending", max_length=12),
        ),
        migrations.AlterField(
            model_name="passwordresetjob",
            name="progress",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="progression (%)"),
        ),
        migrations.AlterField(
            model_name="passwordresetjob",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, db_index=True),
        ),
        migrations.RunPython(files_to_private_files, migrations.RunPython.noop),
    ]
