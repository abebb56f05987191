"""Health, API documentation and production settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from conftest import service_unavailable

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_health_reports_the_database_and_the_broker(client, settings):
    settings.CELERY_BROKER_URL = ""
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert "non configuré" in response.json()["broker"]


@pytest.mark.django_db
def test_health_says_503_when_the_broker_is_unreachable(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["broker"].startswith("erreur")


@pytest.mark.django_db
def test_the_openapi_schema_and_docs_are_served(client):
    schema = client.get(reverse("api-schema"))
    assert schema.status_code == 200 and b"openapi" in schema.content
    assert client.get(reverse("api-docs")).status_code == 200


def test_pages_send_a_content_security_policy(client, db):
    response = client.get(reverse("accounts:login"))
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"


def test_error_pages_are_in_french(client, db):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_loading_the_pages_does_not_load_pdf_rendering():
    """WeasyPrint costs every web and worker process ~40 MB: only PDF rendering loads it."""
    code = (
        "import django, sys; django.setup(); from django.urls import get_resolver; "
        "get_resolver().url_patterns; print('weasyprint' in sys.modules)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "pix_portal.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "False", result.stdout + result.stderr


@pytest.mark.django_db
def test_postgresql_plans_a_schools_rows_as_read_from_memory_without_parallel_workers():
    """A school's rows are read through indexes (random_page_cost 1.1: at PostgreSQL's default 4,
    the Élèves export read every account of the country); a page's short statements run without
    parallel workers. Both from the settings (PG_RANDOM_PAGE_COST, PG_MAX_PARALLEL_…)."""
    if connection.vendor != "postgresql":
        service_unavailable("réglages de PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"
