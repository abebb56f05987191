"""The national calendar, moved here from planning with its rows: state only, the table
planning_certificationcalendar is kept as it is."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('certification', '0003_campaigns_and_certifiability'),
        ('planning', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
        migrations.CreateModel(
            name='CertificationCalendar',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('school_year', models.PositiveSmallIntegerField(help_text="2026 pour l'année 2026-2027.", verbose_name='année scolaire (année de la rentrée)')),
                ('kind', models.CharField(choices=[('college', 'Collège'), ('lycee', 'Lycée')], max_length=10, verbose_name='établissements')),
                ('space_opens_on', models.DateField(verbose_name="ouverture de l'espace de certification")),
                ('window_starts_on', models.DateField(verbose_name='début de la période de certification')),
                ('window_ends_on', models.DateField(verbose_name='fin de la période de certification')),
            ],
            options={
                'verbose_name': 'calendrier national',
                'verbose_name_plural': 'calendriers nationaux',
                'db_table': 'planning_certificationcalendar',
                'ordering': ['-school_year', 'kind'],
                'constraints': [models.UniqueConstraint(fields=('school_year', 'kind'), name='one_calendar_per_kind'), models.CheckConstraint(condition=models.Q(('window_starts_on__lte', models.F('window_ends_on')), ('space_opens_on__lte', models.F('window_starts_on'))), name='calendar_dates_in_order')],
            },
        ),
                ],
        ),
    ]
