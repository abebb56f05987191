"""The school's session pages, under /o/<org_id>/sessions/ (admins write, members read)."""

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.access import OrgRequest, org_admin_view, org_member_view
from jobs.files import private_file_response
from jobs.views import job_page
from students.models import Student
from students.selectors import organization_divisions

from . import document_jobs, services
from .documents import DOCUMENTS, PDF_DOCUMENTS, SessionDocument, document_render
from .forms import (
    CandidateForm,
    CandidateUpdateForm,
    EnrollStudentsForm,
    FinalizationForm,
    SessionForm,
    SessionIssueReportForm,
)
from .models import CertificationIssueReport, DocumentJob, Session
from .selectors import (
    candidate_get,
    document_job_get,
    enrollable_students,
    enrolled_student_ids,
    issue_report_get,
    session_candidates,
    session_get,
    session_has_started_candidates,
    session_issue_reports,
)
from .selectors import session_list as session_list_query


def _read_only(request: HttpRequest, session: Session) -> HttpResponse:
    messages.error(request, _("Cette session est finalisée : elle ne peut plus être modifiée."))
    return redirect("certif_sessions:session_detail", session.organization_id, session.pk)


def _not_started(request: HttpRequest, session: Session) -> HttpResponse:
    message = _(
        "La session n'a pas encore eu lieu : elle pourra être finalisée à partir du "
        "%(date)s à %(time)s. Si elle a eu lieu à une autre date, corrigez d'abord sa date "
        "(« Modifier la session »)."
    ) % {"date": f"{session.date:%d/%m/%Y}", "time": f"{session.time:%H:%M}"}
    messages.error(request, message)
    return redirect("certif_sessions:session_detail", session.organization_id, session.pk)


def _editable_session(request: OrgRequest, session_id: int) -> tuple[Session, bool]:
    """The school's session (404 otherwise) and whether it can still change."""
    session = session_get(organization=request.organization, session_id=session_id)
    return session, session.is_editable


def _page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {"nav_section": "sessions", **context})


@org_member_view
def sessions_list(request: OrgRequest, org_id: int) -> HttpResponse:
    page = Paginator(session_list_query(organization=request.organization), 50).get_page(
        request.GET.get("page")
    )
    return _page(request, "sessions/session_list.html", {"page": page})


@org_admin_view
def session_create(request: OrgRequest, org_id: int) -> HttpResponse:
    form = SessionForm(request.POST or None, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        session = services.session_create(organization=request.organization, **form.cleaned_data)
        messages.success(request, _("La session n° %(number)s est créée.") % {"number": session.pk})
        return redirect("certif_sessions:session_detail", org_id, session.pk)
    return _page(request, "sessions/session_form.html", {"form": form})


@org_member_view
def session_detail(request: OrgRequest, org_id: int, session_id: int) -> HttpResponse:
    session = session_get(organization=request.organization, session_id=session_id)
    candidates = list(session_candidates(session=session))
    return _page(
        request,
        "sessions/session_detail.html",
        {
            "session": session,
            "candidates": candidates,
            "too_many_candidates": session.is_editable
            and len(candidates) > 20 * max(1, session.examiner_count),
            "can_delete": session.is_editable
            and not session_has_started_candidates(session=session),
            "documents": PDF_DOCUMENTS,
            # prepared by a task: the button starts it at once, no page asking to "prepare"
            "prepared_documents": {
                spec.slug
                for spec in PDF_DOCUMENTS
                if not document_jobs.document_is_small(
                    document=spec, candidate_count=len(candidates)
                )
            },
            "invigilator_url": request.build_absolute_uri(reverse("invigilator:login")),
        },
    )


@org_admin_view
def session_update(request: OrgRequest, org_id: int, session_id: int) -> HttpResponse:
    session, editable = _editable_session(request, session_id)
    if not editable:
        return _read_only(request, session)
    form = SessionForm(request.POST or None, organization=request.organization, session=session)
    if request.method == "POST" and form.is_valid():
        services.session_update(session=session, **form.cleaned_data)
        messages.success(request, _("La session est modifiée."))
        return redirect("certif_sessions:session_detail", org_id, session.pk)
    return _page(request, "sessions/session_form.html", {"form": form, "session": session})


@org_admin_view
def session_delete(request: OrgRequest, org_id: int, session_id: int) -> HttpResponse:
    session, editable = _editable_session(request, session_id)
    if not editable:
        return _read_only(request, session)
    if request.method == "POST":
        try:
            services.session_delete(session=session)
        except services.SessionHasStartedCandidatesError:
            messages.error(request, _("Des candidats ont commencé : la session est conservée."))
            return redirect("certif_sessions:session_detail", org_id, session.pk)
        message = _("La session n° %(number)s est supprimée.") % {"number": session_id}
        messages.success(request, message)
        return redirect("certif_sessions:session_list", org_id)
    return _page(request, "sessions/session_confirm_delete.html", {"session": session})


@org_admin_view
def candidates_add_students(request: OrgRequest, org_id: int, session_id: int) -> HttpResponse:
    session, editable = _editable_session(request, session_id)
    if not editable:
        return _read_only(request, session)
    form = EnrollStudentsForm(request.POST or None, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        result = services.candidates_add_students(
            session=session, students=form.cleaned_data["students"]
        )
        text = ngettext("%(count)d élève inscrit.", "%(count)d élèves inscrits.", result.added) % {
            "count": result.added
        }
        if result.already_enrolled:
            text += " " + ngettext(
                "%(count)d l'était déjà.", "%(count)d l'étaient déjà.", result.already_enrolled
            ) % {"count": result.already_enrolled}
        messages.success(request, text)
        return redirect("certif_sessions:session_detail", org_id, session.pk)
    division = request.GET.get("classe", request.POST.get("classe", ""))
    search = request.GET.get("recherche", request.POST.get("recherche", "")).strip()
    students: Iterable[Student] = []
    if division or search:
        students = enrollable_students(
            organization=request.organization, division=division, search=search
        )
    enrolled = {str(pk) for pk in enrolled_student_ids(session=session)}
    checked = set(request.POST.getlist("students"))
    return _page(
        request,
        "sessions/candidates_add_students.html",
        {
            "session": session,
            "form": form,
            "divisions": organization_divisions(organization=request.organization),
            "division": division,
            "search": search,
            "students": students,
            "enrolled_ids": enrolled,
            "checked_ids": checked,
            # "tout cocher" stays ticked when the page comes back asking for a confirmation
            "all_checked": bool(checked) and checked >= {str(s.pk) for s in students} - enrolled,
        },
    )


@org_admin_view
def candidate_add(request: OrgRequest, org_id: int, session_id: int) -> HttpResponse:
    session, editable = _editable_session(request, session_id)
    if not editable:
        return _read_only(request, session)
    form = CandidateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            candidate = services.candidate_add(session=session, **form.candidate_fields())
        except services.DuplicateCandidateError:
            form.add_error(
                None, _("Ce candidat (même nom, prénom et date de naissance) est déjà inscrit.")
            )
        else:
            messages.success(request, _("%(name)s est inscrit(e).") % {"name": candidate})
            return redirect("certif_sessions:session_detail", org_id, session.pk)
    return _page(request, "sessions/candidate_form.html", {"form": form, "session": session})


@org_admin_view
def candidate_update(
    request: OrgRequest, org_id: int, session_id: int, candidate_id: int
) -> HttpResponse:
    session, editable = _editable_session(request, session_id)
    candidate = candidate_get(session=session, candidate_id=candidate_id)
    if not editable:
        return _read_only(request, session)
    form = CandidateUpdateForm(
        request.POST or None,
        initial={
            "extra_time_percentage": candidate.extra_time_percentage,
            "result_recipient_email": candidate.result_recipient_email,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.candidate_update(candidate=candidate, **form.cleaned_data)
        messages.success(request, _("%(name)s : modifications enregistrées.") % {"name": candidate})
        return redirect("certif_sessions:session_detail", org_id, session.pk)
    return _page(
        request,
        "sessions/candidate_update.html",
        {"form": form, "session": session, "candidate": candidate},
    )


@org_admin_view
@require_POST
def candidate_remove(
    request: OrgRequest, org_id: int, session_id: int, candidate_id: int
) -> HttpResponse:
    session, editable = _editable_session(request, session_id)
    candidate = candidate_get(session=session, candidate_id=candidate_id)
    if not editable:
        return _read_only(request, session)
    try:
        services.candidate_remove(candidate=candidate)
        messages.success(request, _("%(name)s est retiré(e) de la session.") % {"name": candidate})
    except services.CandidateHasStartedError:
        message = _("%(name)s est noté(e) présent(e) : impossible de le retirer.")
        messages.error(request, message % {"name": candidate})
    return redirect("certif_sessions:session_detail", org_id, session.pk)


@org_member_view
def document_download(
    request: OrgRequest, org_id: int, session_id: int, document: str
) -> HttpResponseBase:
    """Small documents come straight back; big ones are rendered by a task (POST starts it)."""
    session = session_get(organization=request.organization, session_id=session_id)
    spec = DOCUMENTS.get(document)
    if spec is None:
        raise Http404
    if request.method == "POST":
        job = document_jobs.document_job_start(
            session=session, document=spec, started_by=request.user
        )
        return redirect("certif_sessions:document_job", org_id, session.pk, job.pk)
    count = session.candidates.count()
    if not document_jobs.document_is_small(document=spec, candidate_count=count):
        return _page(
            request,
            "sessions/document_big.html",
            {"session": session, "document": spec, "pages": spec.pages(count)},
        )
    content = document_render(document=spec, session=session)
    document_jobs.document_export_record(session=session, document=spec, user=request.user)
    response = HttpResponse(content, content_type=spec.content_type)
    response["Content-Disposition"] = f'attachment; filename="{spec.filename(session)}"'
    return response


def _job(
    request: OrgRequest, session_id: int, job_id: int
) -> tuple[Session, DocumentJob, SessionDocument]:
    session = session_get(organization=request.organization, session_id=session_id)
    job = document_job_get(session=session, job_id=job_id)
    return session, job, DOCUMENTS[job.document]


@org_member_view
def document_job(request: OrgRequest, org_id: int, session_id: int, job_id: int) -> HttpResponse:
    """The generation's page; htmx polls the same address for the progress part alone."""
    session, job, spec = _job(request, session_id, job_id)
    return job_page(
        request,
        job=job,
        template="sessions/document_job.html",
        result_template="sessions/_document_job_result.html",
        label=_("Préparation du document en cours…"),
        done_message=_("Le document est prêt."),
        context={"session": session, "document": spec, "nav_section": "sessions"},
    )


@org_member_view
def document_job_download(
    request: OrgRequest, org_id: int, session_id: int, job_id: int
) -> HttpResponseBase:
    session, job, spec = _job(request, session_id, job_id)
    if job.status != job.Status.DONE or job.file is None or job.file.is_expired:
        messages.error(request, _("Ce document n'est plus disponible : générez-le à nouveau."))
        return redirect("certif_sessions:session_detail", org_id, session.pk)
    return private_file_response(private_file=job.file)


@org_admin_view
def session_finalize(request: OrgRequest, org_id: int, session_id: int) -> HttpResponse:
    session, editable = _editable_session(request, session_id)
    if not editable:
        return _read_only(request, session)
    if not session.has_started:
        return _not_started(request, session)
    candidates = list(session_candidates(session=session))
    form = FinalizationForm(request.POST or None, request.FILES or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        content_type, extension = form.signed_pv_type
        try:
            services.session_finalize(
                session=session,
                candidates=form.candidate_lines(),
                has_incident=form.cleaned_data["has_incident"],
                has_joining_issue=form.cleaned_data["has_joining_issue"],
                comment=form.cleaned_data["comment"],
                signed_pv=form.cleaned_data["signed_pv"],
                signed_pv_content_type=content_type,
                signed_pv_extension=extension,
                finalized_by=request.user,
            )
        except services.SessionNotEditableError:
            return _read_only(request, session)
        except services.SessionNotStartedError:
            return _not_started(request, session)
        except services.CandidatesChangedError:
            messages.error(
                request, _("La liste des candidats a changé entre-temps : vérifiez et recommencez.")
            )
            return redirect("certif_sessions:session_finalize", org_id, session.pk)
        message = _("La session n° %(number)s est finalisée.") % {"number": session.pk}
        messages.success(request, message)
        return redirect("certif_sessions:session_detail", org_id, session.pk)
    return _page(
        request,
        "sessions/session_finalize.html",
        {
            "session": session,
            "form": form,
            "issue_reports": session_issue_reports(session=session),
            "issue_form": SessionIssueReportForm(session=session),
        },
    )


def _issue_reports_response(
    request: OrgRequest, session: Session, form: SessionIssueReportForm
) -> HttpResponse:
    """htmx swaps the list of reports; without JavaScript, back to the finalisation page."""
    if request.htmx:
        return render(
            request,
            "sessions/_issue_reports.html",
            {
                "session": session,
                "issue_reports": session_issue_reports(session=session),
                "issue_form": form,
            },
        )
    for errors in form.errors.values():
        messages.error(request, " ".join(errors))
    return redirect("certif_sessions:session_finalize", session.organization_id, session.pk)


@org_admin_view
@require_POST
def issue_report_add(request: OrgRequest, org_id: int, session_id: int) -> HttpResponse:
    session, editable = _editable_session(request, session_id)
    if not editable:
        return _read_only(request, session)
    form = SessionIssueReportForm(request.POST, session=session)
    if form.is_valid():
        services.issue_report_add(source=CertificationIssueReport.Source.ADMIN, **form.cleaned_data)
        form = SessionIssueReportForm(session=session)
    return _issue_reports_response(request, session, form)


@org_admin_view
@require_POST
def issue_report_delete(
    request: OrgRequest, org_id: int, session_id: int, issue_report_id: int
) -> HttpResponse:
    session, editable = _editable_session(request, session_id)
    report = issue_report_get(session=session, issue_report_id=issue_report_id)
    if not editable:
        return _read_only(request, session)
    services.issue_report_delete(issue_report=report)
    return _issue_reports_response(request, session, SessionIssueReportForm(session=session))


def signed_pv_response(session: Session, *, as_attachment: bool = True) -> HttpResponseBase:
    """The scanned PV, streamed from private storage (the school's admins, the jury)."""
    if (signed_pv := session.signed_pv) is None:  # no query when there is none
        raise Http404
    return private_file_response(private_file=signed_pv, as_attachment=as_attachment)


@org_admin_view
def signed_pv_download(request: OrgRequest, org_id: int, session_id: int) -> HttpResponseBase:
    session = session_get(organization=request.organization, session_id=session_id)
    return signed_pv_response(session)
