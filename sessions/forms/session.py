"""Creating and editing a session."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from dsfr.forms import DsfrBaseForm

from certification.calendar import session_date_refusal

from ..selectors import session_has_room_conflict, session_start_is_past


class SessionForm(DsfrBaseForm):
    address = forms.CharField(label=gettext_lazy("Nom du site"), max_length=255)
    room = forms.CharField(label=gettext_lazy("Nom de la salle"), max_length=255)
    date = forms.DateField(
        label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    time = forms.TimeField(
        label=gettext_lazy("Heure de début (heure locale)"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    examiner = forms.CharField(
        label=gettext_lazy("Surveillant(s)"),
        max_length=255,
        help_text=gettext_lazy(
            "Nom et prénom ; séparez les noms de plusieurs surveillants par des virgules."
        ),
    )
    description = forms.CharField(
        label=gettext_lazy("Observations"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, organization, session=None, **kwargs):
        self.organization = organization
        self.session = session
        if session is not None:
            kwargs.setdefault(
                "initial",
                {
                    name: getattr(session, name)
                    for name in ("address", "room", "date", "time", "examiner", "description")
                },
            )
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        date, time = data.get("date"), data.get("time")
        if date is None or time is None:
            return data
        # A new session is planned ahead; an existing one may be corrected to the day it really
        # took place, or it could never be finalised.
        if self.session is None and session_start_is_past(
            organization=self.organization, date=date, time=time
        ):
            self.add_error(
                "date",
                _(
                    "La date et l'heure de début sont déjà passées (heure locale de "
                    "l'établissement, %(tz)s)."
                )
                % {"tz": self.organization.timezone},
            )
        refusal = session_date_refusal(organization=self.organization, day=date)
        if refusal:
            self.add_error("date", refusal)
        if data.get("address") and data.get("room"):
            conflict = session_has_room_conflict(
                organization=self.organization,
                address=data["address"],
                room=data["room"],
                date=date,
                time=time,
                exclude_id=self.session.pk if self.session else None,
            )
            if conflict:
                self.add_error(
                    "room",
                    _(
                        "Une autre session a déjà lieu dans cette salle de ce site, à la même "
                        "date et à la même heure."
                    ),
                )
        return data

    def clean_address(self):
        return self.cleaned_data["address"].strip()

    def clean_room(self):
        return self.cleaned_data["room"].strip()
