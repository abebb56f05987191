"""Export entries of the audit log say what was exported under one key, `export`, with one value
per kind of export (AuditLog.Export). Earlier entries used two keys (`export` and `kind`) and
free labels: they are relabelled, and nothing else changes."""

from django.db import migrations

OLD_LABELS = {
    "élèves": "eleves",
    "participants de campagne": "participants_campagne",
    "session_document": "document_session",
    "day_pack": "pochette_du_jour",
    "password_reset_csv": "identifiants_csv",
    "password_reset_slips": "identifiants_fiches",
    "attestation": "attestation",
    "attestations": "attestations",
    "resultats_csv": "resultats",
    "resultats_xlsx": "resultats",
}


def relabel(apps, schema_editor):
    AuditLog = apps.get_model("accounts", "AuditLog")
    for entry in AuditLog.objects.filter(action="export").iterator():
        details = dict(entry.details)
        old = details.pop("kind", None) or details.get("export")
        if old not in OLD_LABELS:
            continue
        details["export"] = OLD_LABELS[old]
        if old.startswith("resultats_"):
            details.setdefault("format", old.removeprefix("resultats_"))
        if details != entry.details:
            entry.details = details
            entry.save(update_fields=["details"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0011_password_reset_job_moved"),
    ]

    operations = [migrations.RunPython(relabel, migrations.RunPython.noop)]
