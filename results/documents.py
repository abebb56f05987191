"""PDF documents: certificates (attestations) and the bilan, rendered by WeasyPrint."""

from collections.abc import Callable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from certification.models import Area
from certification.referential import LEVEL_LABELS, max_pix
from core.exports import file_name_part
from jobs.pdf import pdf_render, pdf_render_html

# Pages rendered per WeasyPrint call: small enough to report progress, large enough to be quick.
CERTIFICATES_PER_CHUNK = 5


def verification_url() -> str:
    return settings.SITE_URL.rstrip("/") + reverse("results_public:verification")


def _areas():
    return list(Area.objects.prefetch_related("competences").order_by("code"))


def certificate_context(result, areas) -> dict:
    candidate = result.candidate
    organization = candidate.session.organization
    levels = {mark.competence.code: mark.level for mark in result.marks.all()}
    return {
        "result": result,
        "candidate": candidate,
        "organization": organization,
        "delivered_on": timezone.localtime(result.published_at, organization.zoneinfo).date(),
        "max_pix": max_pix(),
        "areas": [
            {
                "area": area,
                "competences": [
                    {
                        "competence": competence,
                        "level": levels.get(competence.code),
                        "label": LEVEL_LABELS.get(levels.get(competence.code) or 0, ""),
                    }
                    for competence in area.competences.all()
                ],
            }
            for area in areas
        ],
    }


def certificates_render(*, results, on_progress: Callable[[int], None] | None = None) -> bytes:
    """One A4 page per certificate, in one PDF."""
    if not results:
        raise ValueError("Aucune attestation à produire.")
    areas = _areas()
    return pdf_render(
        template_name="results/certificates.pdf.html",
        context={"verification_url": verification_url()},
        items=[certificate_context(result, areas) for result in results],
        key="certificates",
        per_chunk=CERTIFICATES_PER_CHUNK,
        on_progress=on_progress,
    )


def certificate_file_name(result) -> str:
    name = f"{result.candidate.last_name}_{result.candidate.first_name}"
    return f"attestation_pix_{file_name_part(name, 'candidat')}_{result.test_date:%Y%m%d}.pdf"


def certificates_file_name(*, division: str = "", session=None) -> str:
    label = division or (f"session_{session.pk}" if session else "etablissement")
    return f"attestations_pix_{file_name_part(label, 'classe')}.pdf"


def bilan_render(*, context: dict) -> bytes:
    return pdf_render_html("results/bilan.pdf.html", context)
