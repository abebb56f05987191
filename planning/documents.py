"""The day pack: for a day's sessions, one PDF a school prints in one go.

Per session a cover page (room, time, invigilators, access code, invigilator password), then its
kit, attendance sheet and PV d'incident; at the end the convocations of every candidate sorted by
class, for the teachers to hand out. Everything but the cover is sessions' own documents.
"""

import io
import zipfile
from collections.abc import Callable
from itertools import groupby

from core.names import name_sort_key
from jobs.pdf import pdf_lay_out_html, pdf_write
from sessions.documents import (
    attendance_sheet_render,
    convocations_render,
    incident_report_render,
    invigilator_kit_render,
)
from sessions.models import Candidate, Session, examiner_names
from sessions.selectors import candidates_for_documents

Progress = Callable[[int, int], None]
SESSION_PARTS = [invigilator_kit_render, attendance_sheet_render, incident_report_render]


def session_cover_lay_out(*, session: Session, candidates: list[Candidate]):
    """One page, on the sessions documents' layout (their base template and header)."""
    return pdf_lay_out_html(
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
) -> list[tuple[str, list]]:
    """(file name, laid-out documents) per session, then the convocations sorted by class.
    Laid out, not written: each file and the whole pack are written once (`pdf_write`), so they
    keep their PDF/UA structure, which joining finished PDFs would drop."""
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
        documents = [session_cover_lay_out(session=session, candidates=candidates)]
        step()
        for render in SESSION_PARTS:
            documents += render(session=session, candidates=candidates, laid_out=True)
            step()
        parts.append((f"session-{session.pk}-{session.time:%Hh%M}-{session.room}.pdf", documents))
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
        document
        for session, run in groupby(everyone, key=lambda pair: pair[0])
        for document in convocations_render(
            session=session, candidates=[c for _s, c in run], laid_out=True
        )
    ]
    if convocations:
        parts.append(("convocations-par-classe.pdf", convocations))
    step()
    return parts


def day_pack_merge(parts: list[tuple[str, list]]) -> bytes:
    return pdf_write([document for _name, documents in parts for document in documents])


def day_pack_zip(parts: list[tuple[str, list]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, documents in parts:
            archive.writestr(name, pdf_write(documents))
    return buffer.getvalue()


def day_pack_render(*, sessions: list[Session], progress: Progress | None = None) -> bytes:
    """The whole pack as one PDF."""
    return day_pack_merge(day_pack_parts(sessions=sessions, progress=progress))
