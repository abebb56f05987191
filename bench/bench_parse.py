"""Parser-only benchmark of the SIECLE import: ours against a bare lxml parse.

    python bench/bench_parse.py [--students 3500 100000] [--repeat 3] [--keep DIR]

Generates the files with gen_siecle.py, then measures each run in a fresh subprocess (time, and
peak RSS from /proc/self/status): a bare ``lxml.etree.parse`` of the XML, and
``parse_student_file`` on the .xml and on the .zip. Each figure is the fastest of --repeat runs.
An XML above the 20 MiB upload cap can only arrive zipped; its .xml run lifts the cap in that
subprocess to show the parse alone.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The measuring subprocess imports students.imports.parsers from the project root.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gen_siecle import generate_siecle, zip_siecle  # noqa: E402

UAI = "0750001A"


def memory_mib(field: str) -> float:
    """VmRSS (now) or VmHWM (peak) of this process, in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise LookupError(field)


def measure(kind: str, path: str) -> dict:
    """Runs inside the subprocess: one parse, timed, with the memory it took."""
    from lxml import etree

    from students.imports.parsers import limits, parse_student_file

    limits.MAX_UPLOAD_BYTES = max(limits.MAX_UPLOAD_BYTES, Path(path).stat().st_size)
    rss_before = memory_mib("VmRSS")
    started = time.perf_counter()
    if kind == "bare":
        etree.parse(path)
        kept = None
    else:
        kept = len(parse_student_file(path, expected_uai=UAI).students)
    return {
        "seconds": time.perf_counter() - started,
        "rss_before": rss_before,
        "peak": memory_mib("VmHWM"),
        "kept": kept,
    }


def fastest_run(kind: str, path: Path, repeat: int) -> dict:
    runs = []
    for _ in range(repeat):
        completed = subprocess.run(
            [sys.executable, __file__, "--measure", kind, str(path)],
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(json.loads(completed.stdout))
    return min(runs, key=lambda run: run["seconds"])


def bench(students: int, directory: Path, repeat: int) -> None:
    xml = generate_siecle(students, UAI)
    xml_path = directory / f"eleves-{students}.xml"
    zip_path = directory / f"eleves-{students}.zip"
    xml_path.write_bytes(xml)
    zip_path.write_bytes(zip_siecle(xml))
    print(
        f"\n{students} élèves : XML {len(xml) / 1e6:.1f} Mo, "
        f"ZIP {zip_path.stat().st_size / 1e6:.1f} Mo"
    )
    bare = fastest_run("bare", xml_path, repeat)
    report("lxml.etree.parse (XML)", bare, bare)
    report("parse_student_file (XML)", fastest_run("parse", xml_path, repeat), bare)
    report("parse_student_file (ZIP)", fastest_run("parse", zip_path, repeat), bare)


def report(label: str, figures: dict, bare: dict) -> None:
    seconds, ratio = figures["seconds"], figures["seconds"] / bare["seconds"]
    growth = figures["peak"] - figures["rss_before"]
    kept = f", {figures['kept']} élèves gardés" if figures["kept"] is not None else ""
    print(
        f"  {label:<26} {seconds:6.2f} s ({ratio:4.2f}× lxml)  RSS max {figures['peak']:6.1f} Mo"
        f" (+{growth:.1f} Mo pendant l'analyse){kept}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, nargs="+", default=[3500, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the generated files here")
    parser.add_argument("--measure", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(*args.measure)))
        return
    with tempfile.TemporaryDirectory() as temporary:
        directory = args.keep or Path(temporary)
        directory.mkdir(parents=True, exist_ok=True)
        for students in args.students:
            bench(students, directory, args.repeat)


if __name__ == "__main__":
    main()
