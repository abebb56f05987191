"""No merge-conflict markers and no large file in the repository: the checks that
.pre-commit-config.yaml runs on each commit, run by `make test` on every tracked file (so they
need no download of pre-commit's hook repositories).

Usage: check_repo.py [FILE…]  (default: every file tracked by git)."""

import re
import subprocess
import sys
from pathlib import Path

MAX_BYTES = 500 * 1024  # pre-commit's check-added-large-files default
# A line git writes in a conflicted file: the three markers at the start of a line.
CONFLICT_MARKER = re.compile(rb"^(<<<<<<< |=======$|>>>>>>> )", re.MULTILINE)


def tracked_files() -> list[Path]:
    listing = subprocess.run(
        ["git", "ls-files", "-z"], capture_output=True, check=True, text=False
    ).stdout
    return [Path(name.decode()) for name in listing.split(b"\0") if name]


def problems(paths: list[Path]) -> list[str]:
    found = []
    for path in paths:
        if not path.is_file():
            continue
        size = path.stat().st_size
        if size > MAX_BYTES:
            found.append(f"{path} : {size // 1024} Kio, plus que {MAX_BYTES // 1024} Kio")
            continue
        content = path.read_bytes()
        for match in CONFLICT_MARKER.finditer(content):
            line = content.count(b"\n", 0, match.start()) + 1
            found.append(f"{path}:{line} : marqueur de conflit de fusion")
    return found


def main(argv: list[str]) -> int:
    paths = [Path(arg) for arg in argv] or tracked_files()
    found = problems(paths)
    for problem in found:
        print(problem, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
