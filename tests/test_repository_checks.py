"""The repository checks of `make test` and pre-commit (scripts/check_repo.py)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def check(*paths):
    return subprocess.run(
        [sys.executable, "scripts/check_repo.py", *map(str, paths)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_committed_merge_conflict_is_refused_with_its_line(tmp_path):
    css = tmp_path / "portal.css"
    css.write_text(".a { }\n<<<<<<< HEAD\n.b { }\n=======\n.c { }\n>>>>>>> issue4\n")
    result = check(css)
    assert result.returncode == 1
    assert f"{css}:2 : marqueur de conflit de fusion" in result.stderr
    assert f"{css}:6 :" in result.stderr


def test_a_large_file_is_refused(tmp_path):
    dump = tmp_path / "dump.sql"
    dump.write_bytes(b"x" * 600 * 1024)
    result = check(dump)
    assert result.returncode == 1 and "600 Kio" in result.stderr


def test_the_repository_passes():
    result = check()
    assert result.returncode == 0, result.stderr
