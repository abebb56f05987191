"""Résultats de certification: the page, the CSV of domain §7 byte for byte, the XLSX."""

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import AuditLog
from core.exports import spreadsheet_safe
from results.exporters import HEADER
from results.models import CertificationResult
from results.selectors import result_divisions
from tests.factories import CandidateFactory, StudentFactory
from tests.results.factories import CertificationResultFactory, finalized_session

pytestmark = pytest.mark.django_db

EXPECTED = Path(__file__).parent / "data" / "expected_resultats_3EA.csv"


@pytest.fixture
def class_3ea(school):
    """A published session of 3EA: validated, rejected, cancelled and a hostile name."""
    session = finalized_session(school, pk=4242, status="published", date=date(2026, 3, 12))

    def result(pk, status, levels, comment="", **candidate):
        candidate.setdefault("division", "3EA")
        return CertificationResultFactory(
            pk=pk,
            candidate=CandidateFactory(session=session, is_present=True, **candidate),
            status=status,
            levels=levels,
            jury_comment=comment,
        )

    result(
        501,
        "validated",
        {"1.1": 3, "1.2": 3, "2.1": 2, "3.1": 0, "4.1": 3},
        first_name="Léa",
        last_name="MARTIN",
        birthdate=date(2011, 3, 1),
    )
    result(
        502,
        "rejected",
        {"1.1": 0, "1.2": 0, "2.1": 0},
        "Moins de 50 % de réponses justes.",
        first_name="Hugo",
        last_name="PETIT",
        birth_city="GENÈVE",
        birth_country="SUISSE",
        external_id="EXT-42",
    )
    result(
        503,
        "validated",
        {"1.1": 1},
        "Bien ; à revoir",
        first_name='=HYPERLINK("http://x")',
        last_name="+CMD",
        birth_city="@SAINT-DENIS",
        external_id="-1+1",
    )
    result(504, "cancelled", {}, first_name="Zoé", last_name="ZOLA")
    # Not in the export: another class, and a result not yet published.
    result(505, "validated", {"1.1": 2}, first_name="Autre", last_name="CLASSE", division="3EB")
    unpublished = result(506, "validated", {"1.1": 2}, first_name="Pas", last_name="PUBLIÉ")
    CertificationResult.objects.filter(pk=unpublished.pk).update(published_at=None)
    return session


def test_the_class_csv_is_the_expected_file_byte_for_byte(bob_client, bob, school, class_3ea):
    # Bob, a referent (member), exports.

    response = bob_client.get(reverse("results:export_csv", args=[school.id]), {"classe": "3EA"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    name = f"{timezone.localdate():%Y%m%d}_resultats_3EA.csv"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response.content == EXPECTED.read_bytes()
    log = AuditLog.objects.get(action=AuditLog.Action.EXPORT)
    assert log.actor == bob and log.details["division"] == "3EA" and log.details["results"] == 4


def _csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_the_comment_header_has_the_typographic_apostrophe(bob_client, school, class_3ea):
    response = bob_client.get(reverse("results:export_csv", args=[school.id]), {"classe": "3EA"})
    header = _csv_rows(response)[0]
    assert "Commentaire jury pour l’organisation" in header
    assert "Commentaire jury pour l'organisation" not in header


def test_a_cancelled_certification_has_no_pix_score(bob_client, school, class_3ea):
    response = bob_client.get(reverse("results:export_csv", args=[school.id]), {"classe": "3EA"})
    rows = {row[2]: row for row in _csv_rows(response)[1:]}
    pix = HEADER.index("Nombre de Pix")
    assert (rows["ZOLA"][6], rows["ZOLA"][pix]) == ("Annulée", "-")
    assert (rows["PETIT"][6], rows["PETIT"][pix]) == ("Rejetée", "0")


def test_an_automatic_rejection_without_jury_comment_gets_the_standard_sentence(
    bob_client, school, class_3ea
):
    CertificationResultFactory(
        candidate=CandidateFactory(
            session=class_3ea, is_present=True, division="3EA", last_name="DURAND"
        ),
        status="rejected",
        levels={"1.1": 0, "1.2": 0},
    )
    response = bob_client.get(reverse("results:export_csv", args=[school.id]), {"classe": "3EA"})
    rows = {row[2]: row for row in _csv_rows(response)[1:]}
    comment = HEADER.index("Commentaire jury pour l’organisation")
    assert rows["DURAND"][comment] == (
        "Le candidat a répondu faux à plus de 50 % des questions posées, cela a invalidé "
        "l'ensemble de sa certification, et a donc entraîné un score de 0 pix."
    )
    # The jury's own words win; other statuses get no sentence.
    assert rows["PETIT"][comment] == "Moins de 50 % de réponses justes."
    assert rows["ZOLA"][comment] == "" and rows["MARTIN"][comment] == ""


def test_the_xlsx_has_the_same_cells_and_no_formula(alice_client, school, class_3ea):
    response = alice_client.get(reverse("results:export_xlsx", args=[school.id]), {"classe": "3EA"})

    assert response["Content-Disposition"].endswith('_resultats_3EA.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:3] == ["Numéro de certification", "Prénom", "Nom"]
    assert rows[1][:3] == ["503", '\'=HYPERLINK("http://x")', "'+CMD"]
    assert rows[2][7] == 88 and rows[2][8:12] == ["3", "3", "-", "2"]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert len(rows) == 5


def reads_classes(query) -> bool:
    """The statement of results.selectors.result_divisions: the results' classes."""
    return "UNION" in query["sql"] and "division" in query["sql"]


def test_a_session_export_and_the_whole_school_export(bob_client, school, class_3ea):
    url = reverse("results:export_csv", args=[school.id])

    by_session = bob_client.get(url, {"session": class_3ea.pk})
    whole_school = bob_client.get(url)

    assert by_session["Content-Disposition"].endswith('_resultats_session_4242.csv"')
    assert by_session.content.decode("utf-8-sig").count("\n") == 6  # header + 5 published
    assert whole_school["Content-Disposition"].endswith('_resultats_etablissement.csv"')
    assert "CLASSE" in whole_school.content.decode("utf-8-sig")


def test_a_whole_school_export_does_not_read_the_list_of_classes(bob_client, school, class_3ea):
    """The classes are read to show the list or to check a class asked for, not for an export
    of every result (on a large database, that list cost a tenth of the export)."""
    url = reverse("results:export_csv", args=[school.id])

    with CaptureQueriesContext(connection) as whole_school:
        assert bob_client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as one_class:
        one_class_rows = bob_client.get(url, {"classe": "3EA"}).content.decode("utf-8-sig")

    assert not any(reads_classes(query) for query in whole_school.captured_queries)
    # a class asked for is still checked against the school's
    assert any(reads_classes(query) for query in one_class.captured_queries)
    assert one_class_rows.count("\n") == 5  # header + the four results of 3EA


@pytest.mark.parametrize("params", [{}, {"classe": "3EA"}])
def test_the_results_page_reads_the_list_of_classes_once(bob_client, school, class_3ea, params):
    """Checking the class asked for and showing the list read the same classes: once."""
    with CaptureQueriesContext(connection) as queries:
        page = bob_client.get(reverse("results:results_home", args=[school.id]), params)

    assert page.content.decode().count('<option value="3EA"') == 1
    assert sum(reads_classes(query) for query in queries.captured_queries) == 1


def test_the_page_and_exports_run_the_same_queries_for_more_results(bob_client, school, class_3ea):
    """No query per result: three more students in 3EA do not add a single query."""
    urls = [
        reverse(name, args=[school.id])
        for name in ("results:results_home", "results:export_csv", "results:export_xlsx")
    ]

    def query_counts():
        counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert bob_client.get(url, {"classe": "3EA"}).status_code == 200
            counts.append(len(queries))
        return counts

    before = query_counts()
    for pk in (511, 512, 513):
        CertificationResultFactory(
            pk=pk,
            candidate=CandidateFactory(session=class_3ea, is_present=True, division="3EA"),
            status="validated",
            levels={"1.1": 2, "2.1": 1},
        )
    assert query_counts() == before


def test_another_schools_class_name_exports_nothing(charlie_client, other_school, class_3ea):
    response = charlie_client.get(
        reverse("results:export_csv", args=[other_school.id]), {"classe": "3EA"}, follow=True
    )

    assert response.redirect_chain[0][0].startswith(
        reverse("results:results_home", args=[other_school.id])
    )
    assert "MARTIN" not in response.content.decode()


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
@pytest.mark.parametrize("asked", [{"classe": "999"}, {"session": "999999"}, {"session": "x"}])
def test_an_export_of_an_unknown_class_or_session_says_so(
    bob_client, school, class_3ea, extension, asked
):
    """Not the whole school's file under a name that does not say it: the results page again,
    with a message naming what to fix."""
    response = bob_client.get(
        reverse(f"results:export_{extension}", args=[school.id]), asked, follow=True
    )

    page = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "Export impossible" in page and "Choisissez-la dans la liste" in page
    assert "MARTIN" not in page  # no results table either
    assert AuditLog.objects.filter(action=AuditLog.Action.EXPORT).count() == 0


def test_the_results_page_shows_the_class_table_and_its_actions(bob_client, school, class_3ea):
    url = reverse("results:results_home", args=[school.id])

    empty = bob_client.get(url).content.decode()
    page = bob_client.get(url, {"classe": "3EA"}).content.decode()

    assert "Choisissez une classe ou une session" in empty and "MARTIN" not in empty
    assert "MARTIN" in page and "PETIT" in page and "CLASSE" not in page
    assert "Exporter les résultats" in page and "Télécharger les attestations" in page
    assert reverse("results:certificate", args=[school.id, 501]) in page
    assert reverse("results:certificate", args=[school.id, 502]) not in page  # rejected


def test_the_class_of_a_result_is_the_candidates_else_its_students(school, other_school):
    """Only published results of the school; a candidate enrolled without a class takes its
    student's, and one with neither has no class to list."""
    session = finalized_session(school, pk=4243, status="published", date=date(2026, 3, 12))
    elsewhere = finalized_session(other_school, pk=4244, status="published", date=date(2026, 3, 12))

    def result(pk, *, session=session, published=True, **candidate):
        made = CertificationResultFactory(
            pk=pk, candidate=CandidateFactory(session=session, is_present=True, **candidate)
        )
        if not published:
            CertificationResult.objects.filter(pk=pk).update(published_at=None)
        return made

    result(601, division="2NDE B")
    result(602, division="2nde a")
    result(603, division="", student=StudentFactory(organization=school, division="1RE C"))
    result(604, division="", student=StudentFactory(organization=school, division=""))
    result(605, division="")
    result(606, division="2NDE B", student=StudentFactory(organization=school, division="1RE D"))
    result(607, division="TERM X", published=False)
    result(608, division="TERM Y", session=elsewhere)

    assert result_divisions(organization=school) == ["1RE C", "2nde a", "2NDE B"]


def test_the_class_list_of_the_results_page_names_each_class_once(bob_client, school, class_3ea):
    """3EA has four published results and 3EB one: the Classe select offers each once."""
    page = bob_client.get(reverse("results:results_home", args=[school.id])).content.decode()

    assert page.count('<option value="3EA"') == 1
    assert page.count('<option value="3EB"') == 1
    assert page.index('<option value="3EA"') < page.index('<option value="3EB"')


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+33 6", "'+33 6"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-", "-"),
        ("Léa", "Léa"),
        (27, "27"),
        (None, ""),
    ],
)
def test_cells_that_a_spreadsheet_would_run_are_defused(value, safe):
    assert spreadsheet_safe(value) == safe


def test_the_results_table_explains_its_competence_columns_and_cells(bob_client, school, class_3ea):
    page = bob_client.get(reverse("results:results_home", args=[school.id]), {"classe": "3EA"})

    html = page.content.decode().replace("&#x27;", "'")
    assert "« - » : compétence non testée" in html
    assert "« 0 » : compétence testée mais non validée" in html
    assert '<th scope="col">4.2<span class="fr-sr-only"> Protéger les données personnelles' in html
    assert 'aria-describedby="legende-resultats"' in html
