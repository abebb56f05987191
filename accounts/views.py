from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from certification.selectors import competence_profile_summary

from . import services
from .access import org_admin_view, org_member_view
from .forms import (
    EmailedPasswordSetForm,
    ForgottenPasswordForm,
    LoginForm,
    MemberAddForm,
    MemberRoleForm,
    OneTimePasswordChangeForm,
    RegularPasswordChangeForm,
)
from .selectors import membership_get, organization_members


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = EmailedPasswordSetForm
    success_url = reverse_lazy("accounts:password_reset_complete")


def _typed_login(group, request) -> str:
    return request.POST.get("login", "").strip().lower()


# Per login typed: nobody can flood one mailbox; a class behind one IP is not blocked.
@ratelimit(key=_typed_login, rate="5/h", method="POST", block=False)
def password_forgotten(request):
    """E-mail accounts get Django's reset link; students with an identifiant ask their teacher."""
    form = ForgottenPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        login = form.cleaned_data["login"]
        if "@" not in login:
            return render(
                request, "accounts/password_forgotten.html", {"form": form, "ask_teacher": True}
            )
        if not request.limited:
            services.password_reset_email_send(email=login)
        return redirect("accounts:password_reset_done")
    return render(request, "accounts/password_forgotten.html", {"form": form})


def home(request):
    """Staff land on their current school's students, students on their own page."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    memberships = request.user.memberships.order_by("organization__name")
    current = memberships.filter(organization_id=request.session.get("current_org_id")).first()
    current = current or memberships.first()
    if current is not None:
        return redirect("students:list", current.organization_id)
    if request.user.is_superuser:
        return redirect("results_public:jury_sessions")
    return redirect("accounts:student_home")


@login_required
def password_change(request):
    form_class = (
        OneTimePasswordChangeForm
        if request.user.must_change_password
        else RegularPasswordChangeForm
    )
    form = form_class(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_change_password(
            user=request.user, new_password=form.cleaned_data["new_password1"]
        )
        update_session_auth_hash(request, request.user)
        messages.success(request, _("Votre mot de passe a été modifié."))
        return redirect("home")
    return render(
        request,
        "accounts/password_change.html",
        {
            "form": form,
            "is_first_login": request.user.must_change_password,
        },
    )


@login_required
def student_home(request):
    learners = list(request.user.learners.select_related("organization").filter(is_disabled=False))
    # Dates in the student's school's time zone (a Tahiti student reads Tahiti times).
    with timezone.override(learners[0].organization.zoneinfo if learners else None):
        return render(
            request,
            "accounts/student_home.html",
            {"learners": learners, "profile": competence_profile_summary(user=request.user)},
        )


@org_member_view
def team(request, org_id):
    return render(
        request,
        "accounts/team.html",
        {
            "members": organization_members(organization=request.organization),
            "add_form": MemberAddForm(),
            "role_form_class": MemberRoleForm,
            "nav_section": "team",
        },
    )


@org_admin_view
def member_add(request, org_id):
    form = MemberAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        membership, password = services.member_add(
            organization=request.organization, added_by=request.user, **form.cleaned_data
        )
        return render(
            request,
            "accounts/member_added.html",
            {
                "member": membership,
                "one_time_password": password,
                "nav_section": "team",
            },
        )
    return render(request, "accounts/member_add.html", {"form": form, "nav_section": "team"})


@org_admin_view
@require_POST
def member_role(request, org_id, membership_id):
    membership = membership_get(organization=request.organization, membership_id=membership_id)
    form = MemberRoleForm(request.POST)
    if form.is_valid():
        try:
            services.member_change_role(
                membership=membership, role=form.cleaned_data["role"], changed_by=request.user
            )
            messages.success(
                request, _("Le rôle de %(name)s a été modifié.") % {"name": membership.user}
            )
        except services.LastAdminError:
            messages.error(request, _("L'établissement doit garder au moins un administrateur."))
    return redirect("team:list", org_id)


@org_admin_view
@require_POST
def member_remove(request, org_id, membership_id):
    membership = membership_get(organization=request.organization, membership_id=membership_id)
    try:
        services.member_remove(membership=membership, removed_by=request.user)
        messages.success(
            request, _("%(name)s a été retiré de l'équipe.") % {"name": membership.user}
        )
    except services.LastAdminError:
        messages.error(
            request, _("Impossible de retirer le dernier administrateur de l'établissement.")
        )
    return redirect("team:list", org_id)


@never_cache
def keep_alive(request):
    """Polled by the pages of long forms (finalisation): each request renews the one-hour login;
    once it has lapsed anyway, the page says so and keeps what was typed."""
    if request.user.is_authenticated:
        return HttpResponse(status=204)
    response = render(request, "accounts/_login_lapsed.html")
    response["HX-Retarget"] = "#connexion-perdue"
    response["HX-Reswap"] = "innerHTML"
    return response
