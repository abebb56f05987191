"""The one PDF renderer: a Django template rendered by WeasyPrint a chunk at a time, the chunks
joined with pypdf, so time and memory grow with the number of pages, never with the length of
one table. Big documents can be laid out by forked children (WeasyPrint holds the GIL: threads
would take turns)."""

import io
from collections.abc import Callable, Sequence

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from .processes import child_processes_available, in_child_processes


def pdf_render_html(template_name: str, context: dict) -> bytes:
    """One WeasyPrint document from a template (small documents, or one chunk)."""
    import weasyprint  # heavy (~40 MB, 0.5 s): only processes that render should pay for it

    with translation.override("fr"):
        html = render_to_string(template_name, context)
    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def _render_part(template_name: str, context: dict, key: str, items: list, per_chunk: int):
    return [
        pdf_render_html(template_name, {**context, key: items[start : start + per_chunk]})
        for start in range(0, max(len(items), 1), per_chunk)
    ]


def pdf_render(
    *,
    template_name: str,
    context: dict,
    items: Sequence,
    key: str,
    per_chunk: int,
    on_progress: Callable[[int], None] | None = None,
    processes: int = 1,
) -> bytes:
    """`template_name` rendered with `context` and, under `key`, `per_chunk` items at a time.

    `on_progress(n)` is told how many items are laid out. With `processes` > 1 (and no other
    thread in this process), parts of whole chunks are laid out by as many forked children: the
    items must then be plain values (they cross a fork and a pipe, never the database).
    """
    items = list(items)
    processes = child_processes_available(processes) if len(items) > per_chunk else 1
    if processes == 1:
        parts = []
        for start in range(0, max(len(items), 1), per_chunk):
            chunk = items[start : start + per_chunk]
            parts.append(pdf_render_html(template_name, {**context, key: chunk}))
            if on_progress:
                on_progress(start + len(chunk))
    else:
        chunks_per_part = -(-len(items) // (per_chunk * processes))
        size = chunks_per_part * per_chunk
        slices = [items[start : start + size] for start in range(0, len(items), size)]
        results = in_child_processes(
            _render_part,
            [(template_name, context, key, part, per_chunk) for part in slices],
            on_result=on_progress
            and (lambda index: on_progress(min(len(items), (index + 1) * size))),
        )
        if any(result is None for result in results):
            raise RuntimeError("A PDF part could not be laid out")
        parts = [chunk for result in results for chunk in result]
    return pdf_join(parts)


def pdf_join(parts: list[bytes]) -> bytes:
    if len(parts) == 1:
        return parts[0]
    import pypdf

    writer = pypdf.PdfWriter()
    for part in parts:
        writer.append(pypdf.PdfReader(io.BytesIO(part)))
    writer.add_metadata(pypdf.PdfReader(io.BytesIO(parts[0])).metadata or {})
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()
