from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from . import invitations, services
from .access import AuthenticatedRequest, OrgRequest, org_admin_view, org_member_view
from .forms import (
    EmailedPasswordSetForm,
    ForgottenPasswordForm,
    InvitationPasswordForm,
    LoginForm,
    MemberAddForm,
    MemberRoleForm,
    OneTimePasswordChangeForm,
    RegularPasswordChangeForm,
)
from .invitations import Invitation
from .logins import login_normalize
from .models import User
from .selectors import membership_get, organization_members


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = EmailedPasswordSetForm
    success_url = reverse_lazy("accounts:password_reset_complete")


class RateLimitedRequest(HttpRequest):
    limited: bool  # set by django_ratelimit's decorator


def _typed_login(group: str, request: HttpRequest) -> str:
    return login_normalize(request.POST.get("login"))


# Per login typed: nobody can flood one mailbox; a class behind one IP is not blocked.
@ratelimit(key=_typed_login, rate="5/h", method="POST", block=False)
def password_forgotten(request: RateLimitedRequest) -> HttpResponse:
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


@login_required
def password_change(request: AuthenticatedRequest) -> HttpResponse:
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


@org_member_view
def team(request: OrgRequest, org_id: int) -> HttpResponse:
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
def member_add(request: OrgRequest, org_id: int) -> HttpResponse:
    """Always an invitation, and always the same answer: nobody joins without consenting, and
    the page does not tell whether the address has an account."""
    form = MemberAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        invitations.member_invitation_send(
            organization=request.organization, invited_by=request.user, **form.cleaned_data
        )
        return render(
            request,
            "accounts/member_invited.html",
            {"email": form.cleaned_data["email"], "nav_section": "team"},
        )
    return render(request, "accounts/member_add.html", {"form": form, "nav_section": "team"})


@never_cache
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The invited person accepts: choosing a password if the address has no account yet."""
    invitation = invitations.member_invitation_read(token=token)
    if invitation is None:
        raise Http404
    account = invitation.account
    if account is None:
        form = InvitationPasswordForm(User(email=invitation.email), request.POST or None)
        if request.method == "POST" and form.is_valid():
            user = invitations.member_invitation_accept_with_new_account(
                invitation=invitation, password=form.cleaned_data["new_password1"]
            )
            login(request, user, backend="accounts.backends.IdentifiantOrEmailBackend")
            return _joined(request, invitation)
        return render(request, "accounts/invitation.html", {"invitation": invitation, "form": form})
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.user.pk != account.pk:
        return render(
            request,
            "accounts/invitation.html",
            {"invitation": invitation, "wrong_account": True},
            status=403,
        )
    if request.method == "POST":
        invitations.member_invitation_accept(invitation=invitation, user=request.user)
        return _joined(request, invitation)
    return render(request, "accounts/invitation.html", {"invitation": invitation})


def _joined(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    request.session["current_org_id"] = invitation.organization.pk
    messages.success(
        request,
        _("Vous faites maintenant partie de l'équipe de %(name)s.")
        % {"name": invitation.organization.name},
    )
    return redirect("home")


@org_admin_view
@require_POST
def member_role(request: OrgRequest, org_id: int, membership_id: int) -> HttpResponse:
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
def member_remove(request: OrgRequest, org_id: int, membership_id: int) -> HttpResponse:
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
def keep_alive(request: HttpRequest) -> HttpResponse:
    """Polled by the pages of long forms (finalisation): each request renews the one-hour login;
    once it has lapsed anyway, the page says so and keeps what was typed."""
    if request.user.is_authenticated:
        return HttpResponse(status=204)
    response = render(request, "accounts/_login_lapsed.html")
    response["HX-Retarget"] = "#connexion-perdue"
    response["HX-Reswap"] = "innerHTML"
    return response
