"""The one PDF renderer: a Django template laid out by WeasyPrint a chunk at a time (so a long
document reports its progress), the chunks' pages written as one tagged PDF/UA document.

Tagged, because a screen reader reads an untagged PDF as one unstructured run of text: the
structure tree (headings, tables, reading order, live links), the language of `<html lang>`,
the title of `<title>` shown instead of the file name. Joining finished PDFs (pypdf) would drop
that tree, so the laid-out pages of every chunk go into one WeasyPrint document, written once.
"""

from collections.abc import Callable, Sequence

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

# ISO 14289-1: tags, /Lang, /MarkInfo, /ViewerPreferences /DisplayDocTitle, embedded fonts.
PDF_VARIANT = "pdf/ua-1"
# Writing the tagged document takes about a third of the time (1 000 slips: 4.7 s of layout,
# then 2.5 s): the layout fills the progress bar up to here, the rest comes when it is written.
LAYOUT_SHARE = 0.7


def _lay_out(template_name: str, context: dict):
    import weasyprint  # heavy (~40 MB, 0.5 s): only processes that render should pay for it

    with translation.override("fr"):
        html = render_to_string(template_name, context)
    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).render()


def pdf_lay_out_html(template_name: str, context: dict):
    """One template laid out (small documents), to write alone or with others (`pdf_write`)."""
    return _lay_out(template_name, context)


def pdf_render_html(template_name: str, context: dict) -> bytes:
    """One tagged PDF from a template (small documents)."""
    return pdf_write([_lay_out(template_name, context)])


def pdf_lay_out(
    *,
    template_name: str,
    context: dict,
    items: Sequence,
    key: str,
    per_chunk: int,
    on_progress: Callable[[int], None] | None = None,
) -> list:
    """`template_name` laid out with `context` and, under `key`, `per_chunk` items at a time;
    `on_progress(n)` is told how far it is, in items (the layout counts for LAYOUT_SHARE)."""
    items = list(items)
    documents = []
    for start in range(0, max(len(items), 1), per_chunk):
        chunk = items[start : start + per_chunk]
        documents.append(_lay_out(template_name, {**context, key: chunk}))
        if on_progress:
            on_progress(int((start + len(chunk)) * LAYOUT_SHARE))
    return documents


def pdf_write(documents: Sequence) -> bytes:
    """Laid-out documents written as one tagged PDF; the metadata (title, language) are the
    first document's."""
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf(pdf_variant=PDF_VARIANT)


def pdf_render(
    *,
    template_name: str,
    context: dict,
    items: Sequence,
    key: str,
    per_chunk: int,
    on_progress: Callable[[int], None] | None = None,
) -> bytes:
    """`pdf_lay_out`, then written as one tagged PDF; the whole count comes once written."""
    items = list(items)
    documents = pdf_lay_out(
        template_name=template_name,
        context=context,
        items=items,
        key=key,
        per_chunk=per_chunk,
        on_progress=on_progress,
    )
    content = pdf_write(documents)
    if on_progress:
        on_progress(len(items))
    return content
