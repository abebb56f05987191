"""A real Celery worker in a subprocess, sharing the test database and media (CI only).

Skips locally without a broker (`conftest.service_unavailable`): fails in CI, where
REQUIRE_SERVICES=1.
"""

import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

from conftest import service_unavailable
from pix_portal.celery import app

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def celery_worker_started(settings, *, pool: str = "solo", cwd: Path = ROOT, **extra_env: str):
    """Yield the worker's Popen; the in-process app enqueues to the same broker meanwhile.

    `cwd` and `extra_env` (MEDIA_ROOT…) can make it another host: it then shares only the
    database, the broker and the private storage's object store with this process."""
    broker_url = os.environ.get("CELERY_BROKER_URL")
    if not broker_url:
        service_unavailable("CELERY_BROKER_URL n'est pas défini : pas de worker Celery réel")
    if connection.vendor != "postgresql":
        service_unavailable("le worker a besoin d'une base partagée (PostgreSQL)")
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pix_portal.settings.base",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": broker_url,
        # Files the worker writes (one-time files are encrypted with SECRET_KEY) are read here.
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "SECRET_KEY": settings.SECRET_KEY,
        "PYTHONPATH": str(ROOT),
        **extra_env,
    }
    app.conf.broker_url = broker_url
    app.conf.task_always_eager = False
    with app.connection_for_write() as conn:
        conn.default_channel.client.flushdb()
    worker = subprocess.Popen(
        [
            sys.executable,
            *("-m", "celery", "-A", "pix_portal", "worker", f"--pool={pool}", "--concurrency=1"),
            *("--loglevel=WARNING", "--without-heartbeat", "--without-gossip", "--without-mingle"),
        ],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield worker
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
