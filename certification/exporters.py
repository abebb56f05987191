"""Campaign participants as a spreadsheet (CSV, UTF-8 with BOM, `;`)."""

from django.utils import timezone
from django.utils.text import slugify

from core.exports import csv_response

from .referential import COMPETENCE_CODES


def campaign_participants_csv(*, campaign, participants):
    header = [
        "Nom",
        "Prénom",
        "Classe",
        "Date d'envoi",
        "Certifiable",
        "Nombre de pix",
        *COMPETENCE_CODES,
    ]
    zone = campaign.organization.zoneinfo
    rows = (
        [
            participation.student.display_last_name,
            participation.student.first_name,
            participation.student.division,
            participation.shared_at.astimezone(zone).strftime("%d/%m/%Y"),
            "Oui" if participation.is_certifiable else "Non",
            participation.pix_total,
            *participation.levels,
        ]
        for participation in participants
    )
    today = timezone.now().astimezone(zone)
    filename = f"{today:%Y%m%d}_campagne_{campaign.code}_{slugify(campaign.name)[:40]}.csv"
    return csv_response(filename, header, rows)
