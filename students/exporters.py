"""The Élèves list, as filtered on the page, in CSV (UTF-8 with BOM, `;`) or XLSX."""

from django.utils import timezone

from core.exports import csv_response, xlsx_response

HEADER = [
    "Nom",
    "Prénom",
    "Date de naissance",
    "Classe",
    "Méthode(s) de connexion",
    "Nombre de participations",
    "Dernière participation",
    "Date de la dernière participation",
    "Certificabilité",
    "Date du profil",
]


def _date(value, zone) -> str:
    return value.astimezone(zone).strftime("%d/%m/%Y") if value else ""


def students_export_rows(*, organization, students):
    zone = organization.zoneinfo
    for student in students:
        yield [
            student.display_last_name,
            student.first_name,
            student.birthdate.strftime("%d/%m/%Y"),
            student.division,
            ", ".join(student.user.connection_methods) if student.user else "",
            student.participation_count,
            student.last_participation_name or "",
            _date(student.last_participation_at, zone),
            student.get_certifiability_display(),
            _date(student.certifiability_profile_date, zone),
        ]


def students_export_response(*, organization, students, file_format: str):
    """Returns (response, number of students exported)."""
    rows = list(students_export_rows(organization=organization, students=students))
    filename = f"{timezone.now().astimezone(organization.zoneinfo):%Y%m%d_%H%M}_eleves"
    if file_format == "xlsx":
        return xlsx_response(f"{filename}.xlsx", HEADER, rows, title="Élèves"), len(rows)
    return csv_response(f"{filename}.csv", HEADER, rows), len(rows)
