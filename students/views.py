from django.core.paginator import Paginator
from django.shortcuts import render

from accounts.access import org_member_view
from accounts.models import AuditLog
from accounts.services import audit_log_record

from .exporters import students_export_response
from .forms import DEFAULT_PAGE_SIZE
from .selectors import class_summaries, student_filter_form, students_filtered


@org_member_view
def students_list(request, org_id):
    summaries = class_summaries(organization=request.organization)
    filters = student_filter_form(request.GET, divisions=[s.division for s in summaries])
    students = students_filtered(organization=request.organization, params=request.GET)
    page_size = filters.value("par_page", DEFAULT_PAGE_SIZE)
    page = Paginator(students, page_size).get_page(request.GET.get("page"))
    return render(
        request,
        "students/list.html",
        {
            "page": page,
            "filters": filters,
            "class_options": filters.options("classe"),
            "status_options": filters.options("certificabilite"),
            "summaries": summaries,
            "nav_section": "students",
        },
    )


@org_member_view
def students_export(request, org_id, file_format):
    students = students_filtered(organization=request.organization, params=request.GET)
    response, count = students_export_response(
        organization=request.organization, students=students, file_format=file_format
    )
    audit_log_record(
        actor=request.user,
        organization=request.organization,
        action=AuditLog.Action.EXPORT,
        export="élèves",
        format=file_format,
        rows=count,
    )
    return response
