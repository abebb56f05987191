"""The rows of the readiness board's lists of students, written here rather than by the template
engine: a list shows every student of a state (a thousand and more in a large lycée), and the
template took about 130 µs a row. The markup is the template's (its whitespace aside), each value
escaped as Django's `escape` does; the messages keep their msgids."""

from collections.abc import Iterable
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from students.models import Student

ROW = (
    '<tr><td><div class="fr-checkbox-group fr-checkbox-group--sm">'
    '<input type="checkbox" id="eleve-{id}" name="student_ids" value="{id}" checked>'
    '<label class="fr-label" for="eleve-{id}"><span class="fr-sr-only">{select}</span></label>'
    "</div></td><td>{name}</td><td>{first_name}</td><td>{division}</td><td>{methods}</td>"
    "<td>{certifiability}</td></tr>"
)


def board_student_rows_html(students: Iterable[Student]) -> SafeString:
    """The `<tr>` of each student of a board's list (students with their account)."""
    select_label = gettext("Sélectionner %(first)s %(name)s")
    no_account = escape(gettext("Aucun compte"))
    statuses = {value: escape(label) for value, label in Student.certifiability_labels().items()}
    rows = []
    for student in students:
        name, first_name = escape(student.display_last_name), escape(student.first_name)
        rows.append(
            ROW.format(
                id=student.pk,
                select=select_label % {"first": first_name, "name": name},
                name=name,
                first_name=first_name,
                division=escape(student.division),
                methods=(
                    escape(", ".join(student.user.connection_methods))
                    if student.user
                    else no_account
                ),
                # A stored value that is not a status shows as it is (as the model's display).
                certifiability=statuses.get(student.certifiability)
                or escape(student.certifiability),
            )
        )
    return mark_safe("\n".join(rows))  # noqa: S308 — every value above is escaped
