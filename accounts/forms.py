from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from . import services
from .logins import login_normalize
from .models import Membership


class LoginForm(DsfrBaseForm, AuthenticationForm):
    username = forms.CharField(
        label=_("Identifiant ou adresse e-mail"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    error_messages = {
        "invalid_login": _(
            "L'identifiant (ou l'adresse e-mail) ou le mot de passe est incorrect. "
            "Vérifiez-les et réessayez."
        ),
        "inactive": _("Ce compte est désactivé."),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)


class OneTimePasswordChangeForm(DsfrBaseForm, SetPasswordForm):
    """The first login with a one-time password: only the new password is asked."""


class InvitationPasswordForm(DsfrBaseForm, SetPasswordForm):
    """The password of an account created by accepting an invitation."""


class RegularPasswordChangeForm(DsfrBaseForm, PasswordChangeForm):
    pass


class ForgottenPasswordForm(DsfrBaseForm):
    login = forms.CharField(
        label=_("Identifiant ou adresse e-mail"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )

    def clean_login(self):
        return login_normalize(self.cleaned_data["login"])


class EmailedPasswordSetForm(DsfrBaseForm, SetPasswordForm):
    """The password chosen from an e-mailed link; it also ends a pending one-time password."""

    def save(self, commit=True):
        services.user_change_password(
            user=self.user, new_password=self.cleaned_data["new_password1"]
        )
        return self.user


class MemberAddForm(DsfrBaseForm):
    email = forms.EmailField(label=_("Adresse e-mail"))
    first_name = forms.CharField(label=_("Prénom"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nom"), max_length=150, required=False)
    role = forms.ChoiceField(
        label=_("Rôle"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class MemberRoleForm(DsfrBaseForm):
    role = forms.ChoiceField(label=_("Rôle"), choices=Membership.Role.choices)
