"""What the Élèves page shows about imports, without its view having to provide it."""

from django import template

from students.imports.selectors import import_job_active, import_job_last_success

register = template.Library()


@register.simple_tag(takes_context=True)
def student_import_status(context) -> dict:
    request = context["request"]
    organization = request.organization
    membership = getattr(request, "membership", None)
    return {
        "can_import": membership is not None and membership.is_admin,
        "active": import_job_active(organization=organization),
        "last_success": import_job_last_success(organization=organization),
    }
