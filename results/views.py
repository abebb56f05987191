"""School pages under /o/<org_id>/resultats/: members and admins read and export results."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import OrgRequest, org_member_view
from accounts.models import AuditLog
from accounts.services import export_audit
from certification.models import school_year_of
from certification.referential import COMPETENCES
from core.exports import csv_response, file_name_part, file_response, xlsx_response
from jobs.files import private_file_response
from jobs.views import job_page
from sessions.models import Session
from students.selectors import organization_divisions

from . import bilan as bilans
from . import documents, exporters, selectors, services
from .forms import BilanFilterForm, ResultsFilterForm
from .models import CertificateBatch, CertificationResult


def _selection(request: OrgRequest) -> tuple[ResultsFilterForm, str, Session | None]:
    """The filter form of the results pages, and the (division, session) it selects."""
    organization = request.organization
    form = ResultsFilterForm(
        request.GET or None,
        divisions=lambda: selectors.result_divisions(organization=organization),
        sessions=selectors.published_sessions(organization=organization),
    )
    division, session = form.selection()
    return form, division, session


def _label(division: str, session: Session | None) -> str:
    if division:
        return division
    return f"session_{session.pk}" if session else "etablissement"


@org_member_view
def results_home(request: OrgRequest, org_id: int) -> HttpResponse:
    form, division, session = _selection(request)
    chosen = bool(division or session)
    results = selectors.published_results(
        organization=request.organization, division=division, session=session
    )
    table = (
        [(result, exporters.result_competence_cells(result)) for result in results]
        if chosen
        else []
    )
    return render(
        request,
        "results/home.html",
        {
            "form": form,
            "chosen": chosen,
            "table": table,
            "certified": sum(1 for result, _cells in table if result.is_validated),
            "query": request.GET.urlencode(),
            "competences": COMPETENCES,
            "nav_section": "results",
        },
    )


def _export(request: OrgRequest, *, extension: str) -> HttpResponse:
    form, division, session = _selection(request)
    if form.is_bound and not form.is_valid():
        # A class or session the school has no published results for: say so, rather than
        # hand out the whole school's file under a name that does not say it.
        messages.error(
            request,
            _(
                "Export impossible : la classe ou la session demandée n'a aucun résultat publié "
                "dans l'établissement. Choisissez-la dans la liste."
            ),
        )
        home = reverse("results:results_home", args=[request.organization.pk])
        return redirect(f"{home}?{request.GET.urlencode()}")
    results = selectors.published_results(
        organization=request.organization, division=division, session=session, details=False
    )
    today = timezone.localtime(timezone=request.organization.zoneinfo).date()
    name = exporters.export_file_name(
        day=today, label=_label(division, session), extension=extension
    )
    rows = exporters.result_rows(results)
    export_audit(
        actor=request.user,
        organization=request.organization,
        export=AuditLog.Export.RESULTS,
        format=extension,
        division=division,
        session_id=session.pk if session else None,
        results=len(rows),
    )
    if extension == "csv":
        return csv_response(name, exporters.HEADER, rows)
    return xlsx_response(name, exporters.HEADER, rows, title=_("Résultats"))


@org_member_view
def export_csv(request: OrgRequest, org_id: int) -> HttpResponse:
    return _export(request, extension="csv")


@org_member_view
def export_xlsx(request: OrgRequest, org_id: int) -> HttpResponse:
    return _export(request, extension="xlsx")


@org_member_view
def certificate(request: OrgRequest, org_id: int, result_id: int) -> HttpResponse:
    result = selectors.published_result_get(organization=request.organization, result_id=result_id)
    if result.status != CertificationResult.Status.VALIDATED:
        raise Http404
    pdf = documents.certificates_render(results=[result])
    export_audit(
        actor=request.user,
        organization=request.organization,
        export=AuditLog.Export.CERTIFICATE,
        result_id=result.pk,
    )
    return file_response(pdf, documents.certificate_file_name(result), "application/pdf")


@org_member_view
@require_POST
def certificate_batch_start(request: OrgRequest, org_id: int) -> HttpResponse:
    _form, division, session = _selection(request)
    home = f"{reverse('results:results_home', args=[org_id])}?{request.GET.urlencode()}"
    if not (division or session):
        messages.error(request, _("Choisissez une classe ou une session."))
        return redirect(home)
    batch = services.certificate_batch_start(
        organization=request.organization,
        requested_by=request.user,
        division=division,
        session=session,
    )
    if batch is None:
        messages.info(request, _("Aucun élève certifié : il n'y a pas d'attestation à produire."))
        return redirect(home)
    return redirect("results:certificate_batch", org_id, batch.pk)


def _batch(request: OrgRequest, batch_id: int) -> CertificateBatch:
    return get_object_or_404(CertificateBatch, pk=batch_id, organization=request.organization)


@org_member_view
def certificate_batch(request: OrgRequest, org_id: int, batch_id: int) -> HttpResponse:
    batch = _batch(request, batch_id)
    return job_page(
        request,
        job=batch,
        template="results/certificate_batch.html",
        result_template="results/_certificate_batch_result.html",
        label=_("Production des attestations en cours…"),
        done_message=_("Le fichier des attestations est prêt."),
        context={"batch": batch, "nav_section": "results"},
    )


@org_member_view
def certificate_batch_download(request: OrgRequest, org_id: int, batch_id: int) -> HttpResponseBase:
    batch = _batch(request, batch_id)
    if batch.status != CertificateBatch.Status.DONE or batch.file is None or batch.file.is_expired:
        raise Http404
    return private_file_response(private_file=batch.file)


def _bilan(request: OrgRequest) -> dict[str, Any]:
    organization = request.organization
    current = school_year_of(timezone.localtime(timezone=organization.zoneinfo).date())
    form = BilanFilterForm(
        request.GET or None,
        years=range(current, current - 4, -1),
        divisions=organization_divisions(organization=organization),
    )
    start_year, division = current, ""
    if form.is_valid():
        start_year, division = form.cleaned_data["annee"], form.cleaned_data["classe"]
    bilan = bilans.bilan_compute(
        organization=organization, start_year=start_year, division=division
    )
    return {
        "form": form,
        "bilan": bilan,
        "share_chart": bilans.share_chart(bilan),
        "levels_chart": bilans.levels_chart(bilan),
        "level_bands": bilans.level_band_labels(),
        "query": request.GET.urlencode(),
        "nav_section": "results",
    }


@org_member_view
def bilan(request: OrgRequest, org_id: int) -> HttpResponse:
    return render(request, "results/bilan.html", _bilan(request))


@org_member_view
def bilan_pdf(request: OrgRequest, org_id: int) -> HttpResponse:
    context = _bilan(request)
    pdf = documents.bilan_render(context={**context, "organization": request.organization})
    name = f"bilan_pix_{context['bilan'].school_year}"
    if context["bilan"].division:
        name += "_" + file_name_part(context["bilan"].division, "classe")
    return file_response(pdf, f"{name}.pdf", "application/pdf")
