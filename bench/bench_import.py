"""Benchmark of the whole student import into PostgreSQL, against two floors measured alongside.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pix python bench/bench_import.py \
        [--students 3500 100000] [--runs 3] [--zip]

For each size, files from gen_siecle.py (ISO-8859-15, classes, groups, ~3 % of students who
left) are written to bench/data/ and imported with `manage.py import_siecle` in a subprocess:
- first import (the school has no students), then re-import of the unchanged file; the first
  import also with the parse kept in one process, to show what the split over cores gains;
- wall time of the process, less the interpreter + Django start-up of that same command
  (`import_siecle --help`; the command skips the system checks, so `manage.py check`, also
  printed, would subtract more than its start-up);
- peak memory: RSS of the largest process (kernel rusage, exact) and PSS of the whole process
  tree (the import forks parse workers that share pages with it; sampled every 50 ms);
- floors for the same file on the same machine: a bare `lxml.etree.parse` of the XML (fresh
  interpreter, parse only) and a bare COPY of the same rows into an empty table (COPY + commit);
- the ratio import / (parse floor + COPY floor).
The machine may be shared: run several times (--runs) and read the best and median figures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / "data"
UAI = "0990001B"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pix_portal.settings.base")

from gen_siecle import generate_siecle, zip_siecle  # noqa: E402


def run_measured(command: list[str], **env: str) -> dict:
    """Wall time, peak RSS of the largest process and PSS of the process tree, exit status.

    GNU time starts the command: a child forked straight from this (big) process would report
    this process's size as its own peak.
    """
    with tempfile.NamedTemporaryFile("r") as rusage:
        started = time.perf_counter()
        process = subprocess.Popen(
            ["/usr/bin/time", "-q", "-f", "%M", "-o", rusage.name, *command],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, **env},
        )
        tree_peak = [0]
        done = threading.Event()

        def sample():
            while not done.wait(0.05):
                tree_peak[0] = max(tree_peak[0], _tree_pss_kib(process.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        process.wait()
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
        max_rss_kib = int(rusage.read().split()[-1])
    out, err = process.stdout.read().decode(), process.stderr.read().decode()
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} a échoué :\n{out}\n{err}")
    return {
        "seconds": seconds,
        "max_rss_mib": max_rss_kib / 1024,
        "tree_pss_mib": tree_peak[0] / 1024,
        "out": out.strip(),
    }


def _tree_pss_kib(root: int) -> int:
    """Proportional set size of a process and its descendants: pages the forked parse workers
    share with their parent are counted once, not once per process."""
    total = 0
    pending = [root]
    while pending:
        pid = pending.pop()
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            continue
        for line in rollup.splitlines():
            if line.startswith("Pss:"):
                total += int(line.split()[1])
        pending += [int(child) for child in children]
    return total


def manage(*args: str) -> list[str]:
    return [sys.executable, "manage.py", *args]


def lxml_floor(path: Path) -> dict:
    """A bare lxml parse of the whole file into a tree, timed inside a fresh interpreter."""
    code = (
        "import resource, sys, time\n"
        "from lxml import etree\n"
        "started = time.perf_counter()\n"
        "etree.parse(sys.argv[1])\n"  # the reference figure: a whole DOM, no hardening
        "print(time.perf_counter() - started,"
        " resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
    ).stdout.split()
    return {"seconds": float(out[0]), "max_rss_mib": float(out[1])}


def copy_floor(rows: list[tuple]) -> float:
    """A bare COPY of the rows into an empty table without index, with its commit."""
    import psycopg
    from django.db import connection

    from students.imports.reading import IMPORTED_FIELDS, LINE

    columns = ", ".join(
        f"{name} date" if name == "birthdate" else f"{name} text" for name in IMPORTED_FIELDS
    )
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"],
        user=settings["USER"],
        password=settings["PASSWORD"],
        dbname=settings["NAME"],
    ) as database:
        database.execute("DROP TABLE IF EXISTS bench_copy_floor")
        database.execute(f"CREATE TABLE bench_copy_floor ({columns})")
        database.commit()
        started = time.perf_counter()
        with database.cursor().copy(
            f"COPY bench_copy_floor ({', '.join(IMPORTED_FIELDS)}) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row(row[:LINE])
        database.commit()
        seconds = time.perf_counter() - started
        database.execute("DROP TABLE bench_copy_floor")
        database.commit()
    return seconds


def reset_school() -> None:
    """The benchmark school, without any student (first import = a rentrée on an empty base)."""
    from django.db import connection

    from accounts.services import organization_create
    from students.models import ImportJob, Student

    organization, _ = organization_create(uai=UAI, name="Établissement du banc d'essai")
    ImportJob.objects.filter(organization=organization).delete()
    with connection.cursor() as cursor:
        table = Student._meta.db_table
        cursor.execute(f"DELETE FROM {table} WHERE organization_id = %s", [organization.pk])
        # Statistics taken on an empty school: the worst case for the import's query plans.
        cursor.execute(f"VACUUM ANALYZE {table}")


def files_for(students: int, with_zip: bool) -> list[Path]:
    DATA.mkdir(parents=True, exist_ok=True)
    xml_path = DATA / f"eleves-{students}.xml"
    if not xml_path.exists():
        xml_path.write_bytes(generate_siecle(students, UAI))
    paths = [xml_path]
    if with_zip:
        zip_path = DATA / f"eleves-{students}.zip"
        if not zip_path.exists():
            zip_path.write_bytes(zip_siecle(xml_path.read_bytes()))
        paths.append(zip_path)
    return paths


STARTUPS: list[float] = []


def startup_seconds() -> float:
    """The command's own start-up: the fastest of every `import_siecle --help` timed so far
    (one more per measure, so that a busy moment at the beginning does not inflate it)."""
    STARTUPS.append(run_measured(manage("import_siecle", "--help"))["seconds"])
    return min(STARTUPS)


def measure(path: Path) -> dict:
    """Raw figures of one run; net times are computed in `report` with the final start-up."""
    from students.imports.reading import read_student_file

    startup_seconds()
    reset_school()
    # The same first import with the parse in one process: what the split over cores gains.
    single = run_measured(
        manage("import_siecle", "--uai", UAI, str(path)),
        STUDENT_IMPORT_PARALLEL_MIN_BYTES=str(1 << 40),
    )
    reset_school()
    first = run_measured(manage("import_siecle", "--uai", UAI, str(path)))
    again = run_measured(manage("import_siecle", "--uai", UAI, str(path)))
    xml = path.with_suffix(".xml")
    parse = lxml_floor(xml)
    rows = read_student_file(xml, expected_uai=UAI, agricultural=False, max_bytes=1 << 30).rows
    return {
        "first": first["seconds"],
        "single": single["seconds"],
        "again": again["seconds"],
        "max_rss": first["max_rss_mib"],
        "tree_pss": first["tree_pss_mib"],
        "lxml": parse["seconds"],
        "copy": copy_floor(rows),
        "counts": first["out"],
    }


def net_figures(raw: dict, startup: float) -> dict:
    floors = raw["lxml"] + raw["copy"]
    first, single, again = (raw[key] - startup for key in ("first", "single", "again"))
    return {
        **raw,
        "import": first,
        "reimport": again,
        "single": single,
        "ratio": first / floors,
        "single_ratio": single / floors,
        "reimport_ratio": again / first,
    }


COLUMNS = [
    ("import", "import (s)", "{:.2f}"),
    ("reimport", "ré-import (s)", "{:.2f}"),
    ("max_rss", "RSS max (Mo)", "{:.0f}"),
    ("tree_pss", "PSS arbre (Mo)", "{:.0f}"),
    ("lxml", "plancher lxml (s)", "{:.2f}"),
    ("copy", "plancher COPY (s)", "{:.2f}"),
    ("ratio", "import / planchers", "{:.2f}×"),
    ("single", "import 1 processus (s)", "{:.2f}"),
    ("single_ratio", "1 processus / planchers", "{:.2f}×"),
    ("reimport_ratio", "ré-import / import", "{:.2f}"),
]


def report(label: str, runs: list[dict]) -> None:
    print(f"\n{label} — {runs[0]['counts']}")
    for key, title, fmt in COLUMNS:
        values = [run[key] for run in runs]
        best = min(values)
        median = statistics.median(values)
        detail = "  ".join(fmt.format(value) for value in values)
        print(
            f"  {title:<24} meilleur {fmt.format(best):>8}  médian {fmt.format(median):>8}"
            f"   ({detail})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, nargs="+", default=[3500, 100_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--zip", action="store_true", help="also import the .zip of each file")
    args = parser.parse_args()
    if "postgres" not in os.environ.get("DATABASE_URL", ""):
        raise SystemExit("DATABASE_URL doit désigner une base PostgreSQL (le COPY en dépend).")

    import django

    django.setup()
    subprocess.run(manage("migrate", "--noinput", "-v0"), cwd=ROOT, check=True)
    # import_siecle skips the system checks (they import every view): its own start-up is
    # Django's set-up and the command's imports, which `import_siecle --help` times.
    check = min(run_measured(manage("check"))["seconds"] for _ in range(3))
    for _ in range(3):
        startup_seconds()
    print(f"Cœurs disponibles : {len(os.sched_getaffinity(0))}, charge : {os.getloadavg()[0]:.1f}")
    measured = []
    for students in args.students:
        for path in files_for(students, args.zip):
            size = path.stat().st_size / 1e6
            label = f"{students} élèves, {path.name} ({size:.1f} Mo)"
            measured.append((label, [measure(path) for _ in range(args.runs)]))
    startup = min(STARTUPS)
    print(
        f"Démarrage de l'interpréteur + Django : {startup:.2f} s (import_siecle --help, le plus "
        f"rapide de {len(STARTUPS)}, soustrait) ; manage.py check : {check:.2f} s"
    )
    for label, runs in measured:
        report(label, [net_figures(raw, startup) for raw in runs])
    reset_school()  # its students would otherwise stay, and a later fixture would enrol them
    print(f"\nCharge à la fin : {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
