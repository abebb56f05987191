"""The campaign planner: 250 students of 3e in 8 classes over 2 days and 4 rooms.

Prints the time of the proposal (reading the students and placing them), of creating every
session and enrolment in one transaction, and of the day pack of the first day (125 candidates:
cover, kit, attendance sheet and PV per session, then the convocations), with the time per page
and the peak memory of the pack.

Run: .venv/bin/python bench/bench_planning.py
     (a throw-away SQLite database; set DATABASE_URL to measure on PostgreSQL — the bench creates
     its own school and deletes it at the end)
"""

import io
import os
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pix_portal.settings.base")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = (
        f"sqlite:///{tempfile.mkdtemp(prefix='bench-planning-')}/db.sqlite3"
    )

import django  # noqa: E402

django.setup()

import pypdf  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Organization  # noqa: E402
from planning.documents import day_pack_render  # noqa: E402
from planning.planner import Room, Slot  # noqa: E402
from planning.selectors import day_pack_sessions  # noqa: E402
from planning.services import plan_view, session_plan_apply, session_plan_propose  # noqa: E402
from sessions.documents import invigilator_kit_render  # noqa: E402
from students.models import Student  # noqa: E402

UAI = "0999998Y"
CLASSES = [f"3E{n}" for n in range(1, 9)]
STUDENTS = 250
TIMES = ["08:00", "10:15", "13:30", "15:30"]


def seed() -> Organization:
    school = Organization.objects.create(uai=UAI, name="Collège du banc d'essai")
    Student.objects.bulk_create(
        Student(
            organization=school,
            ine=f"{90000000 + n:09d}BE",
            last_name=f"LEFÈVRE-NOËL {n:03d}",
            first_name="Aurélie",
            sex="F",
            birthdate=date(2011, 3, 1),
            birth_country_code="99100",
            birth_city_code="75114",
            division=CLASSES[n % len(CLASSES)],
            certifiability=Student.Certifiability.CERTIFIABLE,
        )
        for n in range(STUDENTS)
    )
    return school


def main() -> None:
    call_command("migrate", verbosity=0)
    Organization.objects.filter(uai=UAI).delete()
    school = seed()
    try:
        first_day = timezone.localdate() + timedelta(days=14)
        slots = [
            Slot(day, clock.fromisoformat(hour), ("Mme A", "M. B"))
            for day in (first_day, first_day + timedelta(days=1))
            for hour in TIMES
        ]
        rooms = [Room(f"Salle {n}", 32) for n in range(1, 5)]

        start = time.perf_counter()
        plan = session_plan_propose(
            organization=school, address="Bâtiment A", divisions=CLASSES, slots=slots, rooms=rooms
        )
        proposed = time.perf_counter() - start
        view = plan_view(plan=plan)
        print(
            f"proposal   {len(plan.placements)} students, {len(view.sessions())} sessions, "
            f"{len(view.blocking)} blocking conflicts: {proposed:5.2f} s"
        )

        start = time.perf_counter()
        sessions = session_plan_apply(plan=plan)
        applied = time.perf_counter() - start
        print(
            f"creation   {len(sessions)} sessions + enrolments, one transaction: {applied:5.2f} s"
        )

        day = sorted({s.date for s in sessions})[0]
        pack_sessions = day_pack_sessions(organization=school, day=day)
        candidates = sum(s.candidates.count() for s in pack_sessions)
        # Warm-up: fonts and CSS load once per worker process.
        invigilator_kit_render(session=pack_sessions[0], candidates=[])
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start, cpu_start = time.perf_counter(), time.process_time()
        pdf = day_pack_render(sessions=pack_sessions)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
        print(
            f"day pack   {len(pack_sessions)} sessions, {candidates} candidates, {pages} pages: "
            f"{elapsed:5.2f} s (CPU {cpu:5.2f} s, {elapsed / pages * 1000:3.0f} ms/page)  "
            f"peak RSS {peak / 1024:4.0f} MB (+{(peak - rss_before) / 1024:.0f} MB while "
            f"rendering)  {len(pdf) / 1024:5.0f} KB"
        )
    finally:
        Organization.objects.filter(uai=UAI).delete()


if __name__ == "__main__":
    main()
