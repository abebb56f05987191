"""The day pack: for a day's sessions, one PDF a school prints in one go.

Per session a cover page (room, time, invigilators, access code, invigilator password), then its
kit, attendance sheet and PV d'incident; at the end the convocations of every candidate sorted by
class, for the teachers to hand out. Everything but the cover is sessions' own documents.
"""

import io
import zipfile
from collections.abc import Callable
from itertools import groupby

import pypdf

from jobs.pdf import pdf_render_html
from sessions.documents import (
    attendance_sheet_render,
    convocations_render,
    incident_report_render,
    invigilator_kit_render,
)
from sessions.models import Candidate, Session, examiner_names
from sessions.selectors import candidates_for_documents, name_sort_key

Progress = Callable[[int, int], None]
SESSION_PARTS = [invigilator_kit_render, attendance_sheet_render, incident_report_render]


def session_cover_render(*, session: Session, candidates: list[Candidate]) -> bytes:
    """One page, on the sessions documents' layout (their base template and header)."""
    return pdf_render_html(
        "planning/documents/session_cover.html",
        {
            "session": session,
            "organization": session.organization,
            "examiners": [name.strip() for name in examiner_names(session.examiner)],
            "pages": [{"number": 1}],
            "page_count": 1,
            "candidate_count": len(candidates),
            "extra_time_count": sum(1 for c in candidates if c.extra_time_percentage),
            "classes": sorted({c.division for c in candidates}, key=lambda d: name_sort_key(d, "")),
        },
    )


def day_pack_parts(
    *, sessions: list[Session], progress: Progress | None = None
) -> list[tuple[str, bytes]]:
    """(file name, PDF) per session, then the convocations sorted by class."""
    enrolled = [(session, candidates_for_documents(session=session)) for session in sessions]
    total = len(sessions) * (len(SESSION_PARTS) + 1) + 1
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total)

    parts = []
    for session, candidates in enrolled:
        pdfs = [session_cover_render(session=session, candidates=candidates)]
        step()
        for render in SESSION_PARTS:
            pdfs.append(render(session=session, candidates=candidates))
            step()
        parts.append(
            (f"session-{session.pk}-{session.time:%Hh%M}-{session.room}.pdf", _merge(pdfs))
        )
    order = {session.pk: index for index, session in enumerate(sessions)}
    everyone = sorted(
        ((session, c) for session, candidates in enrolled for c in candidates),
        key=lambda pair: (
            name_sort_key(pair[1].division, ""),
            order[pair[0].pk],
            *name_sort_key(pair[1].last_name, pair[1].first_name),
        ),
    )
    convocations = [
        convocations_render(session=session, candidates=[c for _s, c in run])
        for session, run in groupby(everyone, key=lambda pair: pair[0])
    ]
    if convocations:
        parts.append(("convocations-par-classe.pdf", _merge(convocations)))
    step()
    return parts


def _merge(pdfs: list[bytes]) -> bytes:
    """Documents written whole, one after the other. pypdf keeps their pages but drops their
    PDF/UA structure trees: the pack is for printing; each document stays tagged when downloaded
    from its session's page."""
    if len(pdfs) == 1:
        return pdfs[0]
    writer = pypdf.PdfWriter()
    for pdf in pdfs:
        writer.append(pypdf.PdfReader(io.BytesIO(pdf)))
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def day_pack_merge(parts: list[tuple[str, bytes]]) -> bytes:
    return _merge([content for _name, content in parts])


def day_pack_zip(parts: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts:
            archive.writestr(name, content)
    return buffer.getvalue()


def day_pack_render(*, sessions: list[Session], progress: Progress | None = None) -> bytes:
    """The whole pack as one PDF."""
    return day_pack_merge(day_pack_parts(sessions=sessions, progress=progress))
