"""Spreadsheet files the portal writes (CSV and XLSX), safe against formula injection.

Names and comments come from files users upload: a cell that starts with `= + - @`, a TAB or a
CR would run as a formula in Excel or LibreOffice, so it gets a leading `'`.
"""

import csv
import io
import re
from collections.abc import Iterable, Sequence

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
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    return response


def xlsx_content(header: Sequence[str], rows: Iterable[Sequence], *, title: str) -> bytes:
    """One sheet, openpyxl write-only; text cells are forced to strings, numbers stay numbers."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])

    def cell(value):
        if isinstance(value, int | float) and not isinstance(value, bool):
            return WriteOnlyCell(sheet, value=value)
        written = WriteOnlyCell(sheet, value=spreadsheet_safe(value))
        written.data_type = "s"  # never a formula, whatever the text
        return written

    sheet.append([cell(value) for value in header])
    for row in rows:
        sheet.append([cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(filename: str, header, rows, *, title: str) -> HttpResponse:
    return file_response(
        xlsx_content(header, rows, title=title),
        filename,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
