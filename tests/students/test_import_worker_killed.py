"""A real Celery worker (PostgreSQL + Redis) killed with SIGKILL in the middle of an import.

The import is caught mid-transaction deterministically: this test holds a row lock on one of
the students the import updates, and waits until the worker's database session is blocked on
it, after it has already written other students in its transaction.
"""

import os
import signal
import time
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from students.imports.services import (
    INTERRUPTED,
    student_import_confirm,
    student_import_from_path,
    student_import_retry,
    student_import_siecle,
)
from students.models import ImportJob, Student
from tests.celery_worker import celery_worker_started
from tests.students.imports import students_snapshot
from tests.students.siecle_files import Eleve, siecle_xml

STUDENTS = 400
LOCKED_INE = f"{70_000_000 + STUDENTS - 1:09d}AA"


def eleves(division: str) -> list[Eleve]:
    return [
        Eleve(ine=f"{70_000_000 + number:09d}AA", division=division) for number in range(STUDENTS)
    ]


def wait_for(condition, what: str, worker=None, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        if worker is not None and worker.poll() is not None:
            pytest.fail(f"le worker s'est arrêté : {worker.stdout.read()}")
        if time.monotonic() > deadline:
            output = ""
            if worker is not None:
                worker.kill()
                output = worker.stdout.read()
            pytest.fail(f"délai dépassé : {what}\n{output}")
        time.sleep(0.1)
    return value


@pytest.fixture
def real_worker(transactional_db, settings):
    # Even this small file goes through the parse split over processes, in the pool child.
    with celery_worker_started(
        settings, pool="prefork", STUDENT_IMPORT_PARALLEL_MIN_BYTES="0"
    ) as worker:
        yield worker


@contextmanager
def row_locked(ine: str):
    """Another database session holding a lock on one student row."""
    db = connection.settings_dict
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"]
    ) as other:
        other.execute("SELECT 1 FROM students_student WHERE ine = %s FOR UPDATE", [ine])
        yield
        other.rollback()


def blocked_import_session() -> int | None:
    """The pid of the worker's session waiting on our lock inside its import transaction."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND query LIKE '%%UPDATE students_student%%' AND datname = current_database()"
        )
        row = cursor.fetchone()
    return row[0] if row else None


def session_alive(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone() is not None


def pool_child(worker) -> int:
    children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children").read_text().split()
    return int(children[0]) if children else 0


def job_status(job: ImportJob) -> str:
    job.refresh_from_db()
    return job.status


def test_a_worker_killed_mid_import_leaves_the_students_intact_and_the_job_failed(
    real_worker, school, alice, tmp_path
):
    seed = tmp_path / "rentree.xml"
    seed.write_bytes(siecle_xml(eleves("4E1")))
    student_import_from_path(organization=school, path=seed)
    before = students_snapshot()
    moved_up = siecle_xml(eleves("3E1"))

    job = student_import_siecle(
        organization=school,
        upload=SimpleUploadedFile("ElevesSansAdresses.xml", moved_up),
        started_by=alice,
    )
    wait_for(lambda: job_status(job) == ImportJob.Status.READY, "validation", real_worker)
    with row_locked(LOCKED_INE):
        student_import_confirm(job=job, confirmed_by=alice)
        session = wait_for(blocked_import_session, "import bloqué sur le verrou", real_worker)
        child = pool_child(real_worker)
        os.kill(child, signal.SIGKILL)
        # acks_late + reject_on_worker_lost: the task comes back to a new pool process, which
        # finds the import already started by a dead one.
        wait_for(lambda: job_status(job) == ImportJob.Status.FAILED, "job en échec", real_worker)
    wait_for(lambda: not session_alive(session), "fin de la session du worker tué")

    assert job.error == INTERRUPTED
    assert students_snapshot() == before
    assert set(Student.objects.values_list("division", flat=True)) == {"4E1"}

    retried = student_import_retry(job=job, retried_by=alice)
    wait_for(lambda: job_status(retried) == ImportJob.Status.READY, "validation", real_worker)
    student_import_confirm(job=retried, confirmed_by=alice)
    wait_for(lambda: job_status(retried) == ImportJob.Status.DONE, "import relancé", real_worker)

    assert retried.updated_count == STUDENTS
    assert set(Student.objects.values_list("division", flat=True)) == {"3E1"}
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
