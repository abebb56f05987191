"""Spreadsheet files the portal writes (CSV and XLSX), safe against formula injection.

Names and comments come from files users upload: a cell that starts with `= + - @`, a TAB or a
CR would run as a formula in Excel or LibreOffice, so it gets a leading `'`.
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape

from django.http import HttpResponse
from django.utils.http import content_disposition_header

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    """The cell text, with a leading `'` when a spreadsheet could read it as a formula.

    A lone "-" (the "not tested" mark of result exports) cannot be a formula and stays as is.
    """
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_TRIGGERS) and text != "-":
        return "'" + text
    return text


def csv_content(header: Sequence[str], rows: Iterable[Sequence], *, quote_header=True) -> bytes:
    """UTF-8 with BOM, `;`-separated, `\\n` line ends; every header quoted when asked."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    csv.writer(
        buffer,
        delimiter=";",
        lineterminator="\n",
        quoting=csv.QUOTE_ALL if quote_header else csv.QUOTE_MINIMAL,
    ).writerow(header)
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return buffer.getvalue().encode("utf-8")


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence], **options):
    return file_response(csv_content(header, rows, **options), filename, "text/csv; charset=utf-8")


_UNSAFE_FILE_NAME_CHARACTERS = re.compile(r"[^\w-]+")


def file_name_part(text: str, default: str = "") -> str:
    """A piece of a download's name: letters (accents kept), digits, `-`; the rest becomes `_`."""
    return _UNSAFE_FILE_NAME_CHARACTERS.sub("_", text).strip("_") or default


def file_response(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """A download; never kept by a browser or proxy cache (some hold one-time passwords)."""
    response = HttpResponse(content, content_type=content_type)
    disposition = content_disposition_header(True, filename)
    assert disposition is not None  # only an inline file without a name has none
    response["Content-Disposition"] = disposition
    response["Cache-Control"] = "no-store"
    return response


# The XLSX package around one sheet: the smallest set of parts Excel, LibreOffice and openpyxl
# accept. The sheet itself is written as text below: openpyxl's write-only mode spends ~12 µs
# per cell (35× the CSV of the same rows), which made a whole school's export take a second.
_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/styles" Target="styles.xml"/>'
        "</Relationships>"
    ),
    "xl/styles.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        "</cellStyleXfs>"
        '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        "</cellXfs>"
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    ),
}
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="{title}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
_SHEET_END = "</sheetData></worksheet>"
# Characters XML 1.0 cannot carry (control characters other than TAB, LF, CR).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xlsx_text(value) -> str:
    return escape(_XML_ILLEGAL.sub("", spreadsheet_safe(value)))


def _xlsx_cell(value) -> str:
    """Numbers stay numbers; every other value is an inline string, never a formula."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"<c><v>{value}</v></c>"
    if value is None or value == "":
        return "<c/>"  # an empty cell, as a spreadsheet leaves it
    return f'<c t="inlineStr"><is><t xml:space="preserve">{_xlsx_text(value)}</t></is></c>'


def xlsx_content(header: Sequence[str], rows: Iterable[Sequence], *, title: str) -> bytes:
    """One sheet; text cells are inline strings (never formulas), numbers stay numbers."""
    cells: dict = {}  # exports repeat few values (levels, statuses, classes): each written once

    def row_xml(number: int, row: Sequence) -> str:
        parts = []
        for value in row:
            key = (type(value), value)
            if (cell := cells.get(key)) is None:
                cell = cells[key] = _xlsx_cell(value)
            parts.append(cell)
        return f'<row r="{number}">{"".join(parts)}</row>'

    sheet = [_SHEET_START, row_xml(1, header)]
    sheet.extend(row_xml(number, row) for number, row in enumerate(rows, start=2))
    sheet.append(_SHEET_END)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        for name, text in _XLSX_PARTS.items():
            package.writestr(name, text)
        package.writestr("xl/workbook.xml", _WORKBOOK.format(title=_xlsx_text(title[:31])))
        package.writestr("xl/worksheets/sheet1.xml", "".join(sheet))
    return buffer.getvalue()


def xlsx_response(filename: str, header, rows, *, title: str) -> HttpResponse:
    return file_response(
        xlsx_content(header, rows, title=title),
        filename,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
