"""Export of the filtered Élèves list as CSV and XLSX, safe against formula injection."""

import csv
import io
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AuditLog
from certification.models import CampaignParticipation
from core.exports import spreadsheet_safe
from students.models import Student
from tests.factories import CampaignFactory, StudentFactory, StudentUserFactory

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


def test_the_export_names_each_certifiability_as_the_page_does(bob_client, school):
    for name, status in (
        ("AUBERT", Student.Certifiability.CERTIFIABLE),
        ("BLANC", Student.Certifiability.NOT_CERTIFIABLE),
        ("CARON", Student.Certifiability.NOT_AVAILABLE),
    ):
        StudentFactory(organization=school, last_name=name, certifiability=status)

    response = bob_client.get(reverse("students:export_csv", args=[school.id]), {"tri": "nom"})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8")[1:]), delimiter=";"))
    assert [(row[0], row[8]) for row in rows[1:]] == [
        ("AUBERT", "Certifiable"),
        ("BLANC", "Non certifiable"),
        ("CARON", "Non communiqué"),
    ]


def test_the_xlsx_has_string_cells_and_no_formula(bob_client, students, school):
    response = bob_client.get(reverse("students:export_xlsx", args=[school.id]))
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][0] == "Nom" and len(rows) == 4
    cells = [cell for row in workbook.active.iter_rows() for cell in row]
    assert all(cell.data_type in ("s", "n") for cell in cells if cell.value is not None)
    assert rows[1][0] == "'=CMD|' /C calc'!A0"


def test_the_export_shows_each_students_latest_participation_in_the_school_time_zone(
    charlie_client, other_school
):
    """Read through the school's campaigns: the latest of several, dated on the school's day
    (Tahiti: 09:30 in Paris is the evening before), blank for a student who sent none."""
    other_school.timezone = "Pacific/Tahiti"
    other_school.save()
    sent = StudentFactory(organization=other_school, last_name="AUBRY")
    StudentFactory(organization=other_school, last_name="BLANC")
    for name, day in [("Rentrée", 3), ("Printemps", 5), ("Hiver", 4)]:
        campaign = CampaignFactory(organization=other_school, name=name)
        at = datetime(2026, 3, day, 8, 30, tzinfo=UTC)
        CampaignParticipation.objects.create(
            campaign=campaign,
            student=sent,
            shared_at=at,
            profile_computed_at=at,
            pix_total=0,
            is_certifiable=False,
        )
    response = charlie_client.get(reverse("students:export_csv", args=[other_school.id]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8")[1:]), delimiter=";"))
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["AUBRY"][5:8] == ["3", "Printemps", "04/03/2026"]
    assert by_name["BLANC"][5:8] == ["0", "", ""]


@pytest.mark.parametrize("status", [*Student.Certifiability.values, "inconnu"])
def test_the_certifiability_label_is_the_models_display(school, status):
    """What the lists show (board, session, enrolment message) and the model's own display."""
    student = StudentFactory.build(organization=school, certifiability=status)

    assert student.certifiability_label == student.get_certifiability_display()
