"""Bulk password reset: 1 000 students of one school through a real Celery worker, and one class
of 35 in the request, as the Élèves page does it. Also compares ways of spreading the hashing.

Needs PostgreSQL and Redis (the worker is started here, prefork with 2 processes, like
docker-compose):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pix CELERY_BROKER_URL=redis://127.0.0.1:6379/0 \
        .venv/bin/python bench/bench_password_reset.py

It creates a school "Collège du banc d'essai" (UAI 0999001B) and deletes it at the end.
"""

import os
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pix_portal.settings.base")
for name in ("DATABASE_URL", "CELERY_BROKER_URL"):
    if not os.environ.get(name):
        sys.exit(f"{name} est requis (voir l'en-tête du script).")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import get_hasher  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from accounts.models import Membership, Organization, User  # noqa: E402
from accounts.passwords import one_time_password_generate, passwords_hash  # noqa: E402
from pix_portal.celery import app  # noqa: E402
from student_accounts.models import PasswordResetJob  # noqa: E402
from student_accounts.services import (  # noqa: E402
    password_reset_file_take,
    password_reset_job_create,
)
from students.models import Student  # noqa: E402

UAI = "0999001B"
STUDENTS = 1000
CLASS_SIZE = 35
HASH_SAMPLE = 200


def cleanup() -> None:
    organization = Organization.objects.filter(uai=UAI).first()
    if organization is None:
        return
    User.objects.filter(learners__organization=organization).delete()
    User.objects.filter(email="bench-admin@banc-essai.example.fr").delete()
    organization.delete()


def seed() -> tuple[Organization, User]:
    organization = Organization.objects.create(uai=UAI, name="Collège du banc d'essai")
    admin = User.objects.create_user(email="bench-admin@banc-essai.example.fr")
    Membership.objects.create(user=admin, organization=organization, role=Membership.Role.ADMIN)
    students = []
    for n in range(STUDENTS):
        students.append(
            Student(
                organization=organization,
                ine=f"{990000000 + n:09d}BE",
                last_name=f"ÉLÈVE{n:04d}",
                first_name="Zoé",
                sex="F",
                birthdate=date(2011, 1, 1) + timedelta(days=n % 365),
                birth_country_code="99100",
                division=f"3E{n // CLASS_SIZE:02d}",
            )
        )
    Student.objects.bulk_create(students)
    # Nine in ten already have an identifiant (same hash for all: only the seed's speed matters).
    encoded = get_hasher().encode("Bench-2026", get_hasher().salt())
    users = User.objects.bulk_create(
        User(username=f"bench.eleve{n:04d}", password=encoded) for n in range(STUDENTS) if n % 10
    )
    with_account = [s for n, s in enumerate(students) if n % 10]
    for student, user in zip(with_account, users, strict=True):
        student.user = user
    Student.objects.bulk_update(with_account, ["user"], batch_size=500)
    return organization, admin


def start_worker() -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "pix_portal",
            "worker",
            "--concurrency=2",
            "--loglevel=WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "pix_portal.settings.base"},
    )


STEPS: dict[str, float] = {}


def reset(organization, admin, students) -> tuple[float, PasswordResetJob]:
    """Wall time from the admin's click to the passwords reset and the CSV offered (STEPS:
    where it went, and when the slips PDF followed)."""
    start = time.perf_counter()
    with transaction.atomic():
        job = password_reset_job_create(
            organization=organization, students=students, requested_by=admin
        )
    STEPS["request"] = time.perf_counter() - start
    STEPS["queued"] = 0.0
    deadline = time.monotonic() + 300
    while not job.is_finished:
        if time.monotonic() > deadline:
            raise SystemExit("réinitialisation non terminée en 5 minutes")
        time.sleep(0.02)
        job.refresh_from_db()
        if job.status == PasswordResetJob.Status.PENDING:
            STEPS["queued"] = time.perf_counter() - start - STEPS["request"]
    elapsed = time.perf_counter() - start
    if job.status != PasswordResetJob.Status.DONE:
        raise SystemExit(f"échec : {job.error}")
    while job.slips_pending:  # the slips are laid out after the CSV is offered
        time.sleep(0.02)
        job.refresh_from_db()
    STEPS["slips"] = time.perf_counter() - start
    if job.slips_status != PasswordResetJob.SlipsStatus.DONE:
        raise SystemExit("échec des fiches à découper")
    for kind in ("csv", "slips"):  # take them, so nothing stays on disk
        password_reset_file_take(job=job, kind=kind, taken_by=admin)
    return elapsed, job


def _hash_one(password: str) -> str:
    hasher = get_hasher()
    return hasher.encode(password, hasher.salt())


def hashing_strategies() -> float:
    """Prints three ways of hashing the same passwords; returns the portal's, per password."""
    passwords = [one_time_password_generate() for _ in range(HASH_SAMPLE)]
    workers = os.cpu_count() or 2

    start = time.perf_counter()
    [_hash_one(password) for password in passwords]
    sequential = time.perf_counter() - start

    start = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        [future.result() for future in passwords_hash(passwords, pool=pool)]
    threads = time.perf_counter() - start

    start = time.perf_counter()
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(_hash_one, passwords, chunksize=25))
    processes = time.perf_counter() - start

    print(f"Hachage de {HASH_SAMPLE} mots de passe (Argon2id m=19 MiB, t=2, p=1) :")
    for label, seconds in [
        ("séquentiel (1 cœur)", sequential),
        (f"{workers} threads (portail)", threads),
        (f"{workers} processus", processes),
    ]:
        print(f"  {label:<26} {seconds:6.2f} s  ({seconds / HASH_SAMPLE * 1000:5.1f} ms/élève)")
    return threads / HASH_SAMPLE


def main() -> None:
    call_command("migrate", verbosity=0)
    cleanup()
    print(f"{os.cpu_count()} cœurs, charge moyenne {os.getloadavg()[0]:.2f}")
    organization, admin = seed()
    worker = start_worker()
    try:
        students = list(Student.objects.filter(organization=organization).select_related("user"))
        by_class = sorted({s.division for s in students})
        # Warm-up: WeasyPrint and its fonts load once, as in a running worker or web process.
        # One student of each of two classes, so that the warm-up really runs in the worker
        # (which has finished starting by then) and not in this process.
        warm_up = [next(s for s in students if s.division == division) for division in by_class[:2]]
        reset(organization, admin, warm_up)  # two classes: in the worker
        reset(organization, admin, warm_up[:1])  # one class: here

        one_class = [s for s in students if s.division == by_class[0]]
        seconds, _job = reset(organization, admin, one_class)
        print(
            f"Une classe de {len(one_class)} élèves (dans la requête) : {seconds:.2f} s, "
            f"fiches comprises"
        )

        seconds, job = reset(organization, admin, students)
        reset_seconds = seconds
        print(
            f"{len(students)} élèves, {len(by_class)} classes (tâche Celery) : {seconds:.2f} s, "
            f"{seconds / len(students) * 1000:.1f} ms par élève "
            f"({job.reset_count} réinitialisés, {job.identifiants_created_count} identifiants "
            f"créés)\n  dont requête {STEPS['request']:.2f} s, attente du worker "
            f"{STEPS['queued']:.2f} s, tâche {seconds - STEPS['request'] - STEPS['queued']:.2f} s"
            f"\n  fiches à découper (PDF, {len(students)} fiches) prêtes à {STEPS['slips']:.2f} s"
        )
        # The machine is shared: the CPU a reset costs does not depend on the neighbours' load.
        cpu_start = time.process_time()
        app.conf.task_always_eager = True
        seconds, _job = reset(organization, admin, students)
        cpu = time.process_time() - cpu_start
        print(
            f"Même réinitialisation dans ce processus : {seconds:.2f} s, {cpu:.1f} s de CPU, "
            f"soit au mieux {cpu / (os.cpu_count() or 1):.1f} s sur {os.cpu_count()} cœurs libres"
        )
        per_password = hashing_strategies()
        # The floor: the same number of hashes, spread as the portal spreads them, nothing else.
        floor = per_password * len(students)
        print(
            f"Plancher : {len(students)} hachages en threads, {floor:.2f} s ; réinitialisation "
            f"({reset_seconds:.2f} s) = ×{reset_seconds / floor:.2f} le plancher"
        )
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        cleanup()


if __name__ == "__main__":
    main()
