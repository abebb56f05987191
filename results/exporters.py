"""The results export of domain §7: one row per certified candidate, as CSV or XLSX."""

from collections import defaultdict
from datetime import date

from django.db.models import QuerySet

from certification.referential import COMPETENCE_CODES
from core.exports import file_name_part

from .models import CertificationResult, CompetenceMark, organization_comment

HEADER = [
    "Numéro de certification",
    "Prénom",
    "Nom",
    "Date de naissance",
    "Lieu de naissance",
    "Identifiant Externe",
    "Statut",
    "Nombre de Pix",
    *COMPETENCE_CODES,
    "Commentaire jury pour l’organisation",
    "Session",
    "Date de passage de la certification",
]
NOT_TESTED = "-"


def competence_cells(status: str, levels: dict[str, int]) -> list[str]:
    """`-` not tested (or cancelled); `0` tested and failed, or rejected; else the level."""
    if status == CertificationResult.Status.VALIDATED:
        return [str(levels[code]) if code in levels else NOT_TESTED for code in COMPETENCE_CODES]
    if status == CertificationResult.Status.REJECTED:
        return ["0" if code in levels else NOT_TESTED for code in COMPETENCE_CODES]
    return [NOT_TESTED] * len(COMPETENCE_CODES)


def result_competence_cells(result: CertificationResult) -> list[str]:
    return competence_cells(result.status, {m.competence.code: m.level for m in result.marks.all()})


ROW_FIELDS = (
    "pk",
    "candidate__first_name",
    "candidate__last_name",
    "candidate__birthdate",
    "candidate__birth_city",
    "candidate__birth_country",
    "candidate__external_id",
    "status",
    "pix_score",
    "jury_comment",
    "candidate__session_id",
    "test_date",
)


def result_rows(results: QuerySet[CertificationResult]) -> list[list]:
    """The export's rows, in the queryset's order. Two queries of plain values, no model
    instances: a whole school (3 500 results) stays well under half a second."""
    levels: dict[int, dict[str, int]] = defaultdict(dict)
    marks = CompetenceMark.objects.filter(result__in=results.values("pk")).values_list(
        "result_id", "competence__code", "level"
    )
    for result_id, code, level in marks:
        levels[result_id][code] = level
    labels = {value: str(label) for value, label in CertificationResult.Status.choices}
    rows = []
    for values in results.values_list(*ROW_FIELDS):
        pk, first, last, birthdate, city, country, external_id, status = values[:8]
        pix_score, comment, session_id, test_date = values[8:]
        rows.append(
            [
                str(pk),
                first,
                last,
                birthdate.strftime("%d/%m/%Y"),
                city or country,
                external_id,
                labels[status],
                NOT_TESTED if status == CertificationResult.Status.CANCELLED else pix_score,
                *competence_cells(status, levels.get(pk, {})),
                organization_comment(status=status, jury_comment=comment),
                str(session_id),
                test_date.strftime("%d/%m/%Y"),
            ]
        )
    return rows


def export_file_name(*, day: date, label: str, extension: str) -> str:
    """`YYYYMMDD_resultats_<classe>.csv`; the label loses spaces and path characters."""
    return f"{day:%Y%m%d}_resultats_{file_name_part(label, 'resultats')}.{extension}"
