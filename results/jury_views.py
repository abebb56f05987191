"""The jury's pages (superusers): sessions to process, signalements and their decisions,
publication, integration tokens of the test platform."""

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec, cast

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import AuthenticatedRequest
from accounts.integration_tokens import (
    integration_token_create,
    integration_token_revoke,
    integration_tokens,
)
from accounts.models import IntegrationToken
from certification.referential import COMPETENCE_CODES
from sessions.models import Candidate, CertificationIssueReport, Session
from sessions.views import signed_pv_response

from . import neutralisation, recipient_emails, selectors, services
from .forms import IntegrationTokenForm, IssueReportDecisionForm, JuryCommentsForm
from .models import IssueReportDecision, ResultEmail
from .templatetags.results_tags import summary_text

P = ParamSpec("P")


def superuser_view(
    view: Callable[Concatenate[AuthenticatedRequest, P], HttpResponseBase],
) -> Callable[Concatenate[HttpRequest, P], HttpResponseBase]:
    """The jury's pages: superusers only; anyone else is told the page does not exist."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_superuser:
            raise Http404
        return view(cast(AuthenticatedRequest, request), *args, **kwargs)

    return wrapper


def _session(session_id: int) -> Session:
    return get_object_or_404(selectors.jury_sessions(), pk=session_id)


@superuser_view
def jury_sessions(request: AuthenticatedRequest) -> HttpResponse:
    sessions = list(selectors.jury_sessions())
    counts = {
        "to_process": sum(1 for s in sessions if s.to_process),
        "to_publish": sum(1 for s in sessions if s.status == "finalized" and not s.to_process),
        "published": sum(1 for s in sessions if s.status == "published"),
    }
    return render(request, "results/jury_sessions.html", {"sessions": sessions, "counts": counts})


def _attach_decision_forms(
    candidates: list[Candidate], bound: IssueReportDecisionForm | None = None
) -> None:
    """A decision form on each signalement waiting for the jury (the bound one if it failed)."""
    for candidate in candidates:
        for report in candidate.issue_reports.all():
            if neutralisation.jury_kinds(report.code) and not hasattr(report, "decision"):
                form = (
                    bound
                    if bound and bound.issue_report.pk == report.pk
                    else IssueReportDecisionForm(issue_report=report)
                )
                report.decision_form = form  # type: ignore[attr-defined]  # for the template


def _session_page(
    request: HttpRequest,
    session: Session,
    *,
    comments_form: JuryCommentsForm | None = None,
    decision_form: IssueReportDecisionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    candidates = list(selectors.jury_session_candidates(session=session))
    _attach_decision_forms(candidates, decision_form)
    results = selectors.session_results(session=session)
    context = {
        "session": session,
        "candidates": candidates,
        "comments_form": comments_form or JuryCommentsForm(results=results),
        "problems": services.publication_problems(session),
        "competence_codes": COMPETENCE_CODES,
    }
    return render(request, "results/jury_session.html", context, status=status)


@superuser_view
def jury_session(request: AuthenticatedRequest, session_id: int) -> HttpResponse:
    """Review a finalised session: signalements, finalisation, results, jury comments."""
    session = _session(session_id)
    if request.method != "POST":
        return _session_page(request, session)
    form = JuryCommentsForm(request.POST, results=selectors.session_results(session=session))
    if not form.is_valid():
        return _session_page(request, session, comments_form=form, status=400)
    try:
        services.jury_comments_save(session=session, jury_comments=form.jury_comments())
    except services.PublicationRefused as refused:
        messages.error(request, " ".join(refused.errors))
    else:
        messages.success(request, _("Les commentaires du jury sont enregistrés."))
    return redirect("results_public:jury_session", session.pk)


def _back_to(session: Session, issue_report_id: int) -> HttpResponse:
    url = reverse("results_public:jury_session", args=[session.pk])
    return redirect(f"{url}#signalement-{issue_report_id}")


def _rescored_message(before: dict[str, Any], after: dict[str, Any]) -> str:
    if not before:
        return _("Décision enregistrée.")
    return _("Décision enregistrée. Avant : %(before)s. Après : %(after)s.") % {
        "before": summary_text(before),
        "after": summary_text(after),
    }


@superuser_view
@require_POST
def jury_issue_report_decide(
    request: AuthenticatedRequest, session_id: int, issue_report_id: int
) -> HttpResponse:
    session = _session(session_id)
    report = get_object_or_404(
        CertificationIssueReport, pk=issue_report_id, candidate__session=session
    )
    form = IssueReportDecisionForm(request.POST, issue_report=report)
    if not form.is_valid():
        return _session_page(request, session, decision_form=form, status=400)
    try:
        decision = neutralisation.issue_report_decide(
            issue_report=report,
            kind=form.cleaned_data["decision"],
            reason=form.cleaned_data["motif"],
            decided_by=request.user,
        )
    except neutralisation.DecisionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _rescored_message(decision.before, decision.after))
    return _back_to(session, report.pk)


@superuser_view
@require_POST
def jury_decision_undo(
    request: AuthenticatedRequest, session_id: int, decision_id: int
) -> HttpResponse:
    session = _session(session_id)
    decision = get_object_or_404(
        IssueReportDecision, pk=decision_id, issue_report__candidate__session=session
    )
    try:
        before, after = neutralisation.issue_report_decision_undo(
            decision=decision, undone_by=request.user
        )
    except neutralisation.DecisionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _("Décision annulée : le signalement attend de nouveau le jury. ")
            + _rescored_message(before, after),
        )
    return _back_to(session, decision.issue_report_id)


@superuser_view
def jury_publish(request: AuthenticatedRequest, session_id: int) -> HttpResponse:
    """The confirmation step before the irreversible publication: what will be published."""
    session = _session(session_id)
    if request.method == "POST":
        try:
            services.session_results_publish(
                session=session, jury_comments={}, published_by=request.user
            )
        except services.PublicationRefused as refused:
            for problem in refused.errors:
                messages.error(request, problem)
        else:
            messages.success(
                request,
                _("Les résultats de la session n° %(id)s sont publiés.") % {"id": session.pk},
            )
        return redirect("results_public:jury_session", session.pk)
    context = {
        "session": session,
        "counts": selectors.session_status_counts(session=session),
        "problems": services.publication_problems(session),
    }
    return render(request, "results/jury_publish.html", context)


@superuser_view
def jury_signed_pv(request: AuthenticatedRequest, session_id: int) -> HttpResponseBase:
    return signed_pv_response(_session(session_id), as_attachment=False)


@superuser_view
@require_POST
def jury_result_email_retry(
    request: AuthenticatedRequest, session_id: int, email_id: int
) -> HttpResponse:
    session = _session(session_id)
    email = get_object_or_404(
        ResultEmail, pk=email_id, result__candidate__session=session, status="failed"
    )
    recipient_emails.result_email_retry(result_email=email)
    messages.success(request, _("L'envoi à %(email)s est relancé.") % {"email": email.email})
    return redirect("results_public:jury_session", session.pk)


@superuser_view
def jury_tokens(request: AuthenticatedRequest) -> HttpResponse:
    """List the test platform's tokens (of one school with ?uai=), create one: shown once."""
    uai = request.GET.get("uai", "").strip().upper()
    form = IntegrationTokenForm(request.POST or None, initial={"uai": uai})
    created = None
    if request.method == "POST" and form.is_valid():
        assert form.organization is not None  # a valid form found the school
        created = integration_token_create(
            organization=form.organization,
            name=form.cleaned_data["name"],
            created_by=request.user,
        )
        form = IntegrationTokenForm(initial={"uai": form.cleaned_data["uai"]})
    context = {"form": form, "tokens": integration_tokens(uai=uai), "uai": uai, "created": created}
    return render(request, "results/jury_tokens.html", context)


@superuser_view
@require_POST
def jury_token_revoke(request: AuthenticatedRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(IntegrationToken, pk=token_id, is_active=True)
    integration_token_revoke(token=token, revoked_by=request.user)
    messages.success(request, _("Le jeton « %(name)s » est révoqué.") % {"name": token.name})
    return redirect("results_public:jury_tokens")
