"""Results exports and certificates: time of the CSV/XLSX export of a class of 35 and of a whole
school of 3 500 results (through the real view), and of the certificates PDF of a class of 35
with its peak memory.

Run: .venv/bin/python bench/bench_results.py
     (a throw-away SQLite database; set DATABASE_URL to measure on PostgreSQL — the bench creates
     its own school and deletes it at the end)
"""

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pix_portal.settings.base")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='bench-results-')}/db.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Membership, Organization, User  # noqa: E402
from certification.models import Competence  # noqa: E402
from results.models import CertificationResult, CompetenceMark  # noqa: E402
from sessions.models import Candidate, Session  # noqa: E402

UAI = "0999999Z"
CLASSES, PER_CLASS = 100, 35
ROUNDS = 5


def seed() -> Organization:
    school = Organization.objects.create(uai=UAI, name="Collège du banc d'essai")
    user = User.objects.create_user(email="bench@results.example.fr")  # force_login: no password
    Membership.objects.create(user=user, organization=school, role=Membership.Role.MEMBER)
    competences = list(Competence.objects.order_by("index"))
    now = timezone.now()
    sessions = Session.objects.bulk_create(
        Session(
            organization=school,
            address="Bâtiment A",
            room=f"Salle {i}",
            date=date(2026, 3, 1 + i % 28),
            time=clock(9, 0),
            examiner="Mme Banc",
            access_code=f"BZ{i:04d}"[:6],
            invigilator_password="k7m2pq",  # noqa: S106 — bench data
            status=Session.Status.PUBLISHED,
            published_at=now,
        )
        for i in range(CLASSES)
    )
    candidates = Candidate.objects.bulk_create(
        Candidate(
            session=sessions[c],
            last_name=f"NOM{c:03d}{n:02d}",
            first_name="Léa",
            birthdate=date(2011, 3, 1),
            birth_city="PARIS 14E ARRONDISSEMENT",
            division=f"3E{c:03d}",
            is_present=True,
        )
        for c in range(CLASSES)
        for n in range(PER_CLASS)
    )
    results = CertificationResult.objects.bulk_create(
        CertificationResult(
            candidate=candidate,
            # One in ten rejected, except in 3E001: the certificates class has 35 pages.
            status="rejected" if i % 10 == 0 and i // PER_CLASS != 1 else "validated",
            pix_score=0 if i % 10 == 0 and i // PER_CLASS != 1 else 8 * 24,
            correct_answers=20,
            scored_answers=24,
            test_date=candidate.session.date,
            verification_code=f"P-B{i:07d}",
            published_at=now,
        )
        for i, candidate in enumerate(candidates)
    )
    CompetenceMark.objects.bulk_create(
        CompetenceMark(
            result=result, competence=competence, profile_level=3, profile_pix=24, level=3, score=24
        )
        for i, result in enumerate(results)
        for competence in competences[i % 8 : i % 8 + 8]
    )
    return school


def timed_get(client, url, params) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(ROUNDS):
        start = time.perf_counter()
        response = client.get(url, params)
        times.append(time.perf_counter() - start)
        size = len(response.content)
        assert response.status_code == 200, response.status_code
    return statistics.median(times), size


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def certificates(org_id: int) -> None:
    """Child process: render one class's certificates; print time and peak RSS."""
    from results.documents import certificates_render
    from results.selectors import published_results

    school = Organization.objects.get(pk=org_id)
    results = list(
        published_results(organization=school, division="3E001").filter(status="validated")
    )
    before = rss_mib()
    start = time.perf_counter()
    pdf = certificates_render(results=results)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{'certificates PDF, class of 35':<34} {len(results)} pages in {elapsed:.2f} s "
        f"({len(results) / elapsed:.1f} pages/s), {len(pdf) / 1024:.0f} KiB, "
        f"peak RSS {peak:.0f} MiB (RSS before rendering: {before:.0f} MiB)"
    )


def main() -> None:
    call_command("migrate", verbosity=0)
    Organization.objects.filter(uai=UAI).delete()
    start = time.perf_counter()
    school = seed()
    database = connection.vendor
    print(f"database: {database}; seeded 3 500 results in {time.perf_counter() - start:.1f} s")
    client = Client()
    client.force_login(User.objects.get(email="bench@results.example.fr"))
    try:
        for label, view, params in [
            ("CSV export, class of 35", "results:export_csv", {"classe": "3E001"}),
            ("CSV export, whole school (3 500)", "results:export_csv", {}),
            ("XLSX export, class of 35", "results:export_xlsx", {"classe": "3E001"}),
            ("XLSX export, whole school (3 500)", "results:export_xlsx", {}),
        ]:
            seconds, size = timed_get(client, reverse(view, args=[school.id]), params)
            print(
                f"{label:<34} {seconds * 1000:7.0f} ms (median of {ROUNDS}), {size / 1024:.0f} KiB"
            )
        subprocess.run(
            [sys.executable, __file__, "--certificates", str(school.id)], check=True, env=os.environ
        )
    finally:
        Organization.objects.filter(uai=UAI).delete()
        User.objects.filter(email="bench@results.example.fr").delete()


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--certificates":
        certificates(int(sys.argv[2]))
    else:
        main()
