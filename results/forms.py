import re

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from .models import VERIFICATION_CODE_ALPHABET, VERIFICATION_CODE_LENGTH

CODE_PATTERN = re.compile(rf"^P-[{VERIFICATION_CODE_ALPHABET}]{{{VERIFICATION_CODE_LENGTH}}}$")


class ResultsFilterForm(DsfrBaseForm):
    """Which results to show: a class, a session, or the whole school."""

    classe = forms.ChoiceField(label=_("Classe"), required=False)
    session = forms.TypedChoiceField(label=_("Session"), required=False, coerce=int)

    def __init__(self, *args, divisions, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["classe"].choices = [("", _("Toutes les classes"))] + [
            (d, d) for d in divisions
        ]
        self.fields["session"].choices = [("", _("Toutes les sessions"))] + [
            (s.pk, _("Session n° %(id)s du %(date)s") % {"id": s.pk, "date": f"{s.date:%d/%m/%Y}"})
            for s in sessions
        ]
        self.sessions = {s.pk: s for s in sessions}

    def selection(self) -> tuple[str, object]:
        """(division, session) chosen; invalid choices select nothing."""
        if not self.is_valid():
            return "", None
        session_id = self.cleaned_data.get("session")
        return self.cleaned_data["classe"], self.sessions.get(session_id)


class BilanFilterForm(DsfrBaseForm):
    annee = forms.TypedChoiceField(label=_("Année scolaire"), coerce=int)
    classe = forms.ChoiceField(label=_("Classe"), required=False)

    def __init__(self, *args, years, divisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["annee"].choices = [(y, f"{y}-{y + 1}") for y in years]
        self.fields["classe"].choices = [("", _("Tout l'établissement"))] + [
            (d, d) for d in divisions
        ]


class VerificationForm(DsfrBaseForm):
    code = forms.CharField(
        label=_("Code de vérification"),
        help_text=_("Il figure sur l'attestation, au format P-XXXXXXXX."),
        max_length=20,
    )

    def clean_code(self):
        code = re.sub(r"\s+", "", self.cleaned_data["code"]).upper()
        if not code.startswith("P-"):
            code = "P-" + code
        if not CODE_PATTERN.match(code):
            raise forms.ValidationError(
                _("Le code de vérification comporte « P- » suivi de 8 caractères.")
            )
        return code


class ResultsUploadForm(DsfrBaseForm):
    file = forms.FileField(
        label=_("Fichier des résultats (CSV)"),
        help_text=_(
            "Une ligne par question : Numéro de candidat;Compétence;Niveau du profil;"
            "Pix du profil;Épreuve;Résultat"
        ),
    )


class PublicationForm(DsfrBaseForm):
    """One optional jury comment per result of the session."""

    def __init__(self, *args, results, **kwargs):
        super().__init__(*args, **kwargs)
        self.results = list(results)
        for result in self.results:
            self.fields[f"comment_{result.pk}"] = forms.CharField(
                label=_("Commentaire jury pour %(name)s")
                % {"name": f"{result.candidate.last_name} {result.candidate.first_name}"},
                required=False,
                max_length=500,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=result.jury_comment,
            )

    def rows(self):
        return [(result, self[f"comment_{result.pk}"]) for result in self.results]

    def jury_comments(self) -> dict[int, str]:
        return {r.pk: self.cleaned_data.get(f"comment_{r.pk}", "") for r in self.results}
