"""The candidate picker searches names as the Élèves page does: one folding of accents,
capitals, ligatures, hyphens and apostrophes (core/names.py) for both."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db

NAMES = ["LEFÈVRE", "LEFEVRE-MARTIN", "CŒURVOLAN", "N'DIAYE", "ÇELIK", "DUPONT"]
TYPED = ["lefevre", "LEFÈVRE", "Lefevre martin", "coeur", "cœur", "n diaye", "ndiaye", "celik"]


def _names_found(client, url: str, typed: str) -> set[str]:
    """The names of NAMES in the table's cells of the page for this search."""
    html = client.get(url, {"recherche": typed}).content.decode()
    return {name for name in NAMES if re.search(rf"<td>{re.escape(escape(name))}[<\s]", html)}


def test_the_picker_finds_the_same_students_as_the_eleves_page(alice_client, school, session):
    for name in NAMES:
        StudentFactory(organization=school, division="3E1", last_name=name)

    students_page = reverse("students:list", args=[school.id])
    picker = reverse("certif_sessions:candidates_add_students", args=[school.id, session.id])
    for typed in TYPED:
        expected = _names_found(alice_client, students_page, typed)
        assert _names_found(alice_client, picker, typed) == expected, typed
    assert _names_found(alice_client, picker, "lefevre") == {"LEFÈVRE", "LEFEVRE-MARTIN"}
    assert _names_found(alice_client, picker, "coeur") == {"CŒURVOLAN"}
    assert _names_found(alice_client, picker, "n diaye") == {"N'DIAYE"}
    assert _names_found(alice_client, picker, "celik") == {"ÇELIK"}
