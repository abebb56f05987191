"""The benchmarks' national fixture follows the schema: loaded small, each step writes its rows
(a column added to a model without the fixture knowing fails here, not in a benchmark run)."""

import importlib.util
from pathlib import Path

import pytest
from django.db import connection

from conftest import service_unavailable

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).resolve().parent.parent / "bench" / "national_fixture.py"


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
