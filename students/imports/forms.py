from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization


class StudentImportForm(forms.Form):
    """Rendered by hand in import_upload.html (DSFR upload markup)."""

    file = forms.FileField(label=_("Fichier"))

    def __init__(self, *args, organization: Organization, too_large: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_large = too_large
        field = self.fields["file"]
        cap = settings.MAX_UPLOAD_SIZE // (1024 * 1024)
        if organization.is_agricultural:
            field.label = _("Fichier CSV des élèves")
            field.help_text = _(
                "Le fichier CSV du modèle agricole (séparateur « ; »), %(cap)s Mo maximum."
            ) % {"cap": cap}
            field.widget.attrs["accept"] = ".csv,text/csv"
        else:
            field.label = _("Export SIECLE des élèves")
            field.help_text = _(
                "Le fichier « ElevesSansAdresses » exporté de SIECLE, au format .xml ou .zip, "
                "%(cap)s Mo maximum."
            ) % {"cap": cap}
            field.widget.attrs["accept"] = ".xml,.zip"

    def clean(self):
        if self.too_large:
            # The upload was cut at the cap: say so rather than "this field is required".
            self.errors.pop("file", None)
            self.add_error("file", self._too_large_message())
        return super().clean()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.MAX_UPLOAD_SIZE:
            raise forms.ValidationError(self._too_large_message())
        if upload.size == 0:
            raise forms.ValidationError(_("Le fichier est vide."))
        return upload

    def _too_large_message(self) -> str:
        return _(
            "Le fichier dépasse la taille maximale de %(cap)s Mo : un export SIECLE compressé "
            "(.zip) est bien plus petit."
        ) % {"cap": settings.MAX_UPLOAD_SIZE // (1024 * 1024)}
