"""Student accounts of one school: bulk password resets and the "Gérer le compte" page."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_POST

from accounts.access import OrgRequest, org_admin_view
from jobs.files import private_file_response
from jobs.views import job_page
from students.models import Student

from .models import PasswordResetJob
from .selectors import (
    password_reset_job_get,
    password_reset_plan,
    student_account_get,
    students_selected,
)
from .services import (
    PasswordReset,
    password_reset_file_take,
    password_reset_job_create,
    student_identifiant_add,
    students_reset_passwords,
)


def _nothing_selected(request: HttpRequest, org_id: int) -> HttpResponse:
    messages.error(request, _("Sélectionnez au moins un élève."))
    return redirect("students:list", org_id)


@org_admin_view
def reset_confirm(request: OrgRequest, org_id: int) -> HttpResponse:
    if request.method != "POST":
        return redirect("students:list", org_id)
    students = students_selected(organization=request.organization, data=request.POST)
    if not students:
        return _nothing_selected(request, org_id)
    return render(
        request,
        "student_accounts/reset_confirm.html",
        {
            "students": students,
            "plan": password_reset_plan(students=students),
            "select_all": request.POST.get("select_all") == "1",
            "query": request.POST.get("query", ""),
            "nav_section": "students",
        },
    )


@org_admin_view
@require_POST
def reset(request: OrgRequest, org_id: int) -> HttpResponse:
    students = students_selected(organization=request.organization, data=request.POST)
    if not students:
        return _nothing_selected(request, org_id)
    job = password_reset_job_create(
        organization=request.organization, students=students, requested_by=request.user
    )
    return redirect("student_accounts:job", org_id, job.pk)


@org_admin_view
def reset_job(request: OrgRequest, org_id: int, reset_job_id: int) -> HttpResponse:
    job = password_reset_job_get(
        organization=request.organization, job_id=reset_job_id, user=request.user
    )
    label = ngettext(
        "Réinitialisation en cours pour %(count)s élève…",
        "Réinitialisation en cours pour %(count)s élèves…",
        len(job.student_ids),
    ) % {"count": len(job.student_ids)}
    return job_page(
        request,
        job=job,
        template="student_accounts/job.html",
        result_template="student_accounts/_job_result.html",
        label=label,
        done_message=_("Mots de passe réinitialisés : le fichier CSV peut être téléchargé."),
        context={"nav_section": "students"},
    )


@org_admin_view
@require_POST
@sensitive_variables()
def reset_job_download(
    request: OrgRequest, org_id: int, reset_job_id: int, kind: str
) -> HttpResponseBase:
    job = password_reset_job_get(
        organization=request.organization, job_id=reset_job_id, user=request.user
    )
    if kind == "slips" and job.slips_status != PasswordResetJob.SlipsStatus.DONE:
        # Not "already downloaded": a new reset would void the CSV already handed out.
        if job.slips_pending:
            message = _("Les fiches à découper sont encore en préparation : patientez un instant.")
        else:
            message = _(
                "Les fiches à découper n'ont pas pu être préparées : le fichier CSV contient les "
                "mêmes identifiants et mots de passe."
            )
        messages.error(request, message)
        return redirect("student_accounts:job", org_id, job.pk)
    private_file = job.csv_file if kind == "csv" else job.slips_file
    content = (
        None
        if private_file is None  # not written yet, or already swept: nothing to take
        else password_reset_file_take(job=job, kind=kind, taken_by=request.user)
    )
    if private_file is None or content is None:
        messages.error(
            request,
            _(
                "Ce fichier n'est plus disponible : il a déjà été téléchargé ou le délai est "
                "dépassé. Pour obtenir de nouveaux mots de passe, refaites une réinitialisation."
            ),
        )
        return redirect("student_accounts:job", org_id, job.pk)
    return private_file_response(private_file=private_file, content=content)


def _account_page(
    request: HttpRequest, student: Student, reset: PasswordReset | None = None
) -> HttpResponse:
    response = render(
        request,
        "student_accounts/account.html",
        {
            "student": student,
            "line": reset.lines[0] if reset and reset.lines else None,
            "nav_section": "students",
        },
    )
    # The one-time password is on this page: no copy in any cache, a reload asks again.
    response["Cache-Control"] = "no-store"
    return response


@org_admin_view
def account(request: OrgRequest, org_id: int, student_id: int) -> HttpResponse:
    student = student_account_get(organization=request.organization, student_id=student_id)
    return _account_page(request, student)


@org_admin_view
@require_POST
@sensitive_variables()
def account_identifiant(request: OrgRequest, org_id: int, student_id: int) -> HttpResponse:
    student = student_account_get(organization=request.organization, student_id=student_id)
    reset = student_identifiant_add(student=student, added_by=request.user)
    if reset is None:
        # No reset: the student had an account, which now has an identifiant.
        assert student.user is not None
        messages.success(
            request,
            _(
                "Identifiant créé : %(identifiant)s. L'élève se connecte avec cet identifiant et "
                "son mot de passe habituel."
            )
            % {"identifiant": student.user.username},
        )
        return redirect("student_accounts:account", org_id, student.pk)
    return _account_page(request, student, reset)


@org_admin_view
@require_POST
@sensitive_variables()
def account_password(request: OrgRequest, org_id: int, student_id: int) -> HttpResponse:
    student = student_account_get(organization=request.organization, student_id=student_id)
    reset = students_reset_passwords(
        organization=request.organization, students=[student], reset_by=request.user
    )
    if not reset.lines:
        messages.error(
            request,
            _(
                "Cet élève se connecte par adresse e-mail ou Mediacentre : son mot de passe "
                "n'est pas géré par l'établissement. Ajoutez-lui d'abord un identifiant."
            ),
        )
        return redirect("student_accounts:account", org_id, student.pk)
    return _account_page(request, student, reset)
