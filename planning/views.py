"""The campaign pages, under /o/<org_id>/certification/: the readiness board (members and
admins), the session planner and plan files (admins), the day packs (members and admins)."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import OrgRequest, org_admin_view, org_member_view
from jobs.files import private_file_response
from jobs.views import job_page
from sessions.services import SessionNotEditableError, candidates_add_students
from students.selectors import organization_divisions

from . import pack_jobs, services
from .board_html import board_student_rows_html
from .forms import (
    BoardEnrolForm,
    ChangeRoomForm,
    DayPackForm,
    ExtraTimeForm,
    MoveStudentsForm,
    PlanFileForm,
    PlannerForm,
)
from .models import DayPackJob
from .plan_import import PlanFileRejected, session_plan_import
from .selectors import (
    CATCH_UP,
    READINESS_LABELS,
    READINESS_STATES,
    day_pack_job_get,
    open_sessions,
    readiness_board,
    readiness_students,
    session_days,
    session_plan_get,
    target_divisions,
)


def _page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {"nav_section": "sessions", **context})


def _board_divisions(request: OrgRequest) -> list[str]:
    """The classes of the certified level; all classes when asked, or when none match."""
    if request.GET.get("niveau") == "tous":
        return organization_divisions(organization=request.organization)
    return target_divisions(organization=request.organization) or organization_divisions(
        organization=request.organization
    )


@org_member_view
def board(request: OrgRequest, org_id: int) -> HttpResponse:
    rows = readiness_board(organization=request.organization, divisions=_board_divisions(request))
    return _page(
        request,
        "planning/board.html",
        {
            "rows": rows,
            "states": READINESS_STATES,
            "all_levels": request.GET.get("niveau") == "tous",
        },
    )


@org_member_view
def board_students(request: OrgRequest, org_id: int, state: str) -> HttpResponse:
    if state not in READINESS_LABELS and state != CATCH_UP:
        raise Http404
    divisions = _board_divisions(request)
    division = request.GET.get("classe", "")
    if division:
        divisions = [d for d in divisions if d == division]
    students = list(
        readiness_students(organization=request.organization, divisions=divisions, state=state)
    )
    return _page(
        request,
        "planning/board_students.html",
        {
            "students": students,
            "student_rows": board_student_rows_html(students),
            "state": state,
            "label": READINESS_LABELS.get(state, _("Rattrapage")),
            "division": division,
            "sessions": open_sessions(organization=request.organization),
        },
    )


@org_admin_view
@require_POST
def board_enrol(request: OrgRequest, org_id: int) -> HttpResponse:
    form = BoardEnrolForm(request.POST, organization=request.organization)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(map(str, errors)))
        return redirect("planning:board", org_id)
    session = form.cleaned_data["session"]
    try:
        result = candidates_add_students(session=session, students=form.cleaned_data["student_ids"])
    except SessionNotEditableError:
        messages.error(request, _("Cette session est finalisée : elle ne peut plus être modifiée."))
        return redirect("planning:board", org_id)
    messages.success(
        request,
        _("%(added)d élève(s) inscrit(s) à la session n° %(number)s, %(skipped)d déjà inscrit(s).")
        % {"added": result.added, "number": session.pk, "skipped": result.already_enrolled},
    )
    return redirect("planning:board", org_id)


@org_admin_view
def planner(request: OrgRequest, org_id: int) -> HttpResponse:
    divisions = target_divisions(organization=request.organization) or organization_divisions(
        organization=request.organization
    )
    form = PlannerForm(request.POST or None, divisions=divisions)
    if request.method == "POST" and form.is_valid():
        plan = services.session_plan_propose(
            organization=request.organization,
            address=form.cleaned_data["address"],
            divisions=form.cleaned_data["divisions"],
            slots=form.slots(),
            rooms=form.cleaned_data["rooms"],
            created_by=request.user,
        )
        return redirect("planning:plan_detail", org_id, plan.pk)
    return _page(request, "planning/planner.html", {"form": form})


@org_admin_view
def plan_import(request: OrgRequest, org_id: int) -> HttpResponse:
    form = PlanFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = session_plan_import(
                organization=request.organization,
                data=form.cleaned_data["file"],
                created_by=request.user,
            )
        except PlanFileRejected as rejected:
            return _page(
                request, "planning/plan_import.html", {"form": form, "errors": rejected.errors}
            )
        return redirect("planning:plan_detail", org_id, plan.pk)
    return _page(request, "planning/plan_import.html", {"form": form})


@org_admin_view
def plan_detail(request: OrgRequest, org_id: int, plan_id: int) -> HttpResponse:
    plan = session_plan_get(organization=request.organization, plan_id=plan_id)
    return _page(request, "planning/plan_detail.html", {"view": services.plan_view(plan=plan)})


ADJUSTMENTS = {"deplacer": MoveStudentsForm, "salle": ChangeRoomForm, "temps-majore": ExtraTimeForm}


@org_admin_view
@require_POST
def plan_adjust(request: OrgRequest, org_id: int, plan_id: int) -> HttpResponse:
    plan = session_plan_get(organization=request.organization, plan_id=plan_id)
    form_class = ADJUSTMENTS.get(request.POST.get("action", ""))
    if form_class is None:
        raise Http404
    form = form_class(request.POST, plan_view=services.plan_view(plan=plan))
    if not form.is_valid():
        messages.error(request, _("Ajustement impossible : vérifiez votre choix."))
        return redirect("planning:plan_detail", org_id, plan.pk)
    data = form.cleaned_data
    try:
        if form_class is MoveStudentsForm:
            services.session_plan_move_students(
                plan=plan, student_ids=data["student_ids"], target=data["target"]
            )
        elif form_class is ChangeRoomForm:
            services.session_plan_change_room(plan=plan, source=data["source"], room=data["room"])
        else:
            services.session_plan_set_extra_time(
                plan=plan, student_id=data["student_id"], percentage=data["percentage"] or 0
            )
    except services.PlanAlreadyAppliedError:
        messages.error(request, _("Les sessions de ce plan sont déjà créées."))
    else:
        messages.success(request, _("Le plan est modifié."))
    return redirect("planning:plan_detail", org_id, plan.pk)


@org_admin_view
@require_POST
def plan_apply(request: OrgRequest, org_id: int, plan_id: int) -> HttpResponse:
    plan = session_plan_get(organization=request.organization, plan_id=plan_id)
    try:
        sessions = services.session_plan_apply(plan=plan)
    except services.PlanAlreadyAppliedError:
        messages.error(request, _("Les sessions de ce plan sont déjà créées."))
    except services.PlanConflictsError as error:
        messages.error(
            request,
            _("Aucune session n'est créée : %(conflicts)s")
            % {"conflicts": " ".join(c.message for c in error.conflicts)},
        )
    else:
        count = sum(s.candidates.count() for s in sessions)
        messages.success(
            request,
            _("%(sessions)d sessions créées, %(candidates)d élèves inscrits.")
            % {"sessions": len(sessions), "candidates": count},
        )
    return redirect("planning:plan_detail", org_id, plan.pk)


@org_member_view
def day_pack(request: OrgRequest, org_id: int) -> HttpResponse:
    form = DayPackForm(request.POST or None, days=session_days(organization=request.organization))
    if request.method == "POST" and form.is_valid():
        job = pack_jobs.day_pack_job_start(
            organization=request.organization, day=form.cleaned_data["day"], started_by=request.user
        )
        return redirect("planning:day_pack_job", org_id, job.pk)
    return _page(request, "planning/day_pack.html", {"form": form})


def _pack_job(request: OrgRequest, pack_job_id: int) -> DayPackJob:
    return day_pack_job_get(organization=request.organization, job_id=pack_job_id)


@org_member_view
def day_pack_job(request: OrgRequest, org_id: int, pack_job_id: int) -> HttpResponse:
    """The preparation's page; htmx polls the same address for the progress part alone."""
    return job_page(
        request,
        job=_pack_job(request, pack_job_id),
        template="planning/day_pack_job.html",
        result_template="planning/_day_pack_result.html",
        label=_("Préparation de la pochette en cours…"),
        done_message=_("La pochette est prête."),
        context={"nav_section": "sessions"},
    )


@org_member_view
def day_pack_download(
    request: OrgRequest, org_id: int, pack_job_id: int, fmt: str
) -> HttpResponseBase:
    job = _pack_job(request, pack_job_id)
    if fmt not in ("pdf", "zip"):
        raise Http404
    file = job.pdf_file if fmt == "pdf" else job.zip_file
    if job.status != job.Status.DONE or file is None or file.is_expired:
        messages.error(request, _("Cette pochette n'est plus disponible : préparez-la à nouveau."))
        return redirect("planning:day_pack", org_id)
    return private_file_response(private_file=file)
