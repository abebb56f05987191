"""Pages outside a school: the student's own page and certificate, public verification, the
jury (superusers)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django_ratelimit.decorators import ratelimit

from accounts.access import AuthenticatedRequest
from certification.selectors import competence_profile_summary
from core.exports import file_response
from sessions.models import Session

from . import documents, importers, selectors, services
from .forms import ResultsUploadForm, VerificationForm
from .jury_views import superuser_view


@login_required
def student_home(request: AuthenticatedRequest) -> HttpResponse:
    learners = list(request.user.learners.select_related("organization").filter(is_disabled=False))
    # Dates in the student's school's time zone (a Tahiti student reads Tahiti times).
    with timezone.override(learners[0].organization.zoneinfo if learners else None):
        return render(
            request,
            "results/student_home.html",
            {"learners": learners, "profile": competence_profile_summary(user=request.user)},
        )


@ratelimit(
    key="ip",
    rate=lambda group, request: settings.VERIFICATION_RATE_LIMIT,
    method="POST",
    block=False,
)
def verification(request: HttpRequest) -> HttpResponse:
    """Anyone types a code and sees whose certificate it is; nothing more, and not too often."""
    form = VerificationForm(request.POST or None)
    result, status = None, 200
    if getattr(request, "limited", False):
        form, status = VerificationForm(), 429
        messages.error(
            request, _("Trop de vérifications depuis votre adresse : réessayez dans une minute.")
        )
    elif request.method == "POST" and form.is_valid():
        result = selectors.verifiable_result(code=form.cleaned_data["code"])
        if result is None:
            messages.error(request, _("Aucun certificat valide ne correspond à ce code."))
    context: dict[str, object] = {"form": form, "result": result}
    if result is not None:
        context["competences"] = result.marks.all()
    return render(request, "results/verification.html", context, status=status)


@login_required
def student_certificate(request: AuthenticatedRequest, result_id: int) -> HttpResponse:
    result = selectors.student_result_get(user=request.user, result_id=result_id)
    pdf = documents.certificates_render(results=[result])
    return file_response(pdf, documents.certificate_file_name(result), "application/pdf")


def _read_capped(upload: UploadedFile) -> bytes:
    # One byte past the cap is enough for the parser to refuse the file.
    return upload.read(importers.MAX_CSV_SIZE + 1)


@superuser_view
def jury_results_upload(request: AuthenticatedRequest, session_id: int) -> HttpResponse:
    session = get_object_or_404(Session, pk=session_id)
    form = ResultsUploadForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            entries, first_lines = importers.results_csv_parse(
                _read_capped(form.cleaned_data["file"])
            )
            services.session_results_record(
                session=session, entries=entries, source="csv", recorded_by=request.user
            )
        except importers.ResultsCsvInvalid as invalid:
            errors = invalid.errors
        except services.ResultsRejected as rejected:
            errors = importers.rejection_messages(rejected, first_lines)
        else:
            messages.success(request, _("Les résultats ont été enregistrés et calculés."))
            return redirect("results_public:jury_session", session.pk)
    return render(
        request,
        "results/jury_upload.html",
        {"session": session, "form": form, "errors": errors},
    )
