"""PasswordResetJob now belongs to the student_accounts app. Only Django's picture of the models
changes: the table, its rows and its name (accounts_passwordresetjob) stay as they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0010_organization_kind"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="PasswordResetJob")],
            database_operations=[],
        ),
    ]
