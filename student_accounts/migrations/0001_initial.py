"""PasswordResetJob, moved here from accounts with its rows: state only, the table
accounts_passwordresetjob is kept as it is."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0011_password_reset_job_moved'),
        ('jobs', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
        migrations.CreateModel(
            name='PasswordResetJob',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('pending', 'En attente'), ('running', 'En cours'), ('done', 'Terminé'), ('failed', 'Échec')], default='pending', max_length=12)),
                ('progress', models.PositiveSmallIntegerField(default=0, verbose_name='progression (%)')),
                ('error', models.TextField(blank=True)),
                ('heartbeat_at', models.DateTimeField(blank=True, null=True)),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                ('finished_at', models.DateTimeField(blank=True, null=True)),
                ('expires_at', models.DateTimeField(blank=True, null=True)),
                ('student_ids', models.JSONField(default=list)),
                ('slips_status', models.CharField(choices=[('pending', 'En préparation'), ('done', 'Prêtes'), ('failed', 'Échec')], default='pending', max_length=10)),
                ('slips_progress', models.PositiveSmallIntegerField(default=0)),
                ('reset_count', models.PositiveIntegerField(default=0)),
                ('identifiants_created_count', models.PositiveIntegerField(default=0)),
                ('skipped_count', models.PositiveIntegerField(default=0)),
                ('csv_file', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='jobs.privatefile')),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.organization')),
                ('requested_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('slips_file', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='jobs.privatefile')),
            ],
            options={
                'verbose_name': 'réinitialisation de mots de passe',
                'verbose_name_plural': 'réinitialisations de mots de passe',
                'db_table': 'accounts_passwordresetjob',
                'ordering': ['-created_at'],
            },
        ),
                ],
        ),
    ]
