import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0006_profile_imports_relabelled"),
    ]

    operations = [
        migrations.CreateModel(
            name="PrivateFile",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.CharField(max_length=255, unique=True)),
                ("download_name", models.CharField(max_length=255)),
                ("content_type", models.CharField(default="application/octet-stream", max_length=100)),
                ("size", models.PositiveBigIntegerField(default=0)),
                ("encryption_salt", models.CharField(blank=True, max_length=32)),
                ("download_once", models.BooleanField(default=False)),
                ("downloaded_at", models.DateTimeField(blank=True, null=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("expires_at", models.DateTimeField(blank=True, db_index=True, null=True)),
                (
                    "organization",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.organization",
                    ),
                ),
            ],
            options={"verbose_name": "fichier privé", "verbose_name_plural": "fichiers privés"},
        ),
    ]
