"""A PDF read back as a screen reader sees it: catalog entries and the tagged structure."""

import io
from dataclasses import dataclass

import pypdf
from pypdf.generic import ArrayObject, DictionaryObject


@dataclass
class TaggedPdf:
    lang: str
    marked: bool
    display_title: bool
    title: str
    page_count: int
    tagged_pages: int
    # The structure roles in reading order: "/Document", "/H1", "/Table", "/TH"…
    roles: list[str]
    links: list[str]
    # For each data cell (TD), how many header cells (TH) it is tied to.
    cell_headers: list[int]
    structure: DictionaryObject


def _children(element: DictionaryObject) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    kids = kids.get_object()
    return list(kids) if isinstance(kids, ArrayObject) else [kids]


def pdf_tags(content: bytes) -> TaggedPdf:
    reader = pypdf.PdfReader(io.BytesIO(content))
    catalog = reader.trailer["/Root"]
    roles, links, cell_headers = [], [], []

    def walk(element):
        element = element.get_object()
        if not isinstance(element, DictionaryObject):
            return  # a marked-content id: text, not structure
        if element.get("/Type") == "/OBJR":
            annotation = element["/Obj"].get_object()
            links.append(annotation.get("/A", {}).get("/URI", ""))
            return
        if "/S" in element:
            roles.append(element["/S"])
        if element.get("/S") == "/TD":
            cell_headers.append(len(element.get("/A", {}).get("/Headers", [])))
        for kid in _children(element):
            walk(kid)

    structure = catalog.get("/StructTreeRoot")
    if structure is not None:
        walk(structure.get_object())
    return TaggedPdf(
        lang=str(catalog.get("/Lang", "")),
        marked=bool(catalog.get("/MarkInfo", {}).get("/Marked")),
        display_title=bool(catalog.get("/ViewerPreferences", {}).get("/DisplayDocTitle")),
        title=(reader.metadata or {}).get("/Title", ""),
        page_count=len(reader.pages),
        tagged_pages=sum("/StructParents" in page for page in reader.pages),
        roles=roles,
        links=links,
        cell_headers=cell_headers,
        structure=structure,
    )


def assert_accessible(content: bytes, *, title: str, roles: set[str]) -> TaggedPdf:
    """PDF/UA as the issue asks: tagged, French, its title shown, `roles` in its structure."""
    pdf = pdf_tags(content)
    assert pdf.structure is not None, "untagged PDF"
    assert (pdf.lang, pdf.marked, pdf.display_title) == ("fr", True, True)
    assert pdf.title == title
    assert pdf.tagged_pages == pdf.page_count, "pages left out of the structure"
    assert roles <= set(pdf.roles), roles - set(pdf.roles)
    return pdf
