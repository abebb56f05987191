"""The national calendar now belongs to certification. Only Django's picture of the models
changes: the table planning_certificationcalendar and its rows stay as they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0001_initial"),
        ("certification", "0004_calendar_from_planning"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="CertificationCalendar")],
            database_operations=[],
        ),
    ]
