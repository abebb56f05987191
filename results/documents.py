"""PDF documents: certificates (attestations) and the bilan, rendered by WeasyPrint."""

from collections.abc import Callable

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from certification.models import Area
from certification.referential import LEVEL_LABELS, max_pix
from pix_portal.exports import file_name_part

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
    import weasyprint  # heavy (~40 MB, 0.5 s): only processes that render should pay for it

    if not results:
        raise ValueError("Aucune attestation à produire.")
    areas = _areas()
    pages = []
    documents = []
    for start in range(0, len(results), CERTIFICATES_PER_CHUNK):
        chunk = results[start : start + CERTIFICATES_PER_CHUNK]
        html = render_to_string(
            "results/certificates.pdf.html",
            {
                "certificates": [certificate_context(result, areas) for result in chunk],
                "verification_url": verification_url(),
            },
        )
        document = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).render()
        documents.append(document)
        pages += document.pages
        if on_progress:
            on_progress(start + len(chunk))
    return documents[0].copy(pages).write_pdf()


def certificate_file_name(result) -> str:
    name = f"{result.candidate.last_name}_{result.candidate.first_name}"
    return f"attestation_pix_{file_name_part(name, 'candidat')}_{result.test_date:%Y%m%d}.pdf"


def certificates_file_name(*, division: str = "", session=None) -> str:
    label = division or (f"session_{session.pk}" if session else "etablissement")
    return f"attestations_pix_{file_name_part(label, 'classe')}.pdf"


def bilan_render(*, context: dict) -> bytes:
    import weasyprint

    html = render_to_string("results/bilan.pdf.html", context)
    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
