"""A plan made in a spreadsheet: every error names its line; a good file becomes a plan."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from planning.models import SessionPlan
from sessions.models import Candidate, Session
from tests.factories import StudentFactory
from tests.planning.factories import CalendarFactory

pytestmark = pytest.mark.django_db


def _day(offset):
    return timezone.localdate() + datetime.timedelta(days=offset)


@pytest.fixture
def third_years(school):
    for n in range(22):
        StudentFactory(organization=school, division="3A", last_name=f"ALPHA{n:02d}")
    for n in range(18):
        StudentFactory(organization=school, division="3B", last_name=f"BETA{n:02d}")


def _upload(client, school, content: bytes, name="plan.csv"):
    return client.post(
        f"/o/{school.id}/certification/planification/importer/",
        {"file": SimpleUploadedFile(name, content)},
        follow=True,
    )


def test_a_csv_plan_becomes_sessions(alice_client, school, third_years):
    day = _day(12)
    csv = (
        "Classe;Jour;Heure;Salle;Surveillants;Places\n"
        f"3A;{day:%d/%m/%Y};08:00;Salle 1;Mme Durand, M. Petit;30\n"
        f"3B;{day:%d/%m/%Y};10h15;Salle 2;Mme Leroy;24\n"
    ).encode()

    response = _upload(alice_client, school, csv)
    plan = SessionPlan.objects.get()
    created = alice_client.post(
        f"/o/{school.id}/certification/planification/{plan.id}/creer/", follow=True
    )

    assert "Aucun conflit" in response.content.decode()
    assert "2 sessions créées, 40 élèves inscrits." in created.content.decode()
    first = Session.objects.get(room="Salle 1")
    assert (first.date, first.time, first.examiner) == (
        day,
        datetime.time(8, 0),
        "Mme Durand, M. Petit",
    )
    assert set(Candidate.objects.filter(session=first).values_list("division", flat=True)) == {"3A"}


def test_an_xlsx_plan_with_real_dates_and_a_class_on_two_lines(alice_client, school, third_years):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Classe", "Jour", "Heure", "Salle", "Surveillants"])
    sheet.append(["3A", _day(12), datetime.time(8, 0), "Salle 1", "Mme Durand"])
    sheet.append(["3A", _day(12), datetime.time(8, 0), "Salle 2", "M. Petit"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    _upload(alice_client, school, buffer.getvalue(), name="plan.xlsx")

    plan = SessionPlan.objects.get()
    rooms = [place[1] for place in plan.placements.values()]
    assert (rooms.count("Salle 1"), rooms.count("Salle 2")) == (11, 11)


def test_errors_name_their_line_and_nothing_is_planned(alice_client, school, third_years):
    CalendarFactory(
        school_year=2026,
        space_opens_on=datetime.date(2027, 2, 1),
        window_starts_on=datetime.date(2027, 3, 1),
        window_ends_on=datetime.date(2027, 6, 11),
    )
    csv = (
        "Classe;Jour;Heure;Salle;Surveillants\n"
        "3Z;08/03/2027;08:00;Salle 1;Mme Durand\n"
        "3A;31/02/2027;25:00;;\n"
        "3B;14/06/2027;08:00;Salle 2;M. Petit\n"
    ).encode("cp1252")

    page = _upload(alice_client, school, csv).content.decode()

    assert "Ligne 2 : la classe « 3Z » n&#x27;existe pas." in page
    assert (
        "Ligne 3 : le jour « 31/02/2027 » n&#x27;est pas une date JJ/MM/AAAA ; l&#x27;heure "
        "« 25:00 » n&#x27;est pas au format HH:MM ; la salle est vide ; aucun surveillant."
    ) in page
    assert (
        "Ligne 4 : le 14/06/2027 est hors de la période nationale de certification des "
        "collèges : les sessions se tiennent du 01/03/2027 au 11/06/2027."
    ) in page
    assert not SessionPlan.objects.exists()


def test_a_file_without_plan_lines_is_refused(alice_client, school, third_years):
    page = _upload(alice_client, school, b"Classe;Jour;Heure;Salle;Surveillants\n").content.decode()

    assert "Le fichier ne contient aucune ligne de plan." in page


def test_a_zip_that_is_no_spreadsheet_is_refused(alice_client, school, third_years):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("plan.csv", "3A;08/03/2027;08:00;Salle 1;Mme Durand")

    page = _upload(alice_client, school, buffer.getvalue(), name="plan.xlsx").content.decode()

    assert "Le fichier XLSX n&#x27;a pas pu être lu." in page
    assert not SessionPlan.objects.exists()
