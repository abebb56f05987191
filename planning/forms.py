"""Forms of the campaign pages: the planner's parameters, the adjustments, the plan file,
enrolling from the board and the day pack."""

import datetime
import re
from typing import cast

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from dsfr.forms import DsfrBaseForm

from core.widgets import LongCheckboxesField
from sessions.models import Session, examiner_names
from students.models import Student

from .plan_import import clock_parse, day_parse
from .planner import Room, Slot

PLAN_FILE_MAX_SIZE = 2 * 1024 * 1024


def _lines(text: str) -> list[tuple[int, str]]:
    return [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1) if line.strip()]


class PlannerForm(DsfrBaseForm):
    address = forms.CharField(label=gettext_lazy("Nom du site"), max_length=255)
    divisions = LongCheckboxesField(
        label=gettext_lazy("Classes"),
        error_messages={"required": gettext_lazy("Choisissez au moins une classe.")},
    )
    days = forms.CharField(
        label=gettext_lazy("Jours"),
        help_text=gettext_lazy("Un jour par ligne, au format JJ/MM/AAAA."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    times = forms.CharField(
        label=gettext_lazy("Heures de début des créneaux"),
        help_text=gettext_lazy(
            "Séparées par des virgules, par exemple 08:00, 10:15, 13:30. Un créneau dure 2 h "
            "(1 h 45 d'épreuve et l'installation)."
        ),
    )
    rooms = forms.CharField(
        label=gettext_lazy("Salles"),
        help_text=gettext_lazy("Une salle par ligne : nom ; nombre de places."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    invigilators = forms.CharField(
        label=gettext_lazy("Surveillants disponibles"),
        help_text=gettext_lazy(
            "Une ligne par créneau : JJ/MM/AAAA HH:MM ; noms séparés par des virgules. Une "
            "ligne « HH:MM ; noms » vaut pour tous les jours."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, divisions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["divisions"].choices = [(d, d) for d in divisions]
        self.fields["divisions"].initial = divisions

    def clean_days(self):
        days, errors = [], []
        for number, line in _lines(self.cleaned_data["days"]):
            day = day_parse(line)
            if day is None:
                errors.append(
                    _("Ligne %(n)d : « %(v)s » n'est pas une date JJ/MM/AAAA.")
                    % {"n": number, "v": line}
                )
            elif day not in days:
                days.append(day)
        if errors:
            raise forms.ValidationError(errors)
        return sorted(days)

    def clean_times(self):
        times = []
        for value in re.split(r"[,;\s]+", self.cleaned_data["times"].strip()):
            parsed = clock_parse(value)
            if parsed is None:
                raise forms.ValidationError(
                    _("« %(v)s » n'est pas une heure HH:MM.") % {"v": value}
                )
            if parsed not in times:
                times.append(parsed)
        return sorted(times)

    def clean_rooms(self):
        rooms: list[Room] = []
        errors: list[str] = []
        for number, line in _lines(self.cleaned_data["rooms"]):
            name, _sep, seats = (part.strip() for part in line.rpartition(";"))
            if not name or not seats.isdigit() or int(seats) < 1:
                errors.append(
                    _("Ligne %(n)d : écrivez « nom de la salle ; nombre de places ».")
                    % {"n": number}
                )
            elif name in {room.name for room in rooms}:
                errors.append(
                    _("Ligne %(n)d : la salle « %(v)s » est déjà listée.")
                    % {"n": number, "v": name}
                )
            else:
                rooms.append(Room(name, int(seats)))
        if errors:
            raise forms.ValidationError(errors)
        return rooms

    def clean_invigilators(self):
        lines, errors = [], []
        for number, line in _lines(self.cleaned_data["invigilators"]):
            when, _sep, written = line.partition(";")
            parts = when.split()
            day = day_parse(parts[0]) if len(parts) == 2 else None
            time = clock_parse(parts[-1]) if parts else None
            names = [n.strip() for n in examiner_names(written)]
            if time is None or (len(parts) == 2 and day is None) or len(parts) > 2 or not names:
                errors.append(
                    _("Ligne %(n)d : écrivez « JJ/MM/AAAA HH:MM ; noms » ou « HH:MM ; noms ».")
                    % {"n": number}
                )
            else:
                lines.append((day, time, names))
        if errors:
            raise forms.ValidationError(errors)
        return lines

    def slots(self) -> list[Slot]:
        data = self.cleaned_data
        slots = []
        for day in data["days"]:
            for time in data["times"]:
                names = []
                for line_day, line_time, line_names in data["invigilators"]:
                    if line_time == time and line_day in (None, day):
                        names += [n for n in line_names if n not in names]
                slots.append(Slot(day, time, tuple(names)))
        return slots


class MoveStudentsForm(forms.Form):
    """Move one student, or a whole class out of one session, to another slot and room."""

    student_ids = forms.TypedMultipleChoiceField(coerce=int)
    target = forms.ChoiceField(label=gettext_lazy("Vers"))

    def __init__(self, *args, plan_view, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["student_ids"]).choices = [
            (p.id, p.id) for p in plan_view.pupils
        ]
        cast(forms.ChoiceField, self.fields["target"]).choices = plan_view.targets()


class ChangeRoomForm(forms.Form):
    source = forms.ChoiceField()
    room = forms.ChoiceField(label=gettext_lazy("Salle"))

    def __init__(self, *args, plan_view, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["source"]).choices = plan_view.targets()
        cast(forms.ChoiceField, self.fields["room"]).choices = [
            (r.name, r.name) for r in plan_view.rooms
        ]


class ExtraTimeForm(forms.Form):
    student_id = forms.TypedChoiceField(coerce=int)
    percentage = forms.IntegerField(
        label=gettext_lazy("Temps majoré (%)"), min_value=0, max_value=100, required=False
    )

    def __init__(self, *args, plan_view, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["student_id"]).choices = [
            (p.id, p.id) for p in plan_view.pupils
        ]


class PlanFileForm(DsfrBaseForm):
    file = forms.FileField(
        label=gettext_lazy("Fichier du plan (CSV ou XLSX)"),
        help_text=gettext_lazy(
            "Colonnes : Classe ; Jour (JJ/MM/AAAA) ; Heure (HH:MM) ; Salle ; Surveillants ; "
            "Places (facultatif). Une ligne par classe et par session."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > PLAN_FILE_MAX_SIZE:
            raise forms.ValidationError(_("Le fichier dépasse 2 Mo."))
        return upload.read()


class BoardEnrolForm(forms.Form):
    student_ids = forms.ModelMultipleChoiceField(
        queryset=Student.objects.none(),
        error_messages={"required": gettext_lazy("Sélectionnez au moins un élève.")},
    )
    session = forms.ModelChoiceField(
        label=gettext_lazy("Session"),
        queryset=Session.objects.none(),
        error_messages={"required": gettext_lazy("Choisissez une session.")},
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["student_ids"]).queryset = Student.objects.filter(
            organization=organization, is_disabled=False
        )
        cast(forms.ModelChoiceField, self.fields["session"]).queryset = Session.objects.filter(
            organization=organization, status=Session.Status.CREATED
        )


class DayPackForm(DsfrBaseForm):
    day = forms.TypedChoiceField(label=gettext_lazy("Jour"), coerce=datetime.date.fromisoformat)

    def __init__(self, *args, days: list[datetime.date], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].choices = [(d.isoformat(), f"{d:%d/%m/%Y}") for d in days]
