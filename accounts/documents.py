"""PDF documents of student accounts: the slips to cut out and hand to each student."""

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

SLIPS_PER_PAGE = 10
# Rendered 10 pages at a time so a long document reports its progress (and pages stay whole).
SLIPS_PER_CHUNK = 10 * SLIPS_PER_PAGE
# A part (25 pages for 1 000 slips) takes a second or two: unanswered after this, its process is
# gone.
SLIPS_PART_TIMEOUT_SECONDS = 120


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


def _slips_part(arguments: tuple[_School, list[_Slip], datetime]) -> bytes:
    organization, lines, expires_at = arguments
    return password_slips_render(organization=organization, lines=lines, expires_at=expires_at)


def password_slips_render_in_processes(
    *,
    organization,
    lines: Sequence,
    expires_at: datetime,
    processes: int,
    on_progress: Callable[[int], None] | None = None,
) -> bytes:
    """The same slips, laid out by `processes` forked processes at once (WeasyPrint holds the GIL:
    threads would take turns), in parts of whole pages, then joined. The clear passwords only
    cross a pipe, in memory.

    billiard (Celery's multiprocessing) rather than the standard library: a Celery worker's
    processes are daemons, which the standard library forbids to have children. The children
    get plain values and never touch the database. A child killed meanwhile (out of memory, say)
    would leave its part unanswered for ever: each part has a time limit.
    """
    from billiard.pool import Pool
    from pypdf import PdfWriter

    school = _School(organization.name)
    # Two parts per process, of whole pages: a part costs a document's set-up and a merge, so
    # fewer is quicker; two each still moves the progress bar along.
    pages = -(-len(lines) // SLIPS_PER_PAGE)
    part_size = -(-pages // (2 * processes)) * SLIPS_PER_PAGE
    parts = [
        [
            _Slip(line.last_name, line.first_name, line.division, line.identifiant, line.password)
            for line in lines[start : start + part_size]
        ]
        for start in range(0, len(lines), part_size)
    ]
    writer, done = PdfWriter(), 0
    with Pool(processes=processes) as pool:
        pending = [pool.apply_async(_slips_part, ((school, part, expires_at),)) for part in parts]
        for part, result in zip(parts, pending, strict=True):
            writer.append(io.BytesIO(result.get(timeout=SLIPS_PART_TIMEOUT_SECONDS)))
            done += len(part)
            if on_progress:
                on_progress(done)
    joined = io.BytesIO()
    writer.write(joined)
    return joined.getvalue()
