"""A plan made in a spreadsheet (CSV or XLSX): one line per class and session,
`Classe ; Jour ; Heure ; Salle ; Surveillants [; Places]`. Every line is checked before anything
is written; each error names its line. A valid file becomes a plan like the planner's, which the
admin reviews and creates in one go.
"""

import csv
import datetime
import io
import re
from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from accounts.models import Organization
from certification.calendar import session_date_refusal
from core.rejected import Rejected
from sessions.models import examiner_names
from students.imports.parsers.zip_member import ZIP_MAGIC
from students.selectors import organization_divisions

from .models import SessionPlan
from .selectors import plan_students

MAX_LINES = 1000
HEADERS = ["classe", "jour", "heure", "salle", "surveillants"]


class PlanFileRejected(Rejected):
    """The plan file is refused; no session was created."""


@dataclass(frozen=True)
class PlanLine:
    line: int
    division: str
    date: datetime.date
    time: datetime.time
    room: str
    invigilators: tuple[str, ...]
    seats: int | None


def _rows(data: bytes) -> list[list]:
    if data.startswith(ZIP_MAGIC):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
            return [list(row) for row in sheet.iter_rows(values_only=True, max_row=MAX_LINES + 1)]
        except Exception as error:
            raise PlanFileRejected([_("Le fichier XLSX n'a pas pu être lu.")]) from error
    text = data.removeprefix(b"\xef\xbb\xbf")
    try:
        decoded = text.decode("utf-8")
    except UnicodeDecodeError:
        decoded = text.decode("cp1252", errors="replace")
    delimiter = ";" if decoded.count(";") >= decoded.count(",") else ","
    return list(csv.reader(io.StringIO(decoded), delimiter=delimiter))[: MAX_LINES + 1]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def day_parse(value) -> datetime.date | None:
    """A day typed by a person (JJ/MM/AAAA, or ISO) or a spreadsheet's date cell."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007 — a day
        except ValueError:
            continue
    return None


def clock_parse(value) -> datetime.time | None:
    """A start time: 08:00, 8h, 8h30, or a spreadsheet's time cell."""
    if isinstance(value, datetime.time):
        return value
    if isinstance(value, datetime.datetime):
        return value.time()
    match = re.fullmatch(r"(\d{1,2})\s*[:hH]\s*(\d{2})?", _text(value))
    if not match:
        return None
    hour, minute = int(match[1]), int(match[2] or 0)
    return datetime.time(hour, minute) if hour < 24 and minute < 60 else None


def plan_file_read(*, organization: Organization, data: bytes) -> list[PlanLine]:
    rows = _rows(data)
    if len(rows) > MAX_LINES:
        raise PlanFileRejected([_("Le fichier dépasse %(max)d lignes.") % {"max": MAX_LINES}])
    known = set(organization_divisions(organization=organization))
    errors, lines = [], []
    for number, row in enumerate(rows, start=1):
        cells = [_text(cell) for cell in row] + [""] * 6
        if not any(cells):
            continue
        if number == 1 and cells[0].casefold() == "classe":
            continue
        division, day, hour, room, invigilators, seats = cells[:6]
        problems = []
        date = day_parse(row[1] if len(row) > 1 else "")
        time = clock_parse(row[2] if len(row) > 2 else "")
        if not division:
            problems.append(_("la classe est vide"))
        elif division not in known:
            problems.append(_("la classe « %(division)s » n'existe pas") % {"division": division})
        if date is None:
            problems.append(_("le jour « %(day)s » n'est pas une date JJ/MM/AAAA") % {"day": day})
        if time is None:
            problems.append(_("l'heure « %(hour)s » n'est pas au format HH:MM") % {"hour": hour})
        if not room:
            problems.append(_("la salle est vide"))
        if not examiner_names(invigilators):
            problems.append(_("aucun surveillant"))
        if seats and not seats.isdigit():
            problems.append(
                _("le nombre de places « %(seats)s » n'est pas un nombre") % {"seats": seats}
            )
        if date is not None:
            refusal = session_date_refusal(organization=organization, day=date)
            if refusal:
                problems.append(refusal[0].lower() + refusal[1:].rstrip("."))
        if problems:
            errors.append(
                _("Ligne %(line)d : %(problems)s.")
                % {"line": number, "problems": " ; ".join(problems)}
            )
            continue
        assert date is not None and time is not None  # else a problem was listed
        names = tuple(name.strip() for name in examiner_names(invigilators))
        lines.append(
            PlanLine(number, division, date, time, room, names, int(seats) if seats else None)
        )
    if not errors and not lines:
        errors.append(_("Le fichier ne contient aucune ligne de plan."))
    if errors:
        raise PlanFileRejected(errors)
    return lines


def session_plan_import(*, organization: Organization, data: bytes, created_by=None) -> SessionPlan:
    """The lines of the file as a plan; a class on several lines is shared out between them
    in alphabetical order."""
    lines = plan_file_read(organization=organization, data=data)
    slot_keys = sorted({(line.date, line.time) for line in lines})
    slot_index = {key: index for index, key in enumerate(slot_keys)}
    invigilators: dict[tuple, list[str]] = defaultdict(list)
    by_room: dict[tuple, dict[str, list[str]]] = defaultdict(dict)
    seats: dict[str, int | None] = {}
    for line in lines:
        key = (line.date, line.time)
        for name in line.invigilators:
            if name not in invigilators[key]:
                invigilators[key].append(name)
        by_room[key].setdefault(line.room, list(line.invigilators))
        known = seats.get(line.room)
        seats[line.room] = max(known or 0, line.seats) if line.seats else known
    divisions = sorted({line.division for line in lines})
    lines_of_class: dict[str, list[PlanLine]] = defaultdict(list)
    for line in lines:
        lines_of_class[line.division].append(line)
    students = plan_students(organization=organization, divisions=divisions)
    placements: dict[str, list] = defaultdict(list)
    for student in students:
        placements[student.division].append(student)
    plan_placements = {}
    for division, members in placements.items():
        shares = lines_of_class[division]
        size = -(-len(members) // len(shares))
        for index, student in enumerate(members):
            line = shares[index // size]
            plan_placements[str(student.pk)] = [slot_index[(line.date, line.time)], line.room]
    return SessionPlan.objects.create(
        organization=organization,
        created_by=created_by if created_by and created_by.is_authenticated else None,
        source=SessionPlan.Source.IMPORT,
        address=organization.name,
        divisions=divisions,
        student_ids=[s.pk for s in students],
        slots=[
            {
                "date": date.isoformat(),
                "time": time.strftime("%H:%M"),
                "invigilators": invigilators[(date, time)],
                "by_room": by_room[(date, time)],
            }
            for date, time in slot_keys
        ],
        rooms=[{"name": name, "seats": value} for name, value in seats.items()],
        placements=plan_placements,
        extra_time={str(s.pk): s.known_extra_time for s in students if s.known_extra_time},
    )
