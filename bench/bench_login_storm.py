"""Classroom login storm: 35 students log in within the same second (their slips in hand).

Starts gunicorn on 127.0.0.1 (a free port, 3 workers like docker-compose) against PostgreSQL,
gives 35 student accounts a one-time password, then 35 threads each load the login page and,
all released at once, post their identifiant and password. Prints p50/p95/max of the login POST.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pix .venv/bin/python bench/bench_login_storm.py

Loopback only; every wait is bounded. The accounts are deleted at the end.
"""

import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pix_portal.settings.base")
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    sys.exit("DATABASE_URL=postgres://… est requis (voir l'en-tête du script).")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.services import user_set_one_time_password  # noqa: E402

STUDENTS = 35
WORKERS = 3
WARM_UP = 2 * WORKERS
PREFIX = "bench.tempete"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pix_portal.settings.base",
        # DEBUG=1 serves the static files without collectstatic; nothing else differs here.
        "DEBUG": "1",
        "ALLOWED_HOSTS": "127.0.0.1",
        "CELERY_BROKER_URL": "",
        "PYTHONWARNINGS": "ignore",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "pix_portal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/connexion/")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn n'a pas démarré en 60 s")


class Student(threading.Thread):
    def __init__(self, port, username, password, start_together):
        super().__init__()
        self.port, self.username, self.password = port, username, password
        self.start_together = start_together
        self.seconds = None
        self.error = None

    def run(self):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            connection.request("GET", "/connexion/")
            page = connection.getresponse()
            cookie = page.getheader("Set-Cookie").split(";", 1)[0]
            token = CSRF_INPUT.search(page.read().decode())[1]
            body = urllib.parse.urlencode(
                {"csrfmiddlewaretoken": token, "username": self.username, "password": self.password}
            )
            headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
            self.start_together.wait(timeout=60)
            start = time.perf_counter()
            connection.request("POST", "/connexion/", body, headers)
            response = connection.getresponse()
            response.read()
            self.seconds = time.perf_counter() - start
            if response.status != 302:
                self.error = f"{self.username} : HTTP {response.status}"
        except Exception as error:  # noqa: BLE001 — reported below, the storm goes on
            self.error = f"{self.username} : {error!r}"


def cleanup():
    User.objects.filter(username__startswith=PREFIX).delete()


def main():
    call_command("migrate", verbosity=0)
    cleanup()
    accounts = {}
    for n in range(STUDENTS + WARM_UP):
        user = User.objects.create_user(username=f"{PREFIX}{n:02d}")
        accounts[user.username] = user_set_one_time_password(user=user)
    port = free_port()
    server = start_gunicorn(port)
    try:
        # A few logins first, so every worker has loaded what a running server has.
        for username, password in list(accounts.items())[STUDENTS:]:
            warm = Student(port, username, password, threading.Barrier(1))
            warm.run()
        print(f"{os.cpu_count()} cœurs, charge moyenne {os.getloadavg()[0]:.2f}")
        start_together = threading.Barrier(STUDENTS)
        storm = list(accounts.items())[:STUDENTS]
        students = [Student(port, u, p, start_together) for u, p in storm]
        for student in students:
            student.start()
        for student in students:
            student.join(timeout=120)
        errors = [s.error for s in students if s.error]
        if errors:
            raise SystemExit("\n".join(errors))
        times = sorted(s.seconds for s in students)
        p95 = times[int(0.95 * len(times)) - 1]
        print(
            f"{STUDENTS} connexions simultanées (gunicorn {WORKERS} workers, Argon2id) : "
            f"p50 {statistics.median(times) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
            f"max {times[-1] * 1000:.0f} ms"
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
        cleanup()


if __name__ == "__main__":
    main()
