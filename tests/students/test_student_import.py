"""The import on the database: what it creates, updates, disables, keeps, and never half-does."""

from __future__ import annotations

import datetime
import io

import pytest
from django.db import connection

from accounts.models import AuditLog, Organization
from jobs.files import private_storage
from jobs.models import PrivateFile
from students.imports.parsers import ImportRejected, StudentRow, parse_student_file
from students.imports.services import (
    INTERRUPTED,
    TECHNICAL_FAILURE,
    ImportAlreadyRunning,
    student_import_cancel,
    student_import_confirm,
    student_import_retry,
    student_import_run,
)
from students.models import ImportJob, Student
from tests.factories import OrganizationFactory, StudentFactory, StudentUserFactory
from tests.students.imports import (
    import_from_command,
    students_snapshot,
    upload,
    upload_and_confirm,
)
from tests.students.siecle_files import Eleve, agri_csv, agri_row, siecle_xml, zip_bytes

pytestmark = pytest.mark.django_db


def eleve(number: int, **fields) -> Eleve:
    return Eleve(ine=f"{70_000_000 + number:09d}AA", **fields)


def ine(number: int) -> str:
    return f"{70_000_000 + number:09d}AA"


# What an import creates


def test_it_creates_the_students_of_the_file_with_their_names_intact(school, tmp_path):
    data = siecle_xml(
        [
            eleve(1, last_name="BŒUF", first_name="Anaïs", sex="2", division="3E2"),
            eleve(2, last_name="ŒDIPE", preferred_last_name="CŒUR", birthdate="29/02/2012"),
            eleve(3, country="132", insee=None, department=None, city="GENÈVE"),
        ],
        encoding="ISO-8859-15",
    )

    job = import_from_command(school, data, tmp_path)

    assert (job.status, job.created_count, job.updated_count, job.disabled_count) == (
        ImportJob.Status.DONE,
        3,
        0,
        0,
    )
    anais = Student.objects.get(ine=ine(1))
    assert (anais.last_name, anais.first_name, anais.sex, anais.division) == (
        "BŒUF",
        "Anaïs",
        "F",
        "3E2",
    )
    assert (anais.birthdate, anais.birth_country_code, anais.birth_city_code) == (
        datetime.date(2012, 2, 14),
        "99100",
        "75114",
    )
    oedipe = Student.objects.get(ine=ine(2))
    assert (oedipe.last_name, oedipe.display_last_name, oedipe.birthdate) == (
        "ŒDIPE",
        "CŒUR",
        datetime.date(2012, 2, 29),
    )
    born_abroad = Student.objects.get(ine=ine(3))
    assert (born_abroad.birth_country_code, born_abroad.birth_city_code) == ("99132", "")
    assert born_abroad.birth_city == "GENÈVE"
    assert set(Student.objects.values_list("organization", flat=True)) == {school.id}


def test_it_counts_the_students_it_skips_and_does_not_create_them(school, tmp_path):
    data = siecle_xml(
        [
            eleve(1),
            eleve(2, left_on="10/11/2026"),
            Eleve(ine=None, last_name="SANSINE"),
            eleve(4, division=None),
            eleve(5, division="Inactifs"),
        ]
    )

    job = import_from_command(school, data, tmp_path)

    assert (job.created_count, job.skipped_count) == (1, 4)
    assert list(Student.objects.values_list("ine", flat=True)) == [ine(1)]


def test_an_agricultural_school_imports_its_csv(tmp_path):
    school = OrganizationFactory(uai="0291234K", type=Organization.Type.SCO_AGRI)
    data = agri_csv(
        [agri_row(), agri_row(ine="070803071AK", first_name="Loïc", division="1ERE PRO")],
        encoding="cp1252",
    )

    job = import_from_command(school, data, tmp_path, name="eleves.csv")

    assert (job.status, job.file_format, job.created_count) == ("done", "csv", 2)
    assert Student.objects.get(ine="070803070AJ").last_name == "BŒUF"
    assert Student.objects.get(ine="070803071AK").division == "1ERE PRO"


# Updates, disabling, re-enabling, idempotence


def test_a_second_import_updates_what_changed_and_only_that(school, tmp_path):
    import_from_command(school, siecle_xml([eleve(1), eleve(2), eleve(3)]), tmp_path)
    untouched_before = Student.objects.get(ine=ine(1)).updated_at

    job = import_from_command(
        school,
        siecle_xml([eleve(1), eleve(2, division="3E1"), eleve(3, last_name="MARTIN-DURAND")]),
        tmp_path,
    )

    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 2, 1)
    assert Student.objects.get(ine=ine(2)).division == "3E1"
    assert Student.objects.get(ine=ine(3)).last_name == "MARTIN-DURAND"
    assert Student.objects.get(ine=ine(1)).updated_at == untouched_before


def test_importing_the_same_file_twice_changes_no_row_the_second_time(school, tmp_path):
    data = siecle_xml([eleve(number, division=f"3E{number % 3}") for number in range(30)])
    import_from_command(school, data, tmp_path)
    before = students_snapshot()

    job = import_from_command(school, data, tmp_path)

    assert (job.created_count, job.updated_count, job.disabled_count) == (0, 0, 0)
    assert job.unchanged_count == 30
    assert students_snapshot() == before


def test_students_absent_from_the_file_are_disabled_never_deleted(school, tmp_path):
    import_from_command(school, siecle_xml([eleve(1), eleve(2), eleve(3)]), tmp_path)

    job = import_from_command(school, siecle_xml([eleve(1)]), tmp_path)

    assert job.disabled_count == 2
    assert Student.objects.count() == 3
    assert set(Student.objects.filter(is_disabled=True).values_list("ine", flat=True)) == {
        ine(2),
        ine(3),
    }
    # Disabling is a change once: the next import of the same file changes nothing.
    assert import_from_command(school, siecle_xml([eleve(1)]), tmp_path).disabled_count == 0


def test_a_student_who_reappears_is_enabled_again(school, tmp_path):
    import_from_command(school, siecle_xml([eleve(1), eleve(2)]), tmp_path)
    import_from_command(school, siecle_xml([eleve(1)]), tmp_path)

    job = import_from_command(school, siecle_xml([eleve(1), eleve(2)]), tmp_path)

    assert (job.created_count, job.updated_count) == (0, 1)
    assert not Student.objects.get(ine=ine(2)).is_disabled


def test_account_links_and_certifiability_survive_every_import(school, tmp_path):
    import_from_command(school, siecle_xml([eleve(1), eleve(2)]), tmp_path)
    account = StudentUserFactory()
    profile_date = datetime.datetime(2026, 10, 1, 12, tzinfo=datetime.UTC)
    Student.objects.filter(ine=ine(1)).update(
        user=account,
        certifiability=Student.Certifiability.CERTIFIABLE,
        certifiability_profile_date=profile_date,
    )

    import_from_command(school, siecle_xml([eleve(1, division="3E9"), eleve(2)]), tmp_path)
    import_from_command(school, siecle_xml([eleve(2)]), tmp_path)
    import_from_command(school, siecle_xml([eleve(1), eleve(2)]), tmp_path)

    student = Student.objects.get(ine=ine(1))
    assert (student.user, student.certifiability, student.certifiability_profile_date) == (
        account,
        Student.Certifiability.CERTIFIABLE,
        profile_date,
    )


def test_an_import_only_touches_its_own_school(school, other_school, tmp_path):
    neighbour = StudentFactory(organization=other_school, ine=ine(1))
    before = students_snapshot()

    import_from_command(school, siecle_xml([eleve(1, division="3E9")]), tmp_path)

    neighbour.refresh_from_db()
    assert neighbour.division == "3E2" and not neighbour.is_disabled
    assert [row for row in students_snapshot() if row[0] == neighbour.pk] == [
        row for row in before if row[0] == neighbour.pk
    ]


# Rejections


def test_a_rejected_file_changes_nothing_and_lists_every_problem(school, tmp_path):
    import_from_command(school, siecle_xml([eleve(1), eleve(2)]), tmp_path)
    before = students_snapshot()
    data = siecle_xml([eleve(1), eleve(2, sex=None), eleve(3, birthdate="2012-02-14"), eleve(1)])

    with pytest.raises(ImportRejected) as rejected:
        import_from_command(school, data, tmp_path)

    errors = rejected.value.errors
    assert len(errors) == 3
    assert any(ine(2) in error and "CODE_SEXE" in error for error in errors)
    assert any(ine(3) in error and "2012-02-14" in error for error in errors)
    assert any(ine(1) in error and "figure déjà" in error for error in errors)
    assert students_snapshot() == before
    job = ImportJob.objects.latest("pk")
    assert (job.status, job.errors) == (ImportJob.Status.REJECTED, errors)


def test_the_file_of_another_school_is_rejected(school, tmp_path):
    with pytest.raises(ImportRejected) as rejected:
        import_from_command(school, siecle_xml([eleve(1)], uai="0750002B"), tmp_path)

    assert "0750002B" in rejected.value.errors[0]
    assert not Student.objects.exists()


def test_a_value_longer_than_its_column_is_rejected_naming_the_student(school, tmp_path):
    data = siecle_xml([eleve(1), eleve(2, division="3" * 61)])
    line = (
        parse_student_file(io.BytesIO(siecle_xml([eleve(1), eleve(2)])), expected_uai=school.uai)
        .students[1]
        .line
    )

    with pytest.raises(ImportRejected) as rejected:
        import_from_command(school, data, tmp_path)

    assert rejected.value.errors == [
        f"Élève INE {ine(2)} (ligne {line}) : CODE_STRUCTURE « {'3' * 61} » dépasse 60 caractères."
    ]
    assert not Student.objects.exists()


def test_values_too_long_are_reported_with_the_files_other_problems_at_once(school, tmp_path):
    data = siecle_xml(
        [
            eleve(1, first_name=None),
            eleve(2, last_name="L" * 151),
            eleve(3, sex="7", city="V" * 151),  # two problems on one student
            eleve(4),
        ]
    )

    with pytest.raises(ImportRejected) as rejected:
        import_from_command(school, data, tmp_path)

    errors = rejected.value.errors
    assert len(errors) == 4
    assert f"Élève INE {ine(1)}" in errors[0] and "PRENOM" in errors[0]
    assert f"Élève INE {ine(2)}" in errors[1] and "NOM_DE_FAMILLE" in errors[1]
    assert "dépasse 150 caractères" in errors[1]
    assert f"Élève INE {ine(3)}" in errors[2] and "CODE_SEXE" in errors[2]
    assert errors[3].startswith(f"Élève INE {ine(3)}") and "VILLE_NAISS" in errors[3]


def test_the_parsers_widths_are_the_columns_widths():
    from students.imports.parsers import limits

    assert {
        field: Student._meta.get_field(field).max_length for field in limits.FIELD_MAX_LENGTHS
    } == limits.FIELD_MAX_LENGTHS
    assert set(limits.FIELD_MAX_LENGTHS) == {
        field.name
        for field in StudentRow.__dataclass_fields__.values()
        if field.name not in ("birthdate", "line")
    }


# All or nothing


class FailingInsert:
    """A database trigger that fails the write of one INE: a failure half-way through the
    transaction, after other students were already written in it."""

    def install(self, failing_ine: str) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "CREATE FUNCTION fail_import() RETURNS trigger AS $$ BEGIN "
                    "RAISE EXCEPTION 'panne simulée'; END $$ LANGUAGE plpgsql"
                )
                cursor.execute(
                    "CREATE TRIGGER fail_import BEFORE INSERT ON students_student FOR EACH ROW "
                    f"WHEN (NEW.ine = '{failing_ine}') EXECUTE FUNCTION fail_import()"
                )
            else:
                cursor.execute(
                    "CREATE TRIGGER fail_import BEFORE INSERT ON students_student "
                    f"WHEN NEW.ine = '{failing_ine}' BEGIN SELECT RAISE(ABORT, 'panne'); END"
                )

    def remove(self) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("DROP TRIGGER IF EXISTS fail_import ON students_student")
                cursor.execute("DROP FUNCTION IF EXISTS fail_import()")
            else:
                cursor.execute("DROP TRIGGER IF EXISTS fail_import")


@pytest.fixture
def failing_insert(db):
    trigger = FailingInsert()
    yield trigger
    trigger.remove()


def test_a_write_failing_half_way_leaves_every_student_as_it_was(
    school, alice, tmp_path, failing_insert, django_capture_on_commit_callbacks
):
    import_from_command(school, siecle_xml([eleve(1), eleve(2), eleve(3)]), tmp_path)
    before = students_snapshot()
    imports_logged = AuditLog.objects.filter(action=AuditLog.Action.STUDENTS_IMPORTED).count()
    # Updates one student, disables another, creates three: the last creation fails.
    data = siecle_xml([eleve(1, division="3E9"), eleve(2), eleve(5), eleve(6), eleve(7)])
    failing_insert.install(ine(7))

    job = upload_and_confirm(school, alice, data, django_capture_on_commit_callbacks)

    assert (job.status, job.error) == (ImportJob.Status.FAILED, TECHNICAL_FAILURE)
    assert students_snapshot() == before
    assert (
        AuditLog.objects.filter(action=AuditLog.Action.STUDENTS_IMPORTED).count() == imports_logged
    )
    assert private_storage().exists(job.upload.key), "kept to run it again"


def test_a_failed_import_can_be_run_again(
    school, alice, failing_insert, django_capture_on_commit_callbacks
):
    failing_insert.install(ine(2))
    failed = upload_and_confirm(
        school, alice, siecle_xml([eleve(1), eleve(2)]), django_capture_on_commit_callbacks
    )
    failing_insert.remove()

    with django_capture_on_commit_callbacks(execute=True):
        retried = student_import_retry(job=failed, retried_by=alice)
    retried.refresh_from_db()
    assert retried.status == ImportJob.Status.READY
    with django_capture_on_commit_callbacks(execute=True):
        student_import_confirm(job=retried, confirmed_by=alice)

    key = failed.upload.key
    retried.refresh_from_db()
    assert (retried.status, retried.created_count) == (ImportJob.Status.DONE, 2)
    assert not private_storage().exists(key)


def test_a_second_delivery_of_the_import_task_marks_the_job_failed_and_writes_nothing(
    school, alice, django_capture_on_commit_callbacks
):
    """With acks_late, a worker killed mid-import gets its task delivered again: the first
    attempt's transaction died with it, the job says so and can be run again."""
    job = upload(school, alice, siecle_xml([eleve(1)]), django_capture_on_commit_callbacks)
    student_import_confirm(job=job, confirmed_by=alice)  # queued; its on_commit is not run
    # The first delivery took it, then its worker died.
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.IMPORTING, heartbeat_at=job.created_at
    )

    student_import_run(job_id=job.pk)

    job.refresh_from_db()
    assert (job.status, job.error) == (ImportJob.Status.FAILED, INTERRUPTED)
    assert not Student.objects.exists()
    assert job.upload and private_storage().exists(job.upload.key)


# One import at a time per school


def test_a_second_import_of_the_same_school_is_refused_while_one_is_under_way(
    school, alice, other_school, charlie, django_capture_on_commit_callbacks
):
    first = upload(school, alice, siecle_xml([eleve(1)]), django_capture_on_commit_callbacks)
    assert first.status == ImportJob.Status.READY

    with pytest.raises(ImportAlreadyRunning) as refused:
        upload(school, alice, siecle_xml([eleve(2)]), django_capture_on_commit_callbacks)

    assert refused.value.job == first
    assert ImportJob.objects.filter(organization=school).count() == 1
    neighbour = upload(
        other_school,
        charlie,
        siecle_xml([eleve(3)], uai=other_school.uai),
        django_capture_on_commit_callbacks,
    )
    assert neighbour.status == ImportJob.Status.READY


def test_the_write_waits_for_no_one_it_refuses_when_the_school_is_locked(
    school, alice, django_capture_on_commit_callbacks
):
    """Belt and braces under the one-job-per-school constraint: the write itself takes the
    school's import lock and gives up at once if another connection holds it."""
    if connection.vendor != "postgresql":
        pytest.skip("advisory locks are PostgreSQL's")
    import psycopg

    job = upload(school, alice, siecle_xml([eleve(1)]), django_capture_on_commit_callbacks)
    settings_dict = connection.settings_dict
    with psycopg.connect(
        host=settings_dict["HOST"],
        port=settings_dict["PORT"],
        user=settings_dict["USER"],
        password=settings_dict["PASSWORD"],
        dbname=settings_dict["NAME"],
        autocommit=True,
    ) as other:
        other.execute(
            "SELECT pg_advisory_lock(hashtext('students.import'), %s::integer)", [school.id]
        )
        with django_capture_on_commit_callbacks(execute=True):
            student_import_confirm(job=job, confirmed_by=alice)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert "déjà en cours" in job.error
    assert not Student.objects.exists()


def test_once_an_import_ended_the_next_one_may_start(school, alice, tmp_path):
    import_from_command(school, siecle_xml([eleve(1)]), tmp_path)
    assert import_from_command(school, siecle_xml([eleve(1)]), tmp_path).status == "done"


# Files and the audit log


def test_the_uploaded_file_is_stored_privately_under_a_random_name_and_deleted_when_done(
    school, alice, settings, django_capture_on_commit_callbacks
):
    job = upload(
        school,
        alice,
        siecle_xml([eleve(1)]),
        django_capture_on_commit_callbacks,
        name=f"{ine(1)}.xml",
    )
    key = job.upload.key

    assert private_storage().exists(key) and ine(1) not in key
    with django_capture_on_commit_callbacks(execute=True):
        student_import_confirm(job=job, confirmed_by=alice)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert job.upload is None and not private_storage().exists(key)
    assert not PrivateFile.objects.exists()


def test_a_rejected_or_cancelled_file_is_deleted_at_once(
    school, alice, settings, django_capture_on_commit_callbacks
):
    rejected = upload(
        school, alice, siecle_xml([eleve(1)], uai="0750002B"), django_capture_on_commit_callbacks
    )
    assert rejected.status == ImportJob.Status.REJECTED and rejected.upload is None
    ready = upload(school, alice, siecle_xml([eleve(1)]), django_capture_on_commit_callbacks)
    key = ready.upload.key

    student_import_cancel(job=ready)

    ready.refresh_from_db()
    assert ready.status == ImportJob.Status.CANCELLED and not private_storage().exists(key)
    assert not Student.objects.exists()
    assert not PrivateFile.objects.exists()


def test_the_audit_log_records_the_import_with_counts_and_no_student_data(
    school, alice, django_capture_on_commit_callbacks
):
    data = zip_bytes([("ElevesSansAdresses.xml", siecle_xml([eleve(1), eleve(2)]))])

    job = upload_and_confirm(school, alice, data, django_capture_on_commit_callbacks)

    entry = AuditLog.objects.get(action=AuditLog.Action.STUDENTS_IMPORTED)
    assert (entry.actor, entry.organization) == (alice, school)
    assert entry.details == {
        "job_id": job.pk,
        "file_format": "zip",
        "created_count": 2,
        "updated_count": 0,
        "disabled_count": 0,
        "unchanged_count": 0,
        "skipped_count": 0,
    }


# The preview


def test_the_preview_shows_what_the_import_will_do_before_doing_it(
    school, alice, tmp_path, django_capture_on_commit_callbacks
):
    import_from_command(
        school, siecle_xml([eleve(1, division="4E1"), eleve(2), eleve(3)]), tmp_path
    )
    before = students_snapshot()
    data = siecle_xml(
        [
            eleve(1, division="3E1", last_name="DUPONT"),
            eleve(2),
            eleve(4, last_name="NOUVEAU", first_name="Noé"),
            eleve(5, left_on="01/10/2026", last_name="PARTI", first_name="Paul"),
        ]
    )

    job = upload(school, alice, data, django_capture_on_commit_callbacks)

    assert students_snapshot() == before
    preview = job.preview
    assert preview["counts"] == {
        "created": 1,
        "updated": 1,
        "disabled": 1,
        "unchanged": 1,
        "skipped": 1,
        "kept": 3,
    }
    assert preview["updates"] == [
        {
            "name": "DUPONT Hugo — 3E1",
            "changes": [
                {"field": "Nom de famille", "old": "MARTIN", "new": "DUPONT"},
                {"field": "Classe", "old": "4E1", "new": "3E1"},
            ],
        }
    ]
    assert preview["creates"] == ["NOUVEAU Noé — 3E2"]
    assert preview["disables"] == ["MARTIN Hugo — 3E2"]
    assert preview["skipped"] == [
        {"name": "PARTI Paul", "reason": "a quitté l'établissement (date de sortie)"}
    ]
    assert preview["divisions"] == [{"name": "3E1", "count": 1}, {"name": "3E2", "count": 2}]

    with django_capture_on_commit_callbacks(execute=True):
        student_import_confirm(job=job, confirmed_by=alice)
    job.refresh_from_db()
    assert (job.created_count, job.updated_count, job.disabled_count, job.skipped_count) == (
        1,
        1,
        1,
        1,
    )
    # Once done, the job keeps counts and classes, not the names the preview listed.
    assert set(job.preview) == {"school_year", "divisions"}


def test_a_re_enabled_student_shows_as_an_update_in_the_preview(
    school, alice, tmp_path, django_capture_on_commit_callbacks
):
    import_from_command(school, siecle_xml([eleve(1), eleve(2)]), tmp_path)
    import_from_command(school, siecle_xml([eleve(1)]), tmp_path)

    job = upload(
        school, alice, siecle_xml([eleve(1), eleve(2)]), django_capture_on_commit_callbacks
    )

    assert job.preview["updates"] == [
        {
            "name": "MARTIN Hugo — 3E2",
            "changes": [{"field": "Réactivé", "old": "désactivé", "new": "actif"}],
        }
    ]
