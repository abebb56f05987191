"""PDF documents of student accounts: the slips to cut out and hand to each student."""

from collections.abc import Callable, Sequence
from datetime import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

SLIPS_PER_PAGE = 10
# Rendered 10 pages at a time so a long document reports its progress (and pages stay whole).
SLIPS_PER_CHUNK = 10 * SLIPS_PER_PAGE


def password_slips_render(
    *,
    organization,
    lines: Sequence,
    expires_at: datetime,
    on_progress: Callable[[int], None] | None = None,
) -> bytes:
    """A4 slips, in the order of `lines` (each has last_name, first_name, division, identifiant,
    password); `on_progress(n)` is told how many slips are laid out so far."""
    import weasyprint  # heavy (~40 MB, 0.5 s): only processes that render should pay for it

    context = {
        "organization": organization,
        "expires_at": expires_at,
        "login_url": settings.SITE_URL.rstrip("/") + reverse("accounts:login"),
    }
    documents = []
    for start in range(0, max(len(lines), 1), SLIPS_PER_CHUNK):
        chunk = lines[start : start + SLIPS_PER_CHUNK]
        html = render_to_string("accounts/student_accounts/slips.html", {**context, "lines": chunk})
        documents.append(weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).render())
        if on_progress:
            on_progress(start + len(chunk))
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()
