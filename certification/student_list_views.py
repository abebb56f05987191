"""The Élèves page of a school: its students with their certifiability and latest campaign
participation, the class synthesis and the export. It shows certification data, hence here."""

from django.http import HttpResponse
from django.shortcuts import render

from accounts.access import OrgRequest, org_member_view
from accounts.models import AuditLog
from accounts.services import export_audit
from students.forms import DEFAULT_PAGE_SIZE
from students.selectors import (
    StudentIdsPaginator,
    class_summaries,
    organization_divisions,
    student_filter_form,
    students_filtered,
    students_filtered_count,
)

from .exporters import students_export_response
from .selectors import latest_participations, students_page_rows
from .student_list_html import class_checkboxes_html, student_rows_html


@org_member_view
def students_list(request: OrgRequest, org_id: int) -> HttpResponse:
    divisions = organization_divisions(organization=request.organization)
    filters = student_filter_form(request.GET)
    matching = students_filtered(
        organization=request.organization, params=request.GET, form=filters
    )
    page_size = filters.value("par_page", DEFAULT_PAGE_SIZE)
    count = students_filtered_count(organization=request.organization, form=filters)
    page = StudentIdsPaginator(
        matching.values_list("pk", flat=True), page_size, count=count
    ).get_page(request.GET.get("page"))
    students = students_page_rows(organization=request.organization, student_ids=page)
    class_options = filters.options("classe", choices=[(d, d) for d in divisions])
    return render(
        request,
        "students/list.html",
        {
            "page": page,
            "students": students,
            "student_rows": student_rows_html(
                students=students,
                organization=request.organization,
                is_admin=request.membership.is_admin,
            ),
            "filters": filters,
            "class_checkboxes": class_checkboxes_html(class_options),
            "status_options": filters.options("certificabilite"),
            "nav_section": "students",
        },
    )


@org_member_view
def students_class_summary(request: OrgRequest, org_id: int) -> HttpResponse:
    """The class synthesis, fetched when its section is opened (htmx) or as a page of its own:
    the list itself does not count every student of the school on each request."""
    template = "_class_summary_table.html" if request.htmx else "class_summary.html"
    summaries = class_summaries(organization=request.organization)
    return render(
        request, f"students/{template}", {"summaries": summaries, "nav_section": "students"}
    )


@org_member_view
def students_export(request: OrgRequest, org_id: int, file_format: str) -> HttpResponse:
    students = students_filtered(organization=request.organization, params=request.GET)
    response, count = students_export_response(
        organization=request.organization,
        students=students,
        latest=latest_participations(organization=request.organization),
        file_format=file_format,
    )
    export_audit(
        actor=request.user,
        organization=request.organization,
        export=AuditLog.Export.STUDENTS,
        format=file_format,
        rows=count,
    )
    return response
