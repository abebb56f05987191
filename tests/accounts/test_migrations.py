"""Data migrations of accounts, run forward from the state before them."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def _migrate_to(targets):
    """The database migrated (forwards or back) to `targets`; the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _migrate_to_latest():
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_profile_imports_logged_before_their_own_action_are_relabelled():
    AuditLog = _migrate_to([("accounts", "0005_auditlog_profiles_imported")]).get_model(
        "accounts", "AuditLog"
    )
    profiles = AuditLog.objects.create(
        action="students_imported", details={"source": "profils de compétences (CSV)"}
    )
    students = AuditLog.objects.create(action="students_imported", details={"created": 3})

    AuditLog = _migrate_to([("accounts", "0006_profile_imports_relabelled")]).get_model(
        "accounts", "AuditLog"
    )
    assert AuditLog.objects.get(pk=profiles.pk).action == "profiles_imported"
    assert AuditLog.objects.get(pk=students.pk).action == "students_imported"
    _migrate_to_latest()


@pytest.mark.django_db(transaction=True)
def test_export_entries_are_relabelled_under_one_key():
    AuditLog = _migrate_to([("accounts", "0011_password_reset_job_moved")]).get_model(
        "accounts", "AuditLog"
    )
    results = AuditLog.objects.create(
        action="export", details={"kind": "resultats_xlsx", "division": "3EA", "results": 4}
    )
    students = AuditLog.objects.create(action="export", details={"export": "élèves", "rows": 2})
    slips = AuditLog.objects.create(action="export", details={"export": "password_reset_slips"})
    other = AuditLog.objects.create(action="member_added", details={"kind": "not an export"})

    AuditLog = _migrate_to([("accounts", "0012_export_entries_relabelled")]).get_model(
        "accounts", "AuditLog"
    )
    assert AuditLog.objects.get(pk=results.pk).details == {
        "export": "resultats",
        "format": "xlsx",
        "division": "3EA",
        "results": 4,
    }
    assert AuditLog.objects.get(pk=students.pk).details == {"export": "eleves", "rows": 2}
    assert AuditLog.objects.get(pk=slips.pk).details == {"export": "identifiants_fiches"}
    assert AuditLog.objects.get(pk=other.pk).details == {"kind": "not an export"}
    _migrate_to_latest()


@pytest.mark.django_db(transaction=True)
def test_models_moved_between_apps_keep_their_rows():
    """PasswordResetJob (accounts -> student_accounts) and the national calendar (planning ->
    certification) change app, not table: rows written before the move are read after it."""
    old = _migrate_to([("accounts", "0010_organization_kind"), ("planning", "0001_initial")])
    school = old.get_model("accounts", "Organization").objects.create(
        uai="0750001A", name="Collège", type="SCO"
    )
    old.get_model("accounts", "PasswordResetJob").objects.create(
        organization=school, student_ids=[1, 2], reset_count=2
    )
    old.get_model("planning", "CertificationCalendar").objects.create(
        school_year=2026,
        kind="college",
        space_opens_on="2027-01-04",
        window_starts_on="2027-03-01",
        window_ends_on="2027-05-28",
    )

    new = _migrate_to(
        [("student_accounts", "0001_initial"), ("certification", "0004_calendar_from_planning")]
    )
    job = new.get_model("student_accounts", "PasswordResetJob").objects.get()
    assert job.organization_id == school.pk and job.student_ids == [1, 2]
    calendar = new.get_model("certification", "CertificationCalendar").objects.get()
    assert str(calendar.window_ends_on) == "2027-05-28"
    _migrate_to_latest()
