"""The trigram index the name search reads on PostgreSQL (students migration 0015)."""

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="GIN indexes need PostgreSQL"),
]


def test_the_folded_names_have_a_trigram_index_within_each_school():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'student_search_trigram_idx'"
        )
        (definition,) = cursor.fetchone()
    assert "USING gin (organization_id, search_name gin_trgm_ops)" in definition
