"""The repeated parts of the Élèves page (its rows, its class checkboxes), written here rather
than by the template engine.

The page shows 50 to 100 rows of about twenty values each and a checkbox per class: through
`{% include %}`, `{% blocktranslate %}`, `{% url %}` and the `date` filter a row cost about
0.4 ms, the rows four times the rest of the page; written here, about 15 µs. The markup is the
template's (its whitespace aside), values escaped the same way; the messages keep their msgids."""

from collections.abc import Sequence
from datetime import date, datetime, tzinfo
from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from accounts.models import Organization
from students.models import Student

from .selectors import StudentPageRow

BADGE_MODIFIERS: dict[str, str] = {
    Student.Certifiability.CERTIFIABLE: " fr-badge--success",
    Student.Certifiability.NOT_CERTIFIABLE: " fr-badge--error",
}
# A student id no school reaches: reversed once, replaced by each row's id.
ID_PLACEHOLDER = 987654321987654321
CELLS = (
    "<td>{name}{disabled}</td><td>{first_name}</td><td>{birthdate}</td><td>{division}</td>"
    '<td>{methods}</td><td>{participations}</td><td class="portal-cell-narrow">{last}</td>'
    "<td>{certifiability}</td>"
)
ADMIN_CELLS = (
    '<td class="fr-cell--fixed"><div class="fr-checkbox-group fr-checkbox-group--sm">'
    '<input type="checkbox" id="student-{id}" name="student_ids" value="{id}">'
    '<label class="fr-label" for="student-{id}">{select}</label></div></td>'
    + CELLS
    + '<td><a class="fr-link fr-link--sm" href="{account_url}">{manage}'
    '<span class="fr-sr-only"> {name} {first_name}</span></a></td>'
)

ROW, DISABLED_ROW = "<tr>%s</tr>", '<tr class="portal-disabled-row">%s</tr>'


def student_rows_html(
    *, students: Sequence[StudentPageRow], organization: Organization, is_admin: bool
) -> SafeString:
    """The `<tr>` of each student of the page (students read by `students_page_rows`, with
    their latest participation).

    What is the same on every row (messages, badges, the account link) is written once; each
    value is escaped with `html.escape`, as Django's `escape` does without its check for lazy
    strings (which cost more than the rest of the row)."""
    disabled = (
        f' <span class="fr-badge fr-badge--sm fr-badge--no-icon">{_e(gettext("Désactivé"))}</span>'
    )
    badges = _certifiability_badges()
    sent_on = '<br><span class="fr-text--xs">' + gettext("le %(date)s") + "</span>"
    select_label = gettext("Sélectionner %(name)s %(first_name)s")
    account_url = _e(reverse("student_accounts:account", args=[organization.pk, ID_PLACEHOLDER]))
    cells, manage = (ADMIN_CELLS, _e(gettext("Gérer le compte"))) if is_admin else (CELLS, "")
    row_formats = {False: ROW % cells, True: DISABLED_ROW % cells}
    zone = organization.zoneinfo
    rows = []
    for student in students:
        name, first_name = _e(student.display_last_name), _e(student.first_name)
        certifiability = _certifiability(student, zone, badges)
        last = "—"
        if student.last_participation_at:
            day = _day(student.last_participation_at, zone)
            last = _e(student.last_participation_name) + sent_on % {"date": day}
        rows.append(
            row_formats[student.is_disabled].format(
                id=student.pk,
                select=select_label % {"name": name, "first_name": first_name},
                name=name,
                first_name=first_name,
                disabled=disabled if student.is_disabled else "",
                birthdate=_dmy(student.birthdate),
                division=_e(student.division),
                methods=_e(_connection_methods(student)),
                participations=student.participation_count,
                last=last,
                certifiability=certifiability,
                account_url=account_url.replace(str(ID_PLACEHOLDER), str(student.pk)),
                manage=manage,
            )
        )
    return mark_safe("\n".join(rows))  # noqa: S308 — every value above went through _e


def class_checkboxes_html(options: Sequence[tuple[str, str, bool]]) -> SafeString:
    """A checkbox per class of the school, (value, label, ticked) from the filter form."""
    checkbox = (
        '<div class="fr-fieldset__element fr-fieldset__element--inline">'
        '<div class="fr-checkbox-group fr-checkbox-group--sm">'
        '<input type="checkbox" id="filter-class-{number}" name="classe" value="{value}"{checked}>'
        '<label class="fr-label" for="filter-class-{number}">{label}</label></div></div>'
    )
    return mark_safe(  # noqa: S308 — every value goes through _e
        "\n".join(
            checkbox.format(
                number=number,
                value=_e(value),
                checked=" checked" if ticked else "",
                label=_e(label),
            )
            for number, (value, label, ticked) in enumerate(options, start=1)
        )
    )


def certifiability_html(student: Student | StudentPageRow, zone: tzinfo) -> SafeString:
    """The certifiability badge of a student and the date of the profile it comes from: the
    Élèves page's rows and the session's candidate picker show the same."""
    return mark_safe(_certifiability(student, zone, _certifiability_badges()))  # noqa: S308


def _certifiability_badges() -> dict[str, str]:
    """Each status's badge, and under the key "profile" the date line that follows it."""
    badges = {
        value: f'<p class="fr-badge fr-badge--sm{BADGE_MODIFIERS.get(value, "")} '
        f'fr-badge--no-icon">{_e(label)}</p>\n'
        for value, label in Student.certifiability_labels().items()
    }
    badges["profile"] = (
        '<span class="fr-text--xs portal-nowrap portal-block">'
        + gettext("profil du %(date)s")
        + "</span>"
    )
    return badges


def _certifiability(student: Student | StudentPageRow, zone: tzinfo, badges: dict[str, str]) -> str:
    html = badges[student.certifiability]
    if student.certifiability_profile_date is not None:
        day = _day(student.certifiability_profile_date, zone)
        html += badges["profile"] % {"date": day}
    return html


def _e(value: object) -> str:
    return escape(str(value))


def _day(moment: datetime, zone: tzinfo) -> str:
    """The day of a date and time in the school's time zone."""
    return _dmy(moment.astimezone(zone))


def _dmy(day: date) -> str:
    """dd/mm/yyyy (as strftime("%d/%m/%Y"), three times faster: a page has a hundred dates)."""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def _connection_methods(student: StudentPageRow) -> str:
    return ", ".join(student.connection_methods) or "—"
