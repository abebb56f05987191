"""The Espace surveillant's forms."""

from django import forms
from django.utils.translation import gettext_lazy
from dsfr.forms import DsfrBaseForm


class AttendanceForm(forms.Form):
    is_present = forms.BooleanField(required=False)
    has_seen_end_test_screen = forms.BooleanField(required=False)


class InvigilatorLoginForm(DsfrBaseForm):
    session_number = forms.IntegerField(
        label=gettext_lazy("Numéro de session"),
        min_value=1,
        max_value=2**31 - 1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    password = forms.CharField(
        label=gettext_lazy("Mot de passe de la session"),
        max_length=20,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=gettext_lazy("6 caractères, indiqué dans le kit surveillant."),
    )

    def clean_password(self):
        return self.cleaned_data["password"].strip().lower()
