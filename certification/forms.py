import re

from django import forms
from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from accounts.models import User
from core.widgets import LongCheckboxesField

from .referential import max_reachable_level

CODE_PATTERN = re.compile(r"^[A-Z]{6}[0-9]{3}$")


class CampaignForm(DsfrBaseForm):
    name = forms.CharField(label=_("Nom de la campagne"), max_length=255)
    owner = forms.ModelChoiceField(
        label=_("Propriétaire"),
        queryset=User.objects.none(),
        help_text=_("Le membre de l'équipe qui suit cette campagne."),
    )
    divisions = LongCheckboxesField(
        label=_("Classes concernées"),
        required=False,
        help_text=_("Aucune classe cochée : la campagne est ouverte à toutes les classes."),
    )

    def __init__(self, *args, organization, divisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(
            memberships__organization=organization
        ).order_by("last_name", "first_name", "email")
        self.fields["divisions"].choices = [(division, division) for division in divisions]


class CampaignCodeForm(DsfrBaseForm):
    code = forms.CharField(
        label=_("Code de la campagne"),
        help_text=_("9 caractères : 6 lettres puis 3 chiffres, par exemple AQZFGF163."),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def clean_code(self):
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"]).upper()
        if not CODE_PATTERN.match(code):
            raise forms.ValidationError(
                _("Le code doit comporter 6 lettres puis 3 chiffres (par exemple AQZFGF163).")
            )
        return code


def _profiles_file_help() -> str:
    return _(
        "Séparateur « ; », une ligne par élève : l'INE puis le niveau (0 à %(top)d) de "
        "chacune des 16 compétences, de 1.1 à 5.2. Une ligne d'en-tête INE;1.1;…;5.2 est "
        "permise."
    ) % {"top": max_reachable_level()}


class ProfilesImportForm(DsfrBaseForm):
    # Lazy: the top level is a setting, and DsfrBaseForm binds its fields (help text
    # included) inside __init__, so a help text set afterwards would never be shown.
    file = forms.FileField(
        label=_("Fichier CSV des profils"),
        help_text=lazy(_profiles_file_help, str)(),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.MAX_UPLOAD_SIZE:
            raise forms.ValidationError(_("Le fichier dépasse la taille maximale de 20 Mo."))
        return upload
