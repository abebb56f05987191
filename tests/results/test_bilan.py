"""The bilan of a school year: figures of domain §7, two SVG charts, a printable PDF."""

import io
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from certification.models import school_year_of
from results.bilan import bilan_compute
from tests.factories import CandidateFactory, StudentFactory
from tests.results.factories import CertificationResultFactory, finalized_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_2025(school):
    march = finalized_session(school, status="published", date=date(2026, 3, 12))
    october = finalized_session(school, status="published", date=date(2025, 10, 10))
    last_year = finalized_session(school, status="published", date=date(2025, 5, 5))
    students = {
        name: StudentFactory(organization=school, last_name=name, division=division)
        for name, division in [
            ("UN", "3EA"),
            ("DEUX", "3EA"),
            ("TROIS", "3EA"),
            ("QUATRE", "3EA"),
            ("CINQ", "3EB"),
            ("SIX", "3EB"),
        ]
    }
    StudentFactory(organization=school, division="3EA", is_disabled=True)

    def result(session, name, status, levels):
        student = students[name]
        CertificationResultFactory(
            candidate=CandidateFactory(
                session=session, student=student, is_present=True, division=student.division
            ),
            status=status,
            levels=levels,
        )

    result(march, "UN", "validated", {"1.1": 3, "1.2": 2, "2.1": 0})
    result(march, "DEUX", "rejected", {"1.1": 0, "1.2": 0, "2.1": 0})
    result(last_year, "DEUX", "validated", {"1.1": 6})  # another school year
    result(october, "TROIS", "rejected", {"1.1": 0})  # replaced by the later one
    result(march, "TROIS", "validated", {"1.1": 1, "3.1": 4, "4.1": 2})
    result(march, "CINQ", "validated", {"5.2": 5})
    return school


def test_the_school_years_figures(year_2025):
    bilan = bilan_compute(organization=year_2025, start_year=2025)

    assert (bilan.students, bilan.presented, bilan.certified, bilan.not_presented) == (6, 4, 3, 2)
    assert bilan.certified_rate == 75.0
    assert (bilan.tested.mean, bilan.tested.median) == (2.5, 3)
    assert (bilan.validated.mean, bilan.validated.median) == (1.5, 1.5)
    assert (bilan.rejected.mean, bilan.rejected.median) == (1.0, 0.5)
    assert (bilan.pix.mean, bilan.pix.median) == (34.0, 40)
    by_code = {c.code: c for c in bilan.competences}
    assert (by_code["1.1"].presented, by_code["1.1"].share) == (3, 75.0)
    assert by_code["1.1"].highest_level == 3
    assert by_code["1.1"].bands == [1, 1, 1, 0, 0]  # non certifiée, novice, indépendant
    assert (by_code["5.2"].share, by_code["5.2"].highest_level) == (25.0, 5)
    assert (by_code["2.2"].share, by_code["2.2"].highest_level) == (0.0, None)


def test_a_class_bilan_counts_only_that_class(year_2025):
    bilan = bilan_compute(organization=year_2025, start_year=2025, division="3EA")
    assert (bilan.students, bilan.presented, bilan.certified) == (4, 3, 2)
    assert bilan.certified_rate == 66.7


def test_the_school_year_runs_from_september_to_august():
    assert school_year_of(date(2025, 9, 1)) == 2025
    assert school_year_of(date(2026, 8, 31)) == 2025


def test_the_bilan_page_shows_accessible_svg_charts_and_their_data(bob_client, year_2025):
    page = bob_client.get(
        reverse("results:bilan", args=[year_2025.id]), {"annee": 2025, "classe": ""}
    ).content.decode()

    assert "Bilan de la certification 2025-2026" in page
    assert page.count("<svg") == 2 and page.count('role="img"') == 2
    assert 'aria-labelledby="chart-share-title chart-share-desc"' in page
    assert "Part des élèves présentés sur chaque compétence" in page
    assert "Données des graphiques, par compétence" in page
    assert "75.0 %" in page or "75,0 %" in page
    assert "<script" not in page.split("<footer")[0].split("</header>")[1]


def test_the_printable_bilan_is_a_pdf_with_the_figures(bob_client, year_2025):
    response = bob_client.get(
        reverse("results:bilan_pdf", args=[year_2025.id]), {"annee": 2025, "classe": "3EA"}
    )
    assert response["Content-Type"] == "application/pdf"
    assert "bilan_pix_2025-2026_3EA.pdf" in response["Content-Disposition"]
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Bilan de la certification Pix 2025-2026" in text
    assert "classe 3EA" in text and "Certifiés parmi les présentés" in text
    assert "66" in text and "Répartition des niveaux atteints par compétence" in text


def test_the_printable_bilan_is_tagged_for_screen_readers(bob_client, year_2025):
    from tests.pdf_tags import assert_accessible

    response = bob_client.get(reverse("results:bilan_pdf", args=[year_2025.id]), {"annee": 2025})
    assert_accessible(
        response.content,
        title="Bilan de la certification",
        roles={"/H1", "/H2", "/Table", "/Caption", "/TH", "/TD", "/Figure"},
    )
