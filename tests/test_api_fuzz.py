"""Schemathesis fuzzes the API from its own OpenAPI schema (/api/schema/): a few hundred cases,
with a valid integration token and the ids of real objects so that bodies reach the
serializers and services. Any 5xx, or an answer that contradicts the schema, fails."""

from datetime import UTC, datetime

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from accounts.models import IntegrationToken
from tests.factories import StudentFactory, StudentUserFactory, profile_with_levels
from tests.results.factories import finalized_session, present_candidate

pytestmark = pytest.mark.django_db

TOKEN = "cle-integration-de-fuzz-0123456789"
# Four operations (profile GET and PUT, session results GET and POST): 300 cases in all.
EXAMPLES_PER_OPERATION = 75


@pytest.fixture
def real_ids(school):
    IntegrationToken.objects.create(
        name="Fuzz", organization=school, key_hash=IntegrationToken.hash_key(TOKEN)
    )
    session = finalized_session(school)
    present_candidate(session)
    account = StudentUserFactory()
    StudentFactory(organization=school, user=account)
    profile_with_levels(account, [1] * 5, computed_at=datetime(2026, 1, 1, tzinfo=UTC))
    return {"session_id": session.pk, "user_id": account.pk}


@pytest.fixture
def wsgi_app():
    """Django's WSGI handler, minus what closes the test's database connection after each
    request (on PostgreSQL that would end the test's transaction; Django's test client does
    the same)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_the_api_never_answers_5xx_and_keeps_to_its_schema(wsgi_app, real_ids):
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 4

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def call(case):
            # Random ids only meet 404s: the real ones let the fuzzed bodies reach the code.
            for name in case.path_parameters or {}:
                if name in real_ids:
                    case.path_parameters[name] = real_ids[name]
            case.call_and_validate(
                headers={"Authorization": f"Token {TOKEN}"},
                checks=[not_a_server_error, response_schema_conformance],
            )

        call()
