"""API errors are JSON in the documented shape; hostile bodies give 4xx, never 500; request
bodies are capped for every view before anything reads them."""

import json

import jsonschema
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import IntegrationToken
from results.models import CertificationResult
from tests.results.factories import finalized_session, present_candidate

pytestmark = pytest.mark.django_db

TOKEN = "cle-integration-de-test-0123456789"
AUTH = {"HTTP_AUTHORIZATION": f"Token {TOKEN}"}


@pytest.fixture
def session(school):
    IntegrationToken.objects.create(
        name="Plateforme", organization=school, key_hash=IntegrationToken.hash_key(TOKEN)
    )
    session = finalized_session(school)
    present_candidate(session)
    return session


def post_results(client, session, body: str, **extra):
    return client.post(
        reverse("api-session-results", args=[session.pk]),
        body,
        content_type="application/json",
        **{**AUTH, **extra},
    )


def errors_schema(client) -> dict:
    schema = json.loads(client.get(reverse("api-schema"), {"format": "json"}).content)
    return {**schema["components"]["schemas"]["ApiErrors"], "components": schema["components"]}


def test_deeply_nested_json_is_a_400_not_a_crash(client, session):
    response = post_results(client, session, "[" * 100_000 + "]" * 100_000)
    assert response.status_code == 400
    assert response.json() == {"errors": ["JSON invalide : structure imbriquée trop profonde."]}


def test_an_oversized_api_body_is_a_json_413_read_no_further(client, session, settings):
    # The declared length decides: a 60 MB body is refused before a byte of it is read.
    response = post_results(client, session, "{}", CONTENT_LENGTH=str(60 * 1024 * 1024))
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"errors": ["La requête dépasse la taille autorisée (5 Mo)."]}


@pytest.mark.parametrize(
    "body",
    [
        '{"candidates": [{"candidate_id": "x", "profile": 3, "answers": [{}]}]}',
        '{"candidates": []}',
        "pas du json",
        "[]",
    ],
)
def test_every_400_body_matches_the_documented_schema(client, session, body):
    response = post_results(client, session, body)
    assert response.status_code == 400
    jsonschema.validate(response.json(), errors_schema(client))
    assert all(isinstance(message, str) for message in response.json()["errors"])


def test_a_field_error_names_its_field(client, session):
    body = {"candidates": [{"candidate_id": "x", "profile": [], "answers": []}]}
    response = post_results(client, session, json.dumps(body))
    assert response.json()["errors"] == [
        "candidates[0].candidate_id : Un nombre entier valide est requis."
    ]


@pytest.mark.parametrize(
    ("path", "headers", "status"),
    [
        ("/api/nulle-part/", AUTH, 404),
        ("/api/sessions/999999/results/", AUTH, 404),
        ("/api/sessions/999999/results/", {"HTTP_AUTHORIZATION": "Token faux"}, 401),
        ("/api/sessions/999999/results/", {}, 401),
    ],
)
def test_api_errors_are_json(client, session, path, headers, status):
    response = client.post(path, "{}", content_type="application/json", **headers)
    assert response.status_code in (status, 403)
    assert response["Content-Type"] == "application/json"
    jsonschema.validate(response.json(), errors_schema(client))
    assert not CertificationResult.objects.exists()


def test_an_anonymous_200_mb_upload_to_the_verification_page_is_refused_unread(client):
    # The payload is tiny: if anything tried to read the declared 200 MB, the test client's
    # payload would fail the test.
    response = client.post(
        "/verification/",
        {"code": "P-XXXXXXXX", "file": SimpleUploadedFile("gros.bin", b"x" * 100)},
        CONTENT_LENGTH=str(200 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "La requête dépasse la taille autorisée (1 Mo)." in response.content.decode()


def test_signed_in_staff_may_send_a_full_size_upload_but_not_more(alice_client, school, settings):
    url = reverse("certification:profiles_import", args=[school.id])
    over = alice_client.post(
        url, {"file": SimpleUploadedFile("p.csv", b"INE")}, CONTENT_LENGTH=str(22 * 1024 * 1024)
    )
    assert over.status_code == 413
    assert (
        alice_client.post(url, {"file": SimpleUploadedFile("p.csv", b"INE\n")}).status_code == 200
    )
