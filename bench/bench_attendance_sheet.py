"""Feuille d'émargement for 20, 200 and 2 000 candidates: time, pages and peak memory.

Each size runs in a fresh process so its peak RSS is its own. CPU time is printed beside the
wall-clock time: on a shared machine it is the steadier of the two. Objects are built in memory
(no database): this measures the rendering only, what the request or the task spends.

Run: .venv/bin/python bench/bench_attendance_sheet.py [--sizes 20,200,2000] [--one-table]

--one-table also renders the naive layout (one HTML table that WeasyPrint splits across all
the pages) for comparison with the portal's layout (pages of 20 rows, rendered 10 at a time).
"""

import argparse
import io
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def measure(size: int, one_table: bool) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pix_portal.settings.base")
    import django

    django.setup()
    from datetime import date
    from datetime import time as clock

    import pypdf

    from accounts.models import Organization
    from sessions import documents
    from sessions.documents import attendance_sheet_render
    from sessions.models import Candidate, Session

    school = Organization(name="Collège Victor-Hugo", uai="0750001A")
    session = Session(
        pk=4242,
        organization=school,
        address="Bâtiment principal",
        room="Salle informatique B12",
        date=date(2026, 12, 3),
        time=clock(9, 0),
        examiner="Mme Durand, M. Petit",
    )
    candidates = [
        Candidate(
            last_name=f"LEFÈVRE-NOËL {i:05d}",
            first_name="Aurélie-Éloïse",
            birthdate=date(2011, 3, 1),
            division="3E2",
        )
        for i in range(size)
    ]
    # Warm-up: fonts and CSS are loaded once per process, as in a long-running worker.
    attendance_sheet_render(session=session, candidates=candidates[:1])
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start, cpu_start = time.perf_counter(), time.process_time()
    if one_table:
        rows = [documents._row(candidate) for candidate in candidates]
        pdf = documents._render(
            "sessions/documents/attendance_sheet.html", session=session, pages=[{"rows": rows}]
        )
    else:
        pdf = attendance_sheet_render(session=session, candidates=candidates)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
    label = "one table" if one_table else "portal"
    print(
        f"{label:<9} {size:>6} candidates  {pages:>4} pages  {elapsed:6.2f} s "
        f"(CPU {cpu:6.2f} s, {cpu / pages * 1000:4.0f} ms/page)  peak RSS {peak / 1024:4.0f} MB "
        f"(+{(peak - rss_before) / 1024:.0f} MB while rendering)  {len(pdf) / 1024:6.0f} KB"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="20,200,2000")
    parser.add_argument("--one-table", action="store_true")
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--naive", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.size:
        measure(args.size, one_table=args.naive)
    else:
        for naive in [False, True] if args.one_table else [False]:
            for size in [int(s) for s in args.sizes.split(",")]:
                command = [sys.executable, __file__, "--size", str(size)]
                subprocess.run(command + (["--naive"] if naive else []), check=True)
