"""The benchmarks' SQL follows the schema: the national fixture and the measured school are
loaded small and each step writes its rows (a column added to a model without the benchmarks
knowing fails here, not in a benchmark run)."""

import ast
import importlib.util
from pathlib import Path

import pytest
from django.db import connection

from conftest import service_unavailable
from students.models import Student
from tests.students.test_connection_bits import bits_of

pytestmark = pytest.mark.django_db

BENCH = Path(__file__).resolve().parent.parent / "bench"
FIXTURE = BENCH / "national_fixture.py"


def _national_fixture():
    spec = importlib.util.spec_from_file_location("national_fixture", FIXTURE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_step_of_the_national_fixture_loads_on_the_current_schema():
    if connection.vendor != "postgresql":
        service_unavailable("le jeu national des bancs d'essai demande PostgreSQL")
    fixture = _national_fixture()
    params = {"students": 700, "schools": 4, "per_class": fixture.PER_CLASS}
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        for label, sql in fixture.STEPS:
            cursor.execute(sql, params)
            assert cursor.rowcount > 0, label
        cursor.execute("SELECT count(*) FROM students_student WHERE ine LIKE '%%NA'")
        assert cursor.fetchone()[0] == 700
    # The connection methods it writes itself (its load skips the triggers) are the accounts'.
    students = Student.objects.filter(ine__endswith="NA").select_related("user")
    assert {student.connection_bits for student in students} == {0, 3, 11}
    for student in students:
        assert student.connection_bits == bits_of(student.user)


def _literals(path: Path, *names: str) -> dict:
    """Module-level constants of a benchmark, read without running it (it sets up Django its
    own way)."""
    tree = ast.parse(path.read_text())
    return {
        node.targets[0].id: ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.targets[0], ast.Name)
        and node.targets[0].id in names
    }


def test_the_measured_school_of_bench_pages_loads_on_the_current_schema(school):
    if connection.vendor != "postgresql":
        service_unavailable("les bancs d'essai des pages demandent PostgreSQL")
    sql = _literals(BENCH / "bench_pages.py", "SCHOOL_SQL", "RESULTS_SQL")
    params = {"size": 350, "org": school.pk, "classes": 10}
    with connection.cursor() as cursor:
        for statement in sql["SCHOOL_SQL"] + sql["RESULTS_SQL"]:
            cursor.execute(statement, params)
            assert cursor.rowcount > 0, statement
