from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from .models import Student

PAGE_SIZES = [10, 25, 50, 100]
DEFAULT_PAGE_SIZE = 50

CONNECTION_CHOICES = [
    ("", _("Toutes")),
    ("identifiant", _("Identifiant")),
    ("email", _("Adresse e-mail")),
    ("mediacentre", _("Mediacentre")),
    ("aucune", _("Aucune (pas de compte)")),
]

SORT_CHOICES = [
    ("nom", _("Nom (A → Z)")),
    ("-nom", _("Nom (Z → A)")),
    ("classe", _("Classe (A → Z)")),
    ("-classe", _("Classe (Z → A)")),
    ("participations", _("Nombre de participations (croissant)")),
    ("-participations", _("Nombre de participations (décroissant)")),
]


class AnyClassField(forms.MultipleChoiceField):
    """Classes of the school: the page lists them, but a bookmarked URL may name a class that
    has since gone; it then simply matches nobody."""

    def valid_value(self, value):
        return True


class StudentFilterForm(DsfrBaseForm):
    """The Élèves page's filters, read from the URL (GET), so a filtered list can be shared."""

    recherche = forms.CharField(
        label=_("Rechercher par nom ou prénom"), required=False, max_length=100
    )
    classe = AnyClassField(label=_("Classes"), required=False, widget=forms.CheckboxSelectMultiple)
    connexion = forms.ChoiceField(
        label=_("Méthode de connexion"), choices=CONNECTION_CHOICES, required=False
    )
    certificabilite = forms.MultipleChoiceField(
        label=_("Certificabilité"),
        choices=Student.Certifiability.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    desactives = forms.BooleanField(
        label=_("Afficher aussi les élèves désactivés (absents du dernier import SIECLE)"),
        required=False,
    )
    tri = forms.ChoiceField(
        label=_("Trier par"), choices=SORT_CHOICES, required=False, initial="nom"
    )
    par_page = forms.TypedChoiceField(
        label=_("Élèves par page"),
        choices=[(size, size) for size in PAGE_SIZES],
        coerce=int,
        required=False,
        initial=DEFAULT_PAGE_SIZE,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certificabilite"].widget.inline = True

    def value(self, name, default=None):
        """The cleaned value of one filter; a malformed one is ignored rather than an error."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name) or default

    def options(self, name, choices=None) -> list[tuple[str, str, bool]]:
        """(value, label, ticked) of each choice of a multiple filter, for the template: the
        field's choices, or `choices`. The school's classes are passed so, not set on the field
        (any class is accepted): setting a hundred choices cost more than the rest of the form."""
        ticked = set(self.value(name, []))
        pairs = self.fields[name].choices if choices is None else choices
        return [(value, label, value in ticked) for value, label in pairs]
