"""Export of the filtered Élèves list as CSV and XLSX, safe against formula injection."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AuditLog
from core.exports import spreadsheet_safe
from students.models import Student
from tests.factories import StudentFactory, StudentUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def students(school):
    StudentFactory(
        organization=school,
        last_name="=CMD|' /C calc'!A0",
        first_name="+Léa",
        division="3EA",
        user=StudentUserFactory(),
        certifiability=Student.Certifiability.CERTIFIABLE,
    )
    StudentFactory(organization=school, last_name="MARTIN", first_name="@Noé", division="3EA")
    StudentFactory(organization=school, last_name="ZOLA", first_name="Émile", division="4EB")


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+1", "'=1+1"),
        ("+33", "'+33"),
        ("-2", "'-2"),
        ("@SUM", "'@SUM"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Léa", "Léa"),
        (None, ""),
        (3, "3"),
    ],
)
def test_cells_that_would_run_as_formulas_get_an_apostrophe(value, expected):
    assert spreadsheet_safe(value) == expected


def test_the_csv_has_a_bom_semicolons_the_filtered_rows_and_no_formula(
    bob_client, bob, students, school
):
    response = bob_client.get(
        reverse("students:export_csv", args=[school.id]), {"classe": "3EA", "tri": "nom"}
    )
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].endswith('_eleves.csv"')
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content[1:]), delimiter=";"))
    assert rows[0][:5] == [
        "Nom",
        "Prénom",
        "Date de naissance",
        "Classe",
        "Méthode(s) de connexion",
    ]
    assert rows[0][-2:] == ["Certificabilité", "Date du profil"]
    assert [row[0] for row in rows[1:]] == ["'=CMD|' /C calc'!A0", "MARTIN"]
    assert rows[1][1] == "'+Léa" and rows[2][1] == "'@Noé"
    assert rows[1][4] == "Identifiant" and rows[1][8] == "Certifiable"
    log = AuditLog.objects.get(action=AuditLog.Action.EXPORT, actor=bob)
    assert log.details["rows"] == 2 and log.details["format"] == "csv"


def test_the_xlsx_has_string_cells_and_no_formula(bob_client, students, school):
    response = bob_client.get(reverse("students:export_xlsx", args=[school.id]))
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][0] == "Nom" and len(rows) == 4
    cells = [cell for row in workbook.active.iter_rows() for cell in row]
    assert all(cell.data_type in ("s", "n") for cell in cells if cell.value is not None)
    assert rows[1][0] == "'=CMD|' /C calc'!A0"
