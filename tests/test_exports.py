"""The CSV writer every export shares: BOM, `;`, and no cell a spreadsheet runs as a formula."""

import pytest

from core.exports import csv_content, csv_response, spreadsheet_safe


@pytest.mark.parametrize("dangerous", ["=1+1", "+33 6", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_cells_a_spreadsheet_would_run_are_prefixed_with_a_quote(dangerous):
    assert spreadsheet_safe(dangerous) == "'" + dangerous


@pytest.mark.parametrize("harmless", ["Aurélie", "3E2", "jean.dupont0103", "", "a=b"])
def test_ordinary_cells_are_kept_as_they_are(harmless):
    assert spreadsheet_safe(harmless) == harmless


def test_the_csv_starts_with_a_bom_uses_semicolons_and_quotes_what_needs_it():
    content = csv_content(
        ["Nom", "Prénom"], [["N'DIAYE", "Inès"], ["=cmd", "a;b"]], quote_header=False
    )
    assert content == (b"\xef\xbb\xbfNom;Pr\xc3\xa9nom\nN'DIAYE;In\xc3\xa8s\n'=cmd;\"a;b\"\n")


def test_a_csv_response_is_an_attachment_kept_out_of_caches():
    response = csv_response("20260901_export.csv", ["Classe"], [["3E2"]])
    assert response["Content-Disposition"] == 'attachment; filename="20260901_export.csv"'
    assert response["Cache-Control"] == "no-store"
    assert response.content.endswith(b"3E2\n")


def test_the_xlsx_keeps_text_as_text_numbers_as_numbers_and_opens_anywhere():
    import io
    import warnings

    from openpyxl import load_workbook

    from core.exports import xlsx_content

    content = xlsx_content(
        ["Nom", "Pix"],
        [["=1+1", 192], ['a<b & "c"\x01', 0], ["007", 12.5], [None, ""]],
        title="Élèves & co",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a part openpyxl finds missing or malformed
        workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["Élèves & co"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows == [
        ["Nom", "Pix"],
        ["'=1+1", 192],
        ['a<b & "c"', 0],
        ["007", 12.5],
        [None, None],
    ]
    assert [cell.data_type for cell in sheet[3]] == ["s", "n"]
