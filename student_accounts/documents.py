"""PDF documents of student accounts: the slips to cut out and hand to each student."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.urls import reverse

from jobs.pdf import pdf_render

SLIPS_PER_PAGE = 10
# Rendered 10 pages at a time so a long document reports its progress (and pages stay whole).
SLIPS_PER_CHUNK = 10 * SLIPS_PER_PAGE


@dataclass(frozen=True)
class _Slip:
    last_name: str
    first_name: str
    division: str
    identifiant: str
    password: str


@dataclass(frozen=True)
class _School:
    name: str


def password_slips_render(
    *,
    organization,
    lines: Sequence,
    expires_at: datetime,
    on_progress: Callable[[int], None] | None = None,
) -> bytes:
    """A4 slips, in the order of `lines` (each has last_name, first_name, division, identifiant,
    password); `on_progress(n)` is told how many slips are laid out so far."""
    return pdf_render(
        template_name="student_accounts/slips.html",
        context={
            "organization": _School(organization.name),
            "expires_at": expires_at,
            "login_url": settings.SITE_URL.rstrip("/") + reverse("accounts:login"),
        },
        items=[
            _Slip(line.last_name, line.first_name, line.division, line.identifiant, line.password)
            for line in lines
        ],
        key="lines",
        per_chunk=SLIPS_PER_CHUNK,
        on_progress=on_progress,
    )
