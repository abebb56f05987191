"""Session documents: real A4 PDFs rendered by WeasyPrint from Django templates, and one ZIP
holding them all.

Every document is a list of pages laid out in Python (20 candidates per attendance-sheet page,
one convocation per candidate…), each page numbered "Page n/N". Big documents are rendered in
chunks of a few pages and the chunks merged: WeasyPrint's time and memory then grow linearly
with the number of pages instead of blowing up on one table that spans a hundred pages.
"""

import io
import math
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jobs.pdf import pdf_lay_out, pdf_write

from .models import Candidate, IssueReportCode, Session, examiner_names
from .selectors import candidates_for_documents

Progress = Callable[[int, int], None]

CHUNK_PAGES = 10
ATTENDANCE_ROWS_PER_PAGE = 20
INCIDENT_CANDIDATES_PER_PAGE = 28
INCIDENT_RULED_ROWS = 12
LAST_NAME_MAX_CHARS = 21
FIRST_NAME_MAX_CHARS = 18


def truncate(value: str, max_chars: int) -> str:
    """Cut a long name visibly, with an ellipsis, so that every row stays on one line."""
    value = " ".join(value.split())
    if len(value) <= max_chars:
        return value
    return value[: max_chars - 1].rstrip() + "…"


def _chunks(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]


def _row(candidate: Candidate) -> dict:
    return {
        "last_name": truncate(candidate.last_name, LAST_NAME_MAX_CHARS),
        "first_name": truncate(candidate.first_name, FIRST_NAME_MAX_CHARS),
        "birthdate": candidate.birthdate,
        "division": truncate(candidate.division, 10),
        "extra_time_percentage": candidate.extra_time_percentage,
    }


def _render(
    template_name: str,
    *,
    session: Session,
    pages: list[dict],
    progress: Progress | None = None,
    laid_out: bool = False,
    **context,
):
    """Lay out `pages` (numbered here) CHUNK_PAGES at a time, written as one tagged PDF; with
    `laid_out`, the laid-out documents, for a bigger PDF written once (the day pack)."""
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        page["number"] = number
    context = {
        "session": session,
        "organization": session.organization,
        "examiners": [name.strip() for name in examiner_names(session.examiner)],
        "page_count": total,
        "site_url": settings.SITE_URL,
        **context,
    }
    documents = pdf_lay_out(
        template_name=template_name,
        context=context,
        items=pages,
        key="pages",
        per_chunk=CHUNK_PAGES,
        on_progress=progress and (lambda done: progress(done, total)),
    )
    if laid_out:
        return documents
    content = pdf_write(documents)
    if progress:
        progress(total, total)
    return content


def attendance_sheet_render(
    *,
    session: Session,
    candidates: list[Candidate],
    progress: Progress | None = None,
    laid_out: bool = False,
):
    """Feuille d'émargement: 20 candidates per page, sorted by name, a signature column."""
    pages = [
        {"rows": [_row(c) for c in chunk]}
        for chunk in _chunks(candidates, ATTENDANCE_ROWS_PER_PAGE)
    ]
    return _render(
        "sessions/documents/attendance_sheet.html",
        session=session,
        pages=pages,
        progress=progress,
        laid_out=laid_out,
    )


def _issue_codes() -> list[tuple[str, str | Promise]]:
    return [(code.value, code.label) for code in IssueReportCode]


def incident_report_render(
    *,
    session: Session,
    candidates: list[Candidate],
    progress: Progress | None = None,
    laid_out: bool = False,
):
    """PV d'incident: the candidates, ruled space for incidents, the list of codes."""
    pages = [
        {
            "kind": "candidates",
            "rows": [_row(c) for c in chunk],
            "first": index * INCIDENT_CANDIDATES_PER_PAGE,
        }
        for index, chunk in enumerate(_chunks(candidates, INCIDENT_CANDIDATES_PER_PAGE))
    ]
    pages.append({"kind": "incidents", "ruled_rows": range(INCIDENT_RULED_ROWS)})
    pages.append({"kind": "codes"})
    return _render(
        "sessions/documents/incident_report.html",
        session=session,
        pages=pages,
        progress=progress,
        laid_out=laid_out,
        codes=_issue_codes(),
        candidate_count=len(candidates),
    )


def fraud_report_render(
    *, session: Session, candidates: list[Candidate], progress: Progress | None = None
) -> bytes:
    """PV de fraude: one page to describe the facts, the measures taken, and sign."""
    return _render(
        "sessions/documents/fraud_report.html",
        session=session,
        pages=[{"kind": "fraud"}],
        progress=progress,
        ruled_lines=range(7),
    )


def convocations_render(
    *,
    session: Session,
    candidates: list[Candidate],
    progress: Progress | None = None,
    laid_out: bool = False,
):
    """One convocation page per candidate."""
    pages: list[dict[str, Candidate | None]] = [
        {"candidate": candidate} for candidate in candidates
    ] or [{"candidate": None}]
    return _render(
        "sessions/documents/convocations.html",
        session=session,
        pages=pages,
        progress=progress,
        laid_out=laid_out,
    )


def invigilator_kit_render(
    *,
    session: Session,
    candidates: list[Candidate],
    progress: Progress | None = None,
    laid_out: bool = False,
):
    """Kit surveillant: the codes, what to read to the candidates, the end-of-test steps."""
    return _render(
        "sessions/documents/invigilator_kit.html",
        session=session,
        pages=[{"kind": "codes"}, {"kind": "instructions"}, {"kind": "end"}],
        progress=progress,
        laid_out=laid_out,
        candidate_count=len(candidates),
        extra_time_count=sum(1 for c in candidates if c.extra_time_percentage),
    )


@dataclass(frozen=True)
class SessionDocument:
    slug: str
    label: str | Promise  # lazy: translated when shown
    render: Callable[..., bytes]
    pages: Callable[[int], int]
    extension: str = "pdf"

    def filename(self, session: Session) -> str:
        return f"session-{session.pk}-{self.slug}.{self.extension}"

    @property
    def content_type(self) -> str:
        return "application/zip" if self.extension == "zip" else "application/pdf"


PDF_DOCUMENTS = [
    SessionDocument(
        "feuille-emargement",
        _("Feuille d'émargement"),
        attendance_sheet_render,
        lambda n: max(1, math.ceil(n / ATTENDANCE_ROWS_PER_PAGE)),
    ),
    SessionDocument(
        "pv-incident",
        _("PV d'incident"),
        incident_report_render,
        lambda n: max(1, math.ceil(n / INCIDENT_CANDIDATES_PER_PAGE)) + 2,
    ),
    SessionDocument("pv-fraude", _("PV de fraude"), fraud_report_render, lambda n: 1),
    SessionDocument("convocations", _("Convocations"), convocations_render, lambda n: max(1, n)),
    SessionDocument("kit-surveillant", _("Kit surveillant"), invigilator_kit_render, lambda n: 3),
]


def documents_zip_render(
    *, session: Session, candidates: list[Candidate], progress: Progress | None = None
) -> bytes:
    """Tout télécharger: every PDF of the session in one ZIP."""
    total = sum(document.pages(len(candidates)) for document in PDF_DOCUMENTS)
    done = 0
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for document in PDF_DOCUMENTS:

            def report(pages_done, _pages, base=done):
                if progress:
                    progress(min(total, base + pages_done), total)

            content = document.render(session=session, candidates=candidates, progress=report)
            archive.writestr(document.filename(session), content)
            done += document.pages(len(candidates))
    return buffer.getvalue()


DOCUMENTS = {
    document.slug: document
    for document in [
        *PDF_DOCUMENTS,
        SessionDocument(
            "tout",
            _("Tous les documents (ZIP)"),
            documents_zip_render,
            lambda n: sum(d.pages(n) for d in PDF_DOCUMENTS),
            extension="zip",
        ),
    ]
}


def document_render(*, document: SessionDocument, session: Session, progress=None) -> bytes:
    candidates = candidates_for_documents(session=session)
    return document.render(session=session, candidates=candidates, progress=progress)
