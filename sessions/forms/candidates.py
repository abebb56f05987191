"""Enrolling students and external candidates, and what stays editable of them."""

import re
from collections import Counter
from typing import cast

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from dsfr.forms import DsfrBaseForm

from students.models import Student

INSEE_CODE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
POSTAL_CODE = re.compile(r"^\d{5}$")
CONDITIONAL_FIELD_TEMPLATE = "sessions/forms/conditional_field.html"


class EnrollStudentsForm(forms.Form):
    """Rendered by hand as a table of check boxes (see candidates_add_students.html)."""

    students = forms.ModelMultipleChoiceField(
        queryset=Student.objects.none(),
        error_messages={"required": gettext_lazy("Cochez au moins un élève.")},
    )
    confirm_non_certifiable = forms.BooleanField(required=False)

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        students_field = cast(forms.ModelMultipleChoiceField, self.fields["students"])
        students_field.queryset = Student.objects.filter(
            organization=organization, is_disabled=False
        )
        self.non_certifiable = []

    def clean(self):
        super().clean()
        data = self.cleaned_data
        self.non_certifiable = [
            student
            for student in data.get("students", [])
            if student.certifiability != Student.Certifiability.CERTIFIABLE
        ]
        if self.non_certifiable and not data.get("confirm_non_certifiable"):
            count = len(self.non_certifiable)
            raise forms.ValidationError(
                ngettext(
                    "Parmi les élèves cochés, %(count)d n'est pas certifiable (ou sa "
                    "certificabilité n'est pas communiquée) : confirmez son inscription "
                    "ou décochez-le.",
                    "Parmi les élèves cochés, %(count)d ne sont pas certifiables (ou leur "
                    "certificabilité n'est pas communiquée) : confirmez leur inscription "
                    "ou décochez-les.",
                    count,
                )
                % {"count": count},
                code="non_certifiable",
            )
        return data

    @property
    def needs_confirmation(self) -> bool:
        return self.has_error(NON_FIELD_ERRORS, "non_certifiable")

    def non_certifiable_counts(self) -> list[tuple[str, int]]:
        """ "42 Non communiqué" rather than a list of 42 names: the table shows each status."""
        counts = Counter(student.certifiability_label for student in self.non_certifiable)
        return sorted(counts.items())


def _extra_time_field():
    return forms.IntegerField(
        label=gettext_lazy("Temps majoré (%)"),
        required=False,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=gettext_lazy("Par exemple 33 ; laissez vide s'il n'y en a pas."),
    )


def _recipient_field():
    return forms.EmailField(
        label=gettext_lazy("E-mail du destinataire des résultats"),
        required=False,
        help_text=gettext_lazy("Par exemple celui de l'établissement."),
    )


class CandidateUpdateForm(DsfrBaseForm):
    extra_time_percentage = _extra_time_field()
    result_recipient_email = _recipient_field()


class CandidateForm(DsfrBaseForm):
    """An external candidate, typed in by hand. The birth place is an INSEE code, or a postal
    code with its city, or a foreign country (§6)."""

    class BirthPlace:
        INSEE = "insee"
        POSTAL = "postal"
        ABROAD = "abroad"

    last_name = forms.CharField(label=gettext_lazy("Nom de naissance"), max_length=150)
    first_name = forms.CharField(label=gettext_lazy("Prénom"), max_length=150)
    birthdate = forms.DateField(
        label=gettext_lazy("Date de naissance"), widget=forms.DateInput(attrs={"type": "date"})
    )
    sex = forms.ChoiceField(
        label=gettext_lazy("Sexe"),
        choices=[("F", gettext_lazy("Féminin")), ("M", gettext_lazy("Masculin"))],
        widget=forms.RadioSelect,
    )
    birth_place = forms.ChoiceField(
        label=gettext_lazy("Lieu de naissance"),
        choices=[
            (BirthPlace.INSEE, gettext_lazy("En France : code INSEE de la commune")),
            (BirthPlace.POSTAL, gettext_lazy("En France : code postal et commune")),
            (BirthPlace.ABROAD, gettext_lazy("À l'étranger : pays")),
        ],
        widget=forms.RadioSelect,
        initial=BirthPlace.INSEE,
    )
    birth_insee_code = forms.CharField(
        label=gettext_lazy("Code INSEE de la commune de naissance"),
        max_length=5,
        required=False,
        help_text=gettext_lazy("Né(e) en France : 5 caractères, par exemple 75114 ou 2A004."),
    )
    birth_postal_code = forms.CharField(
        label=gettext_lazy("Code postal de naissance"),
        max_length=5,
        required=False,
        help_text=gettext_lazy("Né(e) en France, sans code INSEE : avec la commune."),
    )
    birth_city = forms.CharField(
        label=gettext_lazy("Commune de naissance"),
        max_length=150,
        required=False,
        help_text=gettext_lazy("Avec le code postal ; facultative pour l'étranger."),
    )
    birth_country = forms.CharField(
        label=gettext_lazy("Pays de naissance"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("Né(e) à l'étranger."),
    )
    external_id = forms.CharField(
        label=gettext_lazy("Identifiant externe"), max_length=100, required=False
    )
    extra_time_percentage = _extra_time_field()
    result_recipient_email = _recipient_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("birth_insee_code", "birth_postal_code", "birth_city", "birth_country"):
            self.fields[name].template_name = CONDITIONAL_FIELD_TEMPLATE

    def clean(self):
        data = super().clean()
        kind = data.get("birth_place")
        insee = data.get("birth_insee_code", "").strip().upper()
        postal = data.get("birth_postal_code", "").strip()
        city = " ".join(data.get("birth_city", "").split()).upper()
        country = " ".join(data.get("birth_country", "").split()).upper()
        if kind == self.BirthPlace.INSEE:
            if not INSEE_CODE.match(insee):
                self.add_error(
                    "birth_insee_code",
                    _("Indiquez le code INSEE de la commune : 5 caractères (ex. 75114, 2A004)."),
                )
            postal, city, country = "", "", "FRANCE"
        elif kind == self.BirthPlace.POSTAL:
            if not POSTAL_CODE.match(postal):
                self.add_error(
                    "birth_postal_code", _("Indiquez le code postal : 5 chiffres (ex. 75014).")
                )
            if not city:
                self.add_error("birth_city", _("Indiquez la commune de naissance."))
            insee, country = "", "FRANCE"
        elif kind == self.BirthPlace.ABROAD:
            if not country or country == "FRANCE":
                self.add_error(
                    "birth_country",
                    _("Indiquez le pays de naissance (pour la France, choisissez une commune)."),
                )
            insee, postal = "", ""
        data.update(
            birth_insee_code=insee, birth_postal_code=postal, birth_city=city, birth_country=country
        )
        return data

    def candidate_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "last_name": " ".join(data["last_name"].split()).upper(),
            "first_name": " ".join(data["first_name"].split()),
            **{
                name: data[name]
                for name in (
                    "birthdate",
                    "sex",
                    "birth_insee_code",
                    "birth_postal_code",
                    "birth_city",
                    "birth_country",
                    "external_id",
                    "extra_time_percentage",
                    "result_recipient_email",
                )
            },
        }
