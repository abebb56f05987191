"""The finalisation form: once per session, checked line by line."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from dsfr.forms import DsfrBaseForm

from ..models import FINALIZATION_COMMENT_MAX_LENGTH, Candidate
from ..services import CandidateFinalization, candidate_finalization_error

# The scan's type is decided by its first bytes, never by its name.
SIGNED_PV_SIGNATURES = [
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
]


class FinalizationForm(DsfrBaseForm):
    """Once per session. Per candidate: present, end screen seen, abort reason (fields named
    `<what>_<candidate id>`, laid out as a table by the template)."""

    has_incident = forms.BooleanField(
        label=gettext_lazy(
            "Malgré un incident survenu pendant la session, les candidats ont pu terminer leur "
            "test de certification. Un temps supplémentaire a été accordé à un ou plusieurs "
            "candidats."
        ),
        required=False,
    )
    has_joining_issue = forms.BooleanField(
        label=gettext_lazy(
            "Un ou plusieurs candidats étaient présents en session de certification mais n'ont "
            "pas pu rejoindre la session."
        ),
        required=False,
    )
    comment = forms.CharField(
        label=gettext_lazy("Commentaire global de la session"),
        required=False,
        max_length=FINALIZATION_COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("500 caractères au plus."),
    )
    signed_pv = forms.FileField(
        label=gettext_lazy("PV de session signé (scan)"),
        help_text=gettext_lazy("PDF, JPEG ou PNG, 10 Mo au plus."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, candidates: list[Candidate], **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        reasons = [("", _("— Test terminé ou absent —")), *Candidate.AbortReason.choices]
        for candidate in candidates:
            name = f"{candidate.first_name} {candidate.last_name}"
            self.fields[f"present_{candidate.pk}"] = forms.BooleanField(
                label=_("Présent : %(name)s") % {"name": name},
                required=False,
                initial=candidate.is_present,
            )
            self.fields[f"end_screen_{candidate.pk}"] = forms.BooleanField(
                label=_("Écran de fin du test vu : %(name)s") % {"name": name},
                required=False,
                initial=candidate.has_seen_end_test_screen,
            )
            self.fields[f"abort_reason_{candidate.pk}"] = forms.ChoiceField(
                label=_("Raison de l'abandon : %(name)s") % {"name": name},
                choices=reasons,
                required=False,
                initial=candidate.abort_reason,
            )

    def candidate_rows(self):
        for candidate in self.candidates:
            yield {
                "candidate": candidate,
                "present": self[f"present_{candidate.pk}"],
                "end_screen": self[f"end_screen_{candidate.pk}"],
                "abort_reason": self[f"abort_reason_{candidate.pk}"],
            }

    def clean_signed_pv(self):
        upload = self.cleaned_data["signed_pv"]
        if upload.size > settings.SESSION_SIGNED_PV_MAX_SIZE:
            raise forms.ValidationError(
                _("Le fichier pèse %(size)s : 10 Mo au plus.")
                % {"size": filesizeformat(upload.size)}
            )
        upload.seek(0)
        head = upload.read(8)
        upload.seek(0)
        for magic, content_type, extension in SIGNED_PV_SIGNATURES:
            if head.startswith(magic):
                self.signed_pv_type = (content_type, extension)
                return upload
        raise forms.ValidationError(
            _("Ce fichier n'est ni un PDF, ni une image JPEG ou PNG. Déposez le scan du PV signé.")
        )

    def clean(self):
        data = super().clean()
        for candidate in self.candidates:
            error = candidate_finalization_error(
                is_present=data.get(f"present_{candidate.pk}", False),
                has_seen_end_test_screen=data.get(f"end_screen_{candidate.pk}", False),
                abort_reason=data.get(f"abort_reason_{candidate.pk}", ""),
            )
            if error:
                self.add_error(
                    f"abort_reason_{candidate.pk}",
                    f"{candidate.first_name} {candidate.last_name} : {error}",
                )
        return data

    def candidate_lines(self) -> dict[int, CandidateFinalization]:
        data = self.cleaned_data
        return {
            candidate.pk: CandidateFinalization(
                is_present=data[f"present_{candidate.pk}"],
                has_seen_end_test_screen=data[f"end_screen_{candidate.pk}"],
                abort_reason=data[f"abort_reason_{candidate.pk}"],
            )
            for candidate in self.candidates
        }
