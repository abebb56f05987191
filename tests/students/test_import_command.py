"""`manage.py import_siecle`: the same import from the command line, for operations."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from accounts.models import AuditLog
from students.models import ImportJob, Student
from tests.students.siecle_files import Eleve, siecle_xml, zip_bytes

pytestmark = pytest.mark.django_db


def eleve(number: int, **fields) -> Eleve:
    return Eleve(ine=f"{70_000_000 + number:09d}AA", **fields)


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_siecle", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_imports_a_zip_and_prints_the_counts(school, tmp_path):
    path = tmp_path / "export.bin"  # told by its content, not its name
    path.write_bytes(zip_bytes([("e.xml", siecle_xml([eleve(1), eleve(2, left_on="01/10/2026")]))]))

    out, err = run("--uai", school.uai.lower(), str(path))

    assert out.strip() == (
        "Import réussi (0750001A) : 1 créés, 0 mis à jour, 0 désactivés, 1 ignorés, 0 inchangés."
    )
    assert err == ""
    assert Student.objects.filter(organization=school).count() == 1
    job = ImportJob.objects.get()
    assert (job.status, job.requested_by, job.file_format) == ("done", None, "zip")
    assert AuditLog.objects.filter(action=AuditLog.Action.STUDENTS_IMPORTED, actor=None).exists()


def test_it_prints_every_problem_on_stderr_fails_and_changes_nothing(school, tmp_path):
    path = tmp_path / "eleves.xml"
    path.write_bytes(siecle_xml([eleve(1)]))
    run("--uai", school.uai, str(path))
    before = list(Student.objects.values_list("pk", "division", "updated_at"))
    path.write_bytes(siecle_xml([eleve(1, division="3E9", sex=None), eleve(2, birthdate="1/1/12")]))

    err = StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("import_siecle", "--uai", school.uai, str(path), stderr=err)

    assert "aucun élève n'a été importé ni modifié" in str(failed.value)
    messages = err.getvalue().splitlines()
    assert len(messages) == 2
    assert "070000001AA" in messages[0] and "CODE_SEXE" in messages[0]
    assert "070000002AA" in messages[1] and "1/1/12" in messages[1]
    assert list(Student.objects.values_list("pk", "division", "updated_at")) == before
    assert ImportJob.objects.latest("pk").status == ImportJob.Status.REJECTED


def test_it_refuses_an_unknown_school_or_a_missing_file(school, tmp_path):
    with pytest.raises(CommandError, match="Aucun établissement"):
        run("--uai", "0000000A", str(tmp_path / "x.xml"))
    with pytest.raises(CommandError, match="Fichier introuvable"):
        run("--uai", school.uai, str(tmp_path / "absent.xml"))


def test_it_accepts_an_xml_bigger_than_the_web_upload_cap(school, tmp_path, monkeypatch):
    """Files on the server are capped like the XML inside an uploaded zip, not like uploads."""
    from students.imports.parsers import limits

    monkeypatch.setattr(limits, "MAX_UPLOAD_BYTES", 1024)
    path = tmp_path / "eleves.xml"
    path.write_bytes(siecle_xml([eleve(number) for number in range(20)]))

    out, _ = run("--uai", school.uai, str(path))

    assert "20 créés" in out
    assert limits.MAX_UPLOAD_BYTES == 1024


def test_the_command_does_not_load_the_encryption_library():
    """cryptography's bindings weigh 10 MB in each process that loads them; the import never
    encrypts (only a reset's credentials are), and its memory target is 150 MB for the whole
    process tree (README, Performance)."""
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, django; django.setup();"
            "from django.core.management import load_command_class;"
            "load_command_class('students', 'import_siecle');"
            "print(sorted(name for name in sys.modules if name.startswith('cryptography')))",
        ],
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "pix_portal.settings.base"},
        capture_output=True,
        text=True,
        check=True,
    )

    assert loaded.stdout.strip() == "[]"
