from django import template

from ..selectors import student_results

register = template.Library()


@register.simple_tag(takes_context=True)
def student_certification_results(context):
    """The published certification results of the logged-in student (for their own page)."""
    return list(student_results(user=context["request"].user))
