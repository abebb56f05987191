"""The board's lists write their rows as the template loop they replace wrote them."""

import pytest
from django.template import Context, Template
from django.test.html import parse_html
from django.urls import reverse

from planning.board_html import board_student_rows_html
from students.models import Student
from tests.factories import StudentFactory, StudentUserFactory

pytestmark = pytest.mark.django_db

# The loop of templates/planning/board_students.html before board_html.py, kept as reference.
TEMPLATE_ROWS = Template(
    """{% load i18n %}{% for student in students %}
        <tr>
          <td><div class="fr-checkbox-group fr-checkbox-group--sm">
            <input type="checkbox" id="eleve-{{ student.id }}" name="student_ids" value="{{ student.id }}" checked>
            <label class="fr-label" for="eleve-{{ student.id }}"><span class="fr-sr-only">{% blocktranslate with name=student.display_last_name first=student.first_name %}Sélectionner {{ first }} {{ name }}{% endblocktranslate %}</span></label>
          </div></td>
          <td>{{ student.display_last_name }}</td>
          <td>{{ student.first_name }}</td>
          <td>{{ student.division }}</td>
          <td>{% if student.user %}{{ student.user.connection_methods|join:", " }}{% else %}{% translate "Aucun compte" %}{% endif %}</td>
          <td>{{ student.certifiability_label }}</td>
        </tr>
      {% endfor %}"""  # noqa: E501
)


def test_the_rows_are_the_template_loops(school):
    StudentFactory(
        organization=school,
        last_name='<script>alert("x")</script>',
        preferred_last_name="",
        first_name='Zoé & l\'"autre"',
        division="3<A>",
        user=StudentUserFactory(email="eleve@example.org"),
        certifiability=Student.Certifiability.CERTIFIABLE,
    )
    StudentFactory(
        organization=school,
        last_name="MARTIN",
        preferred_last_name="DUPONT",
        certifiability=Student.Certifiability.NOT_AVAILABLE,
    )
    StudentFactory(organization=school, certifiability=Student.Certifiability.NOT_CERTIFIABLE)
    StudentFactory(organization=school, certifiability="<b>ancien statut</b>")  # not a status
    students = list(Student.objects.filter(organization=school).select_related("user"))

    rows = board_student_rows_html(students)

    assert parse_html(rows) == parse_html(TEMPLATE_ROWS.render(Context({"students": students})))
    assert "<script>" not in rows and "<b>" not in rows and rows.count("<tr>") == 4


def test_the_list_page_shows_its_students_rows(bob_client, school):
    StudentFactory(organization=school, last_name="SANSCOMPTE", division="3E1", user=None)

    page = bob_client.get(
        reverse("planning:board_students", args=[school.id, "sans-compte"]), {"niveau": "tous"}
    ).content.decode()

    assert "SANSCOMPTE" in page and "Aucun compte" in page and "1 élève" in page
