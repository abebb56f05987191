"""Helpers of the import tests: run an import the way the web page or the command does."""

from __future__ import annotations

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from students.imports.services import (
    student_import_confirm,
    student_import_from_path,
    student_import_siecle,
)
from students.models import ImportJob, Student
from tests.students.siecle_files import Eleve, siecle_xml

STUDENT_COLUMNS = [
    "organization_id",
    "user_id",
    "ine",
    "last_name",
    "preferred_last_name",
    "first_name",
    "first_name2",
    "first_name3",
    "sex",
    "birthdate",
    "birth_country_code",
    "birth_city_code",
    "birth_city",
    "birth_department_code",
    "mef_code",
    "status",
    "division",
    "is_disabled",
    "certifiability",
    "certifiability_profile_date",
    "certifiability_updated_at",
    "created_at",
    "updated_at",
]


def students_snapshot() -> list[tuple]:
    """Every student row, every column: what "nothing changed" is checked against."""
    return list(Student.objects.order_by("pk").values_list("pk", *STUDENT_COLUMNS))


def class_of(eleves: list[Eleve], division: str) -> list[Eleve]:
    for eleve in eleves:
        eleve.division = division
    return eleves


def import_from_command(organization, data: bytes, tmp_path: Path, name="eleves.xml"):
    path = tmp_path / name
    path.write_bytes(data)
    return student_import_from_path(organization=organization, path=path)


def upload(organization, user, data: bytes, capture, name="ElevesSansAdresses.xml") -> ImportJob:
    """What the upload page does; `capture` is django_capture_on_commit_callbacks."""
    with capture(execute=True):
        job = student_import_siecle(
            organization=organization,
            upload=SimpleUploadedFile(name, data),
            started_by=user,
        )
    job.refresh_from_db()
    return job


def upload_and_confirm(organization, user, data: bytes, capture, **kwargs) -> ImportJob:
    job = upload(organization, user, data, capture, **kwargs)
    assert job.status == ImportJob.Status.READY, job.errors
    with capture(execute=True):
        student_import_confirm(job=job, confirmed_by=user)
    job.refresh_from_db()
    return job


def default_file(count: int = 3, **kwargs) -> bytes:
    return siecle_xml(
        [Eleve(ine=f"{70_000_000 + index:09d}AA", **kwargs) for index in range(count)]
    )
