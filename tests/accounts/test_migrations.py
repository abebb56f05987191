"""Data migrations of accounts, run forward from the state before them."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@pytest.mark.django_db(transaction=True)
def test_profile_imports_logged_before_their_own_action_are_relabelled():
    executor = MigrationExecutor(connection)
    before, after = (
        ("accounts", "0005_auditlog_profiles_imported"),
        ("accounts", "0006_profile_imports_relabelled"),
    )
    executor.migrate([before])
    AuditLog = executor.loader.project_state([before]).apps.get_model("accounts", "AuditLog")
    profiles = AuditLog.objects.create(
        action="students_imported", details={"source": "profils de compétences (CSV)"}
    )
    students = AuditLog.objects.create(action="students_imported", details={"created": 3})

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([after])

    AuditLog = executor.loader.project_state([after]).apps.get_model("accounts", "AuditLog")
    assert AuditLog.objects.get(pk=profiles.pk).action == "profiles_imported"
    assert AuditLog.objects.get(pk=students.pk).action == "students_imported"
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
