"""One pack per day: cover, kit, attendance sheet and PV per session, then the convocations
by class; read back from the PDF."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import AuditLog
from jobs.files import private_storage
from jobs.services import jobs_sweep
from planning.documents import day_pack_parts, day_pack_render, day_pack_zip
from planning.models import DayPackJob
from tests.factories import CandidateFactory, SessionFactory
from tests.pdf_tags import assert_accessible, pdf_tags
from tests.sessions.conftest import pdf_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(school):
    """Two sessions on the same day: 08:00 holds 3B and three of 3A, 10:15 the rest of 3A."""
    early = SessionFactory(
        organization=school,
        room="Salle 12",
        examiner="Mme Durand",
        access_code="BKTM47",
        invigilator_password="k7m2pq",
    )
    late = SessionFactory(
        organization=school,
        room="CDI",
        time=early.time.replace(hour=10, minute=15),
        examiner="M. Petit",
        access_code="DFGH23",
        invigilator_password="w3x9tz",
    )
    for n in range(22):
        CandidateFactory(session=early, division="3B", last_name=f"BETA{n:02d}")
    for n in range(3):
        CandidateFactory(
            session=early, division="3A", last_name=f"ALPHA{n:02d}", extra_time_percentage=33
        )
    for n in range(3, 6):
        CandidateFactory(session=late, division="3A", last_name=f"ALPHA{n:02d}")
    return [early, late]


def test_the_pack_holds_each_session_then_the_convocations_by_class(day):
    pages = pdf_pages(day_pack_render(sessions=day))

    # Big codes are letter-spaced: pypdf reads "B K T M 4 7".
    squeezed = [text.replace(" ", "") for text in pages]
    early_cover, late_cover = (
        next(i for i, text in enumerate(squeezed) if "Pochettedesession" in text and code in text)
        for code in ("BKTM47", "DFGH23")
    )
    cover = pages[early_cover]
    assert "Salle 12" in cover and "Mme Durand" in cover and "k7m2pq" in squeezed[early_cover]
    assert "25 candidats inscrits, dont 3 avec temps majoré" in cover
    assert "3A, 3B" in cover
    early_part = "\n".join(pages[early_cover:late_cover])
    for title in ("Kit surveillant", "Feuille d", "PV d"):
        assert title in early_part
    assert "Page 2/2" in early_part  # 25 candidates: two attendance pages
    assert "w3x9tz" in squeezed[late_cover] and "CDI" in squeezed[late_cover]

    convocations = [text for text in pages if "Convocation" in text]
    names = [
        next(word for word in text.split() if word.startswith(("ALPHA", "BETA")))
        for text in convocations
    ]
    assert names == [f"ALPHA{n:02d}" for n in range(6)] + [f"BETA{n:02d}" for n in range(22)]


def test_the_pack_and_each_file_of_its_zip_are_tagged_pdf_ua(day):
    parts = day_pack_parts(sessions=day)
    assert_accessible(
        day_pack_render(sessions=day),
        title=f"Pochette de session — Session n° {day[0].pk}",
        roles={"/H1", "/Table", "/TH", "/TD"},
    )
    with zipfile.ZipFile(io.BytesIO(day_pack_zip(parts))) as archive:
        for name in archive.namelist():
            pdf = pdf_tags(archive.read(name))
            assert pdf.structure is not None and pdf.lang == "fr", name
            assert pdf.tagged_pages == pdf.page_count, name


def test_the_pack_is_prepared_in_a_job_and_downloaded_as_pdf_or_zip(
    bob_client, school, day, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = bob_client.post(
            f"/o/{school.id}/certification/pochettes/", {"day": day[0].date.isoformat()}
        )
    job = DayPackJob.objects.get()
    page = bob_client.get(response.url).content.decode()
    pdf = bob_client.get(f"/o/{school.id}/certification/pochettes/{job.id}/telecharger.pdf")
    archive = bob_client.get(f"/o/{school.id}/certification/pochettes/{job.id}/telecharger.zip")

    assert job.status == DayPackJob.Status.DONE and "La pochette est prête." in page
    assert pdf["Content-Disposition"] == f'attachment; filename="pochette-{day[0].date:%Y%m%d}.pdf"'
    texts = pdf_pages(b"".join(pdf.streaming_content))
    assert any("BKTM47" in text.replace(" ", "") for text in texts)
    names = zipfile.ZipFile(io.BytesIO(b"".join(archive.streaming_content))).namelist()
    assert names == [
        f"session-{day[0].pk}-09h00-Salle 12.pdf",
        f"session-{day[1].pk}-10h15-CDI.pdf",
        "convocations-par-classe.pdf",
    ]


def test_the_pack_is_an_audited_export_deleted_by_the_sweep_after_its_retention(
    bob_client, school, bob, day, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        bob_client.post(
            f"/o/{school.id}/certification/pochettes/", {"day": day[0].date.isoformat()}
        )
    job = DayPackJob.objects.get()
    keys = [job.pdf_file.key, job.zip_file.key]
    export = AuditLog.objects.get(action=AuditLog.Action.EXPORT)

    jobs_sweep(now=timezone.now() + settings.SESSION_DOCUMENT_RETENTION + timedelta(minutes=1))
    response = bob_client.get(
        f"/o/{school.id}/certification/pochettes/{job.id}/telecharger.pdf", follow=True
    )

    assert export.actor == bob and export.details["session_ids"] == [s.pk for s in day]
    assert not any(private_storage().exists(key) for key in keys)
    assert "Cette pochette n&#x27;est plus disponible" in response.content.decode()


def test_another_schools_pack_is_not_found(charlie_client, school, day):
    job = DayPackJob.objects.create(organization=school, session_ids=[s.pk for s in day])

    assert (
        charlie_client.get(f"/o/{school.id}/certification/pochettes/{job.id}/").status_code == 404
    )
