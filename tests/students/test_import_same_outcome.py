"""The web preview and `manage.py import_siecle` give the same outcome for the same file."""

from __future__ import annotations

import html
import re
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import Organization
from students.models import ImportJob, Student
from tests.students.siecle_files import (
    Eleve,
    agri_row,
    fregata_export,
    siecle_xml,
    zip_bytes,
)

pytestmark = pytest.mark.django_db


def eleve(number: int, **fields) -> Eleve:
    return Eleve(ine=f"{70_000_000 + number:09d}AA", **fields)


def fregata_student(number: int, **changes: str) -> dict[str, str]:
    return agri_row(ine=f"{70_000_000 + number:09d}AA", **changes)


def web_outcome(client, school, data: bytes, capture) -> tuple[str, list[str] | dict]:
    """Upload as an admin, let the validation run, read the page: errors or preview counts."""
    with capture(execute=True):
        response = client.post(
            reverse("students:import", args=[school.id]),
            {"file": SimpleUploadedFile("export", data)},
        )
    page = html.unescape(client.get(response.url).content.decode())
    errors = re.search(r'<ul data-testid="import-errors">(.*?)</ul>', page, re.S)
    if errors:
        return "rejected", re.findall(r"<li>(.*?)</li>", errors[1], re.S)
    table = re.search(r'data-testid="import-preview-counts">(.*?)</table>', page, re.S)[1]
    counts = [int(cell) for cell in re.findall(r"<td>(\d+)</td>", table)]
    keys = ["created", "updated", "disabled", "unchanged", "skipped"]
    return "ready", dict(zip(keys, counts, strict=True))


def command_outcome(school, data: bytes, tmp_path) -> tuple[str, list[str] | dict]:
    path = tmp_path / "export"
    path.write_bytes(data)
    out, err = StringIO(), StringIO()
    try:
        call_command("import_siecle", "--uai", school.uai, str(path), stdout=out, stderr=err)
    except CommandError:
        return "rejected", err.getvalue().splitlines()
    found = re.search(
        r"(\d+) créés, (\d+) mis à jour, (\d+) désactivés, (\d+) ignorés, (\d+) inchangés",
        out.getvalue(),
    )
    created, updated, disabled, skipped, unchanged = map(int, found.groups())
    return "ready", {
        "created": created,
        "updated": updated,
        "disabled": disabled,
        "unchanged": unchanged,
        "skipped": skipped,
    }


SIECLE_FILES = {
    "edge-cases-zip": zip_bytes(
        [
            (
                "Exports/2026/ElevesSansAdresses.xml",
                siecle_xml(
                    [
                        eleve(1, division="3E1", more_divisions=("Inactifs", "3E2")),
                        eleve(2, last_name="ŒUVRARD-L'HŸVER", first_name="Šárka"),
                        Eleve(ine="", last_name="SANSINE"),
                        eleve(4, left_on="01/10/2026"),
                        eleve(5, division="Inactifs"),
                    ]
                ),
            ),
            ("Exports/.old/ElevesSansAdresses.xml", b"not even xml"),
            ("__MACOSX/Exports/2026/._ElevesSansAdresses.xml", b"\x00\x05\x16\x07"),
        ]
    ),
    "garbled-names": siecle_xml(
        [eleve(1, first_name="Leïla"), eleve(2, last_name="François"), eleve(2, sex=None)],
        encoding="utf-8",
        declared_encoding="ISO-8859-15",
    ),
    "other-school": siecle_xml([eleve(1, sex=None), eleve(1)], uai="0750002B"),
    "undefined-entity": siecle_xml([eleve(1, last_name="MARTINX")]).replace(b"X<", b"&x;<"),
}


FREGATA_FILES = {
    "current-export": fregata_export(
        [
            fregata_student(1, sex="Masculin", birth_city="", birthdate="14/02/08"),
            fregata_student(2, sex="FÉMININ", division="Division     1"),
            fregata_student(3, birth_country_code="99109", birth_city_code="", birth_city="BONN"),
            fregata_student(4, division="Inactifs"),
        ],
        encoding="mac_roman",
        tail="\r\n\r\n",
    ),
    "broken-rows": fregata_export(
        [
            fregata_student(1, birth_city_code="A1234"),
            fregata_student(2, first_name="LeÃ¯la", birth_department_code="9"),
            fregata_student(3, birth_country_code="99109", birth_city_code="", birth_city=""),
        ]
    ),
}


FILES = [(name, False) for name in SIECLE_FILES] + [(name, True) for name in FREGATA_FILES]


@pytest.mark.parametrize(("name", "agricultural"), FILES)
def test_the_preview_and_the_command_give_the_same_outcome(
    name, agricultural, alice_client, school, django_capture_on_commit_callbacks, tmp_path
):
    if agricultural:
        Organization.objects.filter(pk=school.pk).update(type=Organization.Type.SCO_AGRI)
    data = (FREGATA_FILES if agricultural else SIECLE_FILES)[name]

    on_the_web = web_outcome(alice_client, school, data, django_capture_on_commit_callbacks)
    alice_client.post(reverse("students:import_job_cancel", args=[school.id, _last_job_id()]))
    from_the_command = command_outcome(school, data, tmp_path)

    assert on_the_web == from_the_command
    assert on_the_web[1], "an outcome with something in it"


def test_what_both_say_about_the_edge_case_zip(
    client, alice, school, django_capture_on_commit_callbacks, tmp_path
):
    outcome = command_outcome(school, SIECLE_FILES["edge-cases-zip"], tmp_path)

    assert outcome == (
        "ready",
        {"created": 2, "updated": 0, "disabled": 0, "unchanged": 0, "skipped": 3},
    )
    divisions = dict(Student.objects.values_list("ine", "division"))
    assert divisions == {"070000001AA": "3E2", "070000002AA": "3E2"}


def _last_job_id() -> int:
    return ImportJob.objects.latest("pk").pk
