from django import template

from ..selectors import student_results

register = template.Library()


@register.simple_tag(takes_context=True)
def student_certification_results(context):
    """The published certification results of the logged-in student (for their own page)."""
    return list(student_results(user=context["request"].user))


@register.filter
def summary_text(summary: dict) -> str:
    """A result before or after a jury decision: « Validée, 73 pix (1.1 : 2, 1.2 : 3) »."""
    if not summary:
        return "—"
    levels = ", ".join(f"{code} : {level}" for code, level in sorted(summary["levels"].items()))
    text = f"{summary['status']}, {summary['pix']} pix"
    return f"{text} ({levels})" if levels else text
