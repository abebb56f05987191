"""A school's name search reads the school's own rows (students migration 0016): no index spans
every school's names, whose postings would grow with the country, not with the school."""

import pytest
from django.db import connection

from conftest import service_unavailable

pytestmark = pytest.mark.django_db


def test_no_index_over_every_schools_folded_names():
    if connection.vendor != "postgresql":
        service_unavailable("les index de PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'students_student'"
        )
        indexes = dict(cursor.fetchall())
    assert "student_search_trigram_idx" not in indexes
    # Every index reading search_name starts with the school.
    for name, definition in indexes.items():
        if "search_name" in definition:
            assert "(organization_id, " in definition, name
