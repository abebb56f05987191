"""Student import pages, under /o/<org_id>/eleves/import/ (admins only)."""

from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.contrib import messages
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from accounts.access import OrgRequest, org_admin_view
from jobs.views import job_page
from students.models import ImportJob

from . import services
from .forms import StudentImportForm
from .selectors import import_job_active, import_job_list

if TYPE_CHECKING:  # django-stubs-ext is a dev tool, not installed in production
    from django_stubs_ext import StrPromise


class _ImportRequest(OrgRequest):
    upload_too_large: bool  # set by the upload handler


class _CappedUploadHandler(FileUploadHandler):
    """Stops reading an upload past the cap instead of spooling it all to disk first."""

    request: _ImportRequest  # always given: student_import installs it

    def __init__(self, request: _ImportRequest) -> None:
        super().__init__(request)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > settings.MAX_UPLOAD_SIZE:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


@csrf_exempt  # the upload handler must be installed before the CSRF check reads the body
@org_admin_view
def student_import(request: OrgRequest, org_id: int) -> HttpResponse:
    import_request = cast(_ImportRequest, request)  # the one place it gets `upload_too_large`
    import_request.upload_too_large = False
    if request.method == "POST":
        # Still a list (not yet immutable): nothing has read the body, the CSRF check waits.
        assert isinstance(request.upload_handlers, list)
        request.upload_handlers.insert(0, _CappedUploadHandler(import_request))
    return _student_import(import_request, org_id)


@csrf_protect
def _student_import(request: _ImportRequest, org_id: int) -> HttpResponse:
    organization = request.organization
    posted = request.method == "POST"
    form = StudentImportForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        organization=organization,
        too_large=request.upload_too_large,
    )
    if posted and form.is_valid():
        try:
            job = services.student_import_siecle(
                organization=organization, upload=form.cleaned_data["file"], started_by=request.user
            )
        except services.ImportAlreadyRunning as running:
            messages.error(request, _running_message(running.job))
        else:
            return redirect("students:import_job", org_id, job.id)
    return render(
        request,
        "students/import_upload.html",
        {
            "form": form,
            "active_job": import_job_active(organization=organization),
            "nav_section": "students",
        },
    )


_LABELS: "dict[str, StrPromise]" = {
    ImportJob.Status.CONFIRMED: gettext_lazy("Import des élèves en attente…"),
    ImportJob.Status.IMPORTING: gettext_lazy("Import des élèves en cours…"),
}
_OUTCOMES: "dict[str, StrPromise]" = {
    ImportJob.Status.READY: gettext_lazy(
        "Le fichier est valide : vérifiez ce que l'import va faire."
    ),
    ImportJob.Status.DONE: gettext_lazy("Import réussi."),
    ImportJob.Status.REJECTED: gettext_lazy(
        "Le fichier a été refusé : aucun élève n'a été importé."
    ),
    ImportJob.Status.CANCELLED: gettext_lazy("Import annulé."),
}


@org_admin_view
def import_job(request: OrgRequest, org_id: int, import_job_id: int) -> HttpResponse:
    job = _school_job(request, import_job_id)
    return job_page(
        request,
        job=job,
        template="students/import_job.html",
        result_template="students/_import_result.html",
        label=str(_LABELS.get(job.status, _("Vérification du fichier en cours…"))),
        done_message=str(_OUTCOMES.get(job.status, "")),
        context={"nav_section": "students"},
    )


@org_admin_view
@require_POST
def import_job_confirm(request: OrgRequest, org_id: int, import_job_id: int) -> HttpResponse:
    job = _school_job(request, import_job_id)
    try:
        services.student_import_confirm(job=job, confirmed_by=request.user)
    except services.ImportNotAllowed:
        messages.error(request, _("Cet import n'est plus en attente de confirmation."))
    return redirect("students:import_job", org_id, job.id)


@org_admin_view
@require_POST
def import_job_cancel(request: OrgRequest, org_id: int, import_job_id: int) -> HttpResponse:
    job = _school_job(request, import_job_id)
    try:
        services.student_import_cancel(job=job)
    except services.ImportNotAllowed:
        messages.error(request, _("Cet import ne peut plus être annulé."))
        return redirect("students:import_job", org_id, job.id)
    messages.info(request, _("Import annulé : aucun élève n'a été modifié."))
    return redirect("students:list", org_id)


@org_admin_view
@require_POST
def import_job_retry(request: OrgRequest, org_id: int, import_job_id: int) -> HttpResponse:
    job = _school_job(request, import_job_id)
    try:
        retried = services.student_import_retry(job=job, retried_by=request.user)
    except services.ImportNotAllowed:
        messages.error(
            request, _("Cet import ne peut pas être relancé : déposez à nouveau le fichier.")
        )
        return redirect("students:import_job", org_id, job.id)
    except services.ImportAlreadyRunning as running:
        messages.error(request, _running_message(running.job))
        return redirect("students:import_job", org_id, job.id)
    return redirect("students:import_job", org_id, retried.id)


@org_admin_view
def import_history(request: OrgRequest, org_id: int) -> HttpResponse:
    jobs = import_job_list(organization=request.organization)
    page = Paginator(jobs, 20).get_page(request.GET.get("page"))
    return render(
        request, "students/import_history.html", {"page": page, "nav_section": "students"}
    )


def _school_job(request: OrgRequest, import_job_id: int) -> ImportJob:
    return get_object_or_404(ImportJob, pk=import_job_id, organization=request.organization)


def _running_message(job: ImportJob | None) -> str:
    if job is not None and job.status == ImportJob.Status.READY:
        return _(
            "Un import attend d'être confirmé ou annulé pour votre établissement : "
            "terminez-le avant d'en lancer un autre."
        )
    return _(
        "Un import d'élèves est déjà en cours pour votre établissement : attendez qu'il se "
        "termine avant d'en lancer un autre."
    )
