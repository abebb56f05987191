"""The Espace surveillant: no account, the session number and that session's password.

The granted session id is kept in the Django session; every page and action looks candidates
up within that one session, so nothing else of the school is reachable from here. Failed
logins are rate-limited per IP and session number (and per IP overall).
"""

import functools
from collections.abc import Callable
from typing import Concatenate, ParamSpec

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_ratelimit.core import get_usage

from core.client_ip import client_ip
from jobs.views import HtmxRequest

from . import services
from .forms import AttendanceForm, InvigilatorLoginForm, IssueReportForm, issue_report_form
from .models import Candidate, CertificationIssueReport, Session
from .selectors import invigilated_candidates

SESSION_KEY = "invigilator_session_id"
P = ParamSpec("P")


def _usage(request: HttpRequest, *, group: str, rate: str, key: str, increment: bool) -> bool:
    """True when the failures counted under `key` reached the limit of `rate`."""
    usage = get_usage(
        request, group=group, key=lambda _group, _request: key, rate=rate, increment=increment
    )
    return usage is not None and usage["count"] >= usage["limit"]


def _login_limited(request: HttpRequest, session_number: int, *, failed: bool) -> bool:
    ip = client_ip(request)
    limits = [
        ("invigilator-login", settings.INVIGILATOR_LOGIN_RATE, f"{ip}|{session_number}"),
        ("invigilator-login-ip", settings.INVIGILATOR_LOGIN_IP_RATE, ip),
    ]
    return any([_usage(request, group=g, rate=r, key=k, increment=failed) for g, r, k in limits])


def _invigilated_session(request: HttpRequest) -> Session | None:
    session_id = request.session.get(SESSION_KEY)
    if session_id is None:
        return None
    return Session.objects.filter(pk=session_id, status=Session.Status.CREATED).first()


class SessionLost(Exception):
    """The login lapsed (an hour without a request, a phone asleep) or the session was closed."""


def _granted_session(request: HttpRequest) -> Session:
    session = _invigilated_session(request)
    if session is None:
        raise SessionLost
    return session


def _says_when_the_session_is_lost(
    view: Callable[Concatenate[HtmxRequest, P], HttpResponse],
) -> Callable[Concatenate[HtmxRequest, P], HttpResponse]:
    """An action sent after the login lapsed is not silently dropped: the page says so, in a
    box where the invigilator logs in again, and the browser sends the action again after that
    (static/js/invigilator.js); without JavaScript, the login page says it."""

    @functools.wraps(view)
    def wrapper(request: HtmxRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except SessionLost:
            request.session.pop(SESSION_KEY, None)
            if not request.htmx:
                messages.error(request, LOST_MESSAGE)
                return redirect("invigilator:login")
            response = render(
                request,
                "sessions/invigilator/_session_lost.html",
                {"form": InvigilatorLoginForm(), "message": LOST_MESSAGE},
            )
            response["HX-Retarget"] = "#connexion-perdue"
            response["HX-Reswap"] = "innerHTML"
            response["HX-Trigger"] = "invigilatorSessionLost"
            return response

    return wrapper


LOST_MESSAGE = gettext_lazy(
    "Votre connexion à l'espace surveillant a expiré : votre dernière action n'a pas été "
    "enregistrée. Saisissez à nouveau le mot de passe de la session : elle sera envoyée aussitôt."
)


def _candidate(request: HttpRequest, candidate_id: int) -> Candidate:
    """A candidate of the granted session only: any other id is a 404."""
    session = _granted_session(request)
    return get_object_or_404(
        Candidate.objects.select_related("session"), pk=candidate_id, session=session
    )


@never_cache
def invigilator_login(request: HtmxRequest) -> HttpResponse:
    form = InvigilatorLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["session_number"]
        if _login_limited(request, number, failed=False):
            form.add_error(
                None, _("Trop de tentatives : patientez quelques minutes avant de réessayer.")
            )
            return render(request, "sessions/invigilator/login.html", {"form": form}, status=429)
        session = Session.objects.filter(pk=number).first()
        password = session.invigilator_password if session else "-" * 6
        if session is None or not constant_time_compare(form.cleaned_data["password"], password):
            _login_limited(request, number, failed=True)
            form.add_error(None, _("Numéro de session ou mot de passe incorrect."))
        elif not session.is_editable:
            form.add_error(None, _("Cette session est finalisée : l'espace surveillant est fermé."))
        else:
            request.session.cycle_key()
            request.session[SESSION_KEY] = session.pk
            if request.htmx:
                response = HttpResponse(
                    f'<p class="fr-alert fr-alert--success fr-alert--sm" role="status">'
                    f"{_('Reconnecté : votre action est envoyée.')}</p>"
                )
                response["HX-Trigger"] = "invigilatorReconnected"
                return response
            return redirect("invigilator:session")
    if request.htmx:
        return render(
            request,
            "sessions/invigilator/_session_lost.html",
            {"form": form, "message": LOST_MESSAGE},
        )
    return render(request, "sessions/invigilator/login.html", {"form": form})


@never_cache
def invigilator_session(request: HttpRequest) -> HttpResponse:
    session = _invigilated_session(request)
    if session is None:
        request.session.pop(SESSION_KEY, None)
        messages.info(request, _("Saisissez le numéro de session et son mot de passe."))
        return redirect("invigilator:login")
    search = request.GET.get("nom", "")[:100]
    candidates = invigilated_candidates(session=session, search=search)
    return render(
        request,
        "sessions/invigilator/session.html",
        {
            "session": session,
            "search": search,
            "rows": [{"candidate": c, "form": issue_report_form(c)} for c in candidates],
            **_counts(session),
        },
    )


def _counts(session: Session) -> dict[str, int]:
    return {
        "candidate_count": session.candidates.count(),
        "present_count": session.candidates.filter(is_present=True).count(),
    }


@never_cache
@_says_when_the_session_is_lost
def invigilator_counter(request: HtmxRequest) -> HttpResponse:
    """Polled by the open page: the present counter stays true (other invigilators tick too)
    and the login stays alive through a 2-hour test (each request renews it)."""
    session = _granted_session(request)
    return render(request, "sessions/invigilator/_counter.html", _counts(session))


def _candidate_response(
    request: HtmxRequest,
    candidate: Candidate,
    *,
    issue_form: IssueReportForm | None = None,
    saved: bool = False,
) -> HttpResponse:
    if request.htmx:
        return render(
            request,
            "sessions/invigilator/_candidate.html",
            {
                "candidate": candidate,
                "session": candidate.session,
                "issue_form": issue_form or issue_report_form(candidate),
                "saved": saved,
                "counter_out_of_band": True,
                **_counts(candidate.session),
            },
        )
    if issue_form is not None and issue_form.errors:
        for errors in issue_form.errors.values():
            messages.error(request, f"{candidate} : {' '.join(errors)}")
    return redirect("invigilator:session")


@never_cache
@require_POST
@_says_when_the_session_is_lost
def invigilator_attendance(request: HtmxRequest, candidate_id: int) -> HttpResponse:
    candidate = _candidate(request, candidate_id)
    form = AttendanceForm(request.POST)
    form.is_valid()
    services.candidate_record_attendance(
        candidate=candidate,
        is_present=form.cleaned_data.get("is_present", False),
        has_seen_end_test_screen=form.cleaned_data.get("has_seen_end_test_screen", False),
    )
    return _candidate_response(request, candidate, saved=True)


@never_cache
@require_POST
@_says_when_the_session_is_lost
def invigilator_issue_report_add(request: HtmxRequest, candidate_id: int) -> HttpResponse:
    candidate = _candidate(request, candidate_id)
    form = issue_report_form(candidate, request.POST)
    if form.is_valid():
        services.issue_report_add(
            candidate=candidate,
            source=CertificationIssueReport.Source.INVIGILATOR,
            **form.cleaned_data,
        )
        return _candidate_response(request, candidate, saved=True)
    return _candidate_response(request, candidate, issue_form=form)


@never_cache
@require_POST
@_says_when_the_session_is_lost
def invigilator_issue_report_delete(request: HtmxRequest, issue_report_id: int) -> HttpResponse:
    session = _granted_session(request)
    report = get_object_or_404(
        CertificationIssueReport.objects.select_related("candidate__session"),
        pk=issue_report_id,
        candidate__session=session,
    )
    services.issue_report_delete(issue_report=report)
    return _candidate_response(request, report.candidate, saved=True)


@require_POST
def invigilator_logout(request: HttpRequest) -> HttpResponse:
    request.session.pop(SESSION_KEY, None)
    messages.success(request, _("Vous avez quitté l'espace surveillant."))
    return redirect("invigilator:login")
