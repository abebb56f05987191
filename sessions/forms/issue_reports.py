"""Issue reports (signalements), by the invigilator or at finalisation."""

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from dsfr.forms import DsfrBaseForm

from ..models import (
    ISSUE_REPORT_CODE_CATEGORY,
    Candidate,
    IssueReportCategory,
    IssueReportCode,
)
from .candidates import CONDITIONAL_FIELD_TEMPLATE

# Codes whose description says what to correct or what happened: required.
CODES_NEEDING_DESCRIPTION = {"C1", "C2", "C6", "C7", "C8"}


def issue_code_choices() -> list[tuple[str | Promise, str | list[tuple[str, str]]]]:
    groups: dict[str, list[tuple[str, str]]] = {}
    for code in IssueReportCode:
        category = ISSUE_REPORT_CODE_CATEGORY[code]
        groups.setdefault(category, []).append((code.value, f"{code.value} — {code.label}"))
    return [("", _("Choisissez un code"))] + [
        (IssueReportCategory(category).label, choices) for category, choices in groups.items()
    ]


class IssueReportForm(DsfrBaseForm):
    code = forms.ChoiceField(label=gettext_lazy("Catégorie et code de l'incident"))
    question_number = forms.IntegerField(
        label=gettext_lazy("Numéro de la question"),
        required=False,
        min_value=1,
        max_value=100,
        help_text=gettext_lazy("Obligatoire pour les codes E (problème sur une question)."),
    )
    description = forms.CharField(
        label=gettext_lazy("Description"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Obligatoire pour C1, C2, C6, C7 et C8 (500 caractères au plus)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = issue_code_choices()
        for name in ("question_number", "description"):
            self.fields[name].template_name = CONDITIONAL_FIELD_TEMPLATE

    def clean(self):
        data = super().clean()
        code = data.get("code", "")
        if not code:
            return data
        if code.startswith("E") and not data.get("question_number"):
            self.add_error(
                "question_number",
                _("Indiquez le numéro de la question concernée (codes E)."),
            )
        if not code.startswith("E") and data.get("question_number"):
            self.add_error(
                "question_number",
                _("Le numéro de question ne concerne que les codes E : laissez-le vide."),
            )
        if code in CODES_NEEDING_DESCRIPTION and not data.get("description", "").strip():
            message = _("Décrivez l'incident (code %(code)s).") % {"code": code}
            self.add_error("description", message)
        return data


class CandidateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, candidate):
        division = f" ({candidate.division})" if candidate.division else ""
        return f"{candidate.last_name} {candidate.first_name}{division}"


class SessionIssueReportForm(IssueReportForm):
    """At finalisation: one form for the whole session, the candidate picked from a list."""

    candidate = CandidateChoiceField(
        label=gettext_lazy("Candidat"),
        queryset=Candidate.objects.none(),
        empty_label=gettext_lazy("Choisissez un candidat"),
    )
    field_order = ["candidate", "code", "question_number", "description"]

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidate"].queryset = session.candidates.order_by(
            "last_name", "first_name", "pk"
        )
        self.order_fields(self.field_order)


def issue_report_form(candidate: Candidate, data=None) -> IssueReportForm:
    """One form per candidate on the same page: its ids carry the candidate's id."""
    return IssueReportForm(data, auto_id=f"signalement-{candidate.pk}-%s")
