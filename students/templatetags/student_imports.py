"""What the Élèves page shows about imports, without its view having to provide it."""

from django import template

from students.imports.selectors import import_jobs_current

register = template.Library()


@register.simple_tag(takes_context=True)
def student_import_status(context) -> dict:
    request = context["request"]
    organization = request.organization
    membership = getattr(request, "membership", None)
    active, last_success = import_jobs_current(organization=organization)
    return {
        "can_import": membership is not None and membership.is_admin,
        "active": active,
        "last_success": last_success,
    }
