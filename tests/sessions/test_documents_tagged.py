"""Session documents are PDF/UA: a screen reader gets headings, tables, French and the title."""

import io
import zipfile

import pytest

from sessions.documents import PDF_DOCUMENTS, documents_zip_render
from sessions.selectors import candidates_for_documents
from tests.factories import CandidateFactory
from tests.pdf_tags import assert_accessible

pytestmark = pytest.mark.django_db

ROLES = {
    "feuille-emargement": {"/H1", "/Table", "/TH", "/TD"},
    "pv-incident": {"/H1", "/H2", "/Table", "/TH", "/TD"},
    "pv-fraude": {"/H1", "/H2"},
    "convocations": {"/H1", "/H2", "/L"},
    "kit-surveillant": {"/H1", "/H2", "/Link"},
}
TITLES = {
    "feuille-emargement": "Feuille d'émargement",
    "pv-incident": "PV d'incident",
    "pv-fraude": "PV de fraude",
    "convocations": "Convocations",
    "kit-surveillant": "Kit surveillant",
}


@pytest.mark.parametrize("document", PDF_DOCUMENTS, ids=lambda document: document.slug)
def test_every_session_document_is_tagged_for_screen_readers(session, document, settings):
    settings.SITE_URL = "https://pix-portal.example.fr"
    # 25 convocations: three chunks of 10 pages laid out apart, written as one document.
    for number in range(25):
        CandidateFactory(session=session, last_name=f"ÉLÈVE{number:02d}", first_name="Zoé")
    content = document.render(session=session, candidates=candidates_for_documents(session=session))

    pdf = assert_accessible(
        content,
        title=f"{TITLES[document.slug]} — Session n° {session.pk}",
        roles=ROLES[document.slug],
    )
    if "/TD" in ROLES[document.slug]:  # every data cell is tied to its column header
        assert pdf.cell_headers and all(pdf.cell_headers)
    if document.slug == "convocations":
        assert pdf.page_count == 25 and pdf.roles.count("/H1") == 25
    if document.slug == "kit-surveillant":
        assert pdf.links == ["https://pix-portal.example.fr/espace-surveillant/"]


def test_every_pdf_of_download_all_is_tagged(session):
    CandidateFactory(session=session)
    archive = zipfile.ZipFile(
        io.BytesIO(
            documents_zip_render(
                session=session, candidates=candidates_for_documents(session=session)
            )
        )
    )
    for document in PDF_DOCUMENTS:
        assert_accessible(
            archive.read(document.filename(session)),
            title=f"{TITLES[document.slug]} — Session n° {session.pk}",
            roles=ROLES[document.slug],
        )


def test_the_progress_of_a_big_document_waits_for_its_writing_before_reaching_the_end(session):
    for number in range(25):
        CandidateFactory(session=session, last_name=f"ÉLÈVE{number:02d}")
    reported = []
    convocations = next(d for d in PDF_DOCUMENTS if d.slug == "convocations")
    convocations.render(
        session=session,
        candidates=candidates_for_documents(session=session),
        progress=lambda done, total: reported.append((done, total)),
    )
    # Three chunks laid out, then the one tagged document written (about a third of the time).
    assert reported == [(7, 25), (14, 25), (17, 25), (25, 25)]
