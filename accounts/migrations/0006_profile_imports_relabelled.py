from django.db import migrations

PROFILES_SOURCE = "profils de compétences (CSV)"


def profile_imports_relabelled(apps, schema_editor):
    # Before 0005, a profiles CSV import was logged as a students import (with this source).
    AuditLog = apps.get_model("accounts", "AuditLog")
    AuditLog.objects.filter(action="students_imported", details__source=PROFILES_SOURCE).update(
        action="profiles_imported"
    )


def profile_imports_labelled_as_before(apps, schema_editor):
    AuditLog = apps.get_model("accounts", "AuditLog")
    AuditLog.objects.filter(action="profiles_imported").update(action="students_imported")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_auditlog_profiles_imported")]

    operations = [
        migrations.RunPython(profile_imports_relabelled, profile_imports_labelled_as_before),
    ]
