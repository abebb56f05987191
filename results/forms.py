import functools
import re
from collections.abc import Callable

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from accounts.models import Organization
from core.widgets import LongSelect
from sessions.models import Session

from .models import VERIFICATION_CODE_ALPHABET, VERIFICATION_CODE_LENGTH, IssueReportDecision
from .neutralisation import jury_kinds

CODE_PATTERN = re.compile(rf"^P-[{VERIFICATION_CODE_ALPHABET}]{{{VERIFICATION_CODE_LENGTH}}}$")


class ResultsFilterForm(DsfrBaseForm):
    """Which results to show: a class, a session, or the whole school."""

    classe = forms.ChoiceField(label=_("Classe"), required=False, widget=LongSelect)
    session = forms.TypedChoiceField(
        label=_("Session"), required=False, coerce=int, widget=LongSelect
    )

    def __init__(self, *args, divisions: Callable[[], list[str]], sessions, **kwargs):
        """`divisions` is called only when the classes are needed: to show the list, or to
        check a class asked for (an export of the whole school never reads them)."""
        super().__init__(*args, **kwargs)
        divisions = functools.cache(divisions)  # rendering the list reads its choices twice
        self.fields["classe"].choices = lambda: (
            [("", _("Toutes les classes"))] + [(d, d) for d in divisions()]
        )
        self.fields["session"].choices = [("", _("Toutes les sessions"))] + [
            (s.pk, _("Session n° %(id)s du %(date)s") % {"id": s.pk, "date": f"{s.date:%d/%m/%Y}"})
            for s in sessions
        ]
        self.sessions: dict[int, Session] = {s.pk: s for s in sessions}

    def selection(self) -> tuple[str, Session | None]:
        """(division, session) chosen; invalid choices select nothing."""
        if not self.is_valid():
            return "", None
        session_id = self.cleaned_data.get("session")
        return self.cleaned_data["classe"], self.sessions.get(session_id)


class BilanFilterForm(DsfrBaseForm):
    annee = forms.TypedChoiceField(label=_("Année scolaire"), coerce=int)
    classe = forms.ChoiceField(label=_("Classe"), required=False, widget=LongSelect)

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


class JuryCommentsForm(DsfrBaseForm):
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


Kind = IssueReportDecision.Kind
DECISION_LABELS = {
    Kind.NEUTRALIZED: _("Neutraliser la question"),
    Kind.REFUSED: _("Ne pas neutraliser la question"),
    Kind.CANCELLED: _("Annuler la certification"),
    Kind.TREATED: _("Traité, sans effet sur le résultat"),
}


class IssueReportDecisionForm(DsfrBaseForm):
    """The jury's decision on one signalement, with its reason (prefixed by the report's id)."""

    decision = forms.ChoiceField(label=_("Décision du jury"), widget=forms.RadioSelect)
    motif = forms.CharField(
        label=_("Motif"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Il figure dans le journal ; pour une annulation, l'établissement le lit."),
    )

    def __init__(self, *args, issue_report, **kwargs):
        super().__init__(*args, prefix=f"signalement-{issue_report.pk}", **kwargs)
        self.issue_report = issue_report
        self.fields["decision"].choices = [
            (kind.value, DECISION_LABELS[kind]) for kind in jury_kinds(issue_report.code)
        ]


class IntegrationTokenForm(DsfrBaseForm):
    uai = forms.CharField(label=_("UAI de l'établissement"), max_length=8, help_text="0750001A")
    name = forms.CharField(
        label=_("Nom du jeton"), max_length=100, help_text=_("Ex. : Plateforme de test 2026")
    )

    def clean_uai(self):
        uai = self.cleaned_data["uai"].strip().upper()
        self.organization = Organization.objects.filter(uai=uai).first()
        if self.organization is None:
            raise forms.ValidationError(_("Aucun établissement n'a cet UAI."))
        return uai
