"""A broker that refuses connections, or accepts them and never answers: every job says "service
indisponible" at once, is failed, and nothing else changes; /health/ answers 503 quickly.

Real sockets, no mocks: a closed port, and a listening socket nobody ever reads.
"""

import socket
import time

import pytest
from django.urls import reverse

from accounts.models import AuditLog, User
from jobs.services import UNAVAILABLE
from pix_portal.celery import app
from students.models import Student
from tests.jobs.actions import JOB_STARTS
from tests.pages import polls

pytestmark = pytest.mark.django_db
# Connection and socket timeouts of 3 s, one retry: well under gunicorn's 30 s.
ENQUEUE_SECONDS = 12


@pytest.fixture
def refused_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return port  # closed again: connecting is refused


@pytest.fixture
def hung_port():
    """Accepts connections (the kernel's backlog) and never answers."""
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen(64)
        yield listening.getsockname()[1]


@pytest.fixture(params=["refused", "hung"])
def broken_broker(request, settings, monkeypatch):
    port = request.getfixturevalue(f"{request.param}_port")
    url = f"redis://127.0.0.1:{port}/0"
    settings.CELERY_BROKER_URL = url
    # Celery reads this variable before its own setting (CI sets it to the real Redis).
    monkeypatch.setenv("CELERY_BROKER_URL", url)
    previous = app.conf.broker_url, app.conf.task_always_eager
    _use_broker(url, eager=False)
    yield request.param
    _use_broker(previous[0], eager=previous[1])


def _use_broker(url, *, eager):
    app.conf.broker_url, app.conf.task_always_eager = url, eager
    # Connections are made anew, to this broker.
    app._pool = None
    app.amqp._producer_pool = None


@pytest.mark.parametrize("kind", JOB_STARTS)
def test_a_job_the_broker_cannot_take_fails_at_once_with_a_french_message_and_changes_nothing(
    kind, broken_broker, alice_client, school, django_capture_on_commit_callbacks
):
    users, logs = User.objects.count(), AuditLog.objects.count()
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        job = JOB_STARTS[kind](alice_client, school)
    assert time.monotonic() - started < ENQUEUE_SECONDS

    job.refresh_from_db()
    assert (job.status, job.error) == ("failed", UNAVAILABLE)
    assert User.objects.count() == users and not Student.objects.filter(user__isnull=False)
    assert AuditLog.objects.count() == logs
    page = alice_client.get(job_url(kind, school, job)).content.decode()
    assert "Le service de traitement est indisponible" in page and not polls(page)


def test_health_answers_quickly_that_the_broker_is_down(broken_broker, client):
    started = time.monotonic()
    response = client.get(reverse("health"))
    assert response.status_code == 503 and response.json()["broker"].startswith("erreur")
    assert time.monotonic() - started < 8


def job_url(kind, school, job):
    if kind == "import":
        return reverse("students:import_job", args=[school.id, job.id])
    if kind == "reset":
        return reverse("student_accounts:job", args=[school.id, job.id])
    if kind == "session_zip":
        return reverse("certif_sessions:document_job", args=[school.id, job.session_id, job.id])
    if kind == "day_pack":
        return reverse("planning:day_pack_job", args=[school.id, job.id])
    return reverse("results:certificate_batch", args=[school.id, job.id])
