"""The candidate picker searches names as the Élèves page does: one folding of accents,
capitals, ligatures, hyphens and apostrophes (core/names.py) for both."""

import re

import pytest
from django.urls import reverse

from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db

NAMES = ["LEFÈVRE", "LEFEVRE-MARTIN", "CŒURVOLAN", "N'DIAYE", "ÇELIK", "DUPONT"]
TYPED = ["lefevre", "LEFÈVRE", "Lefevre martin", "coeur", "cœur", "n diaye", "ndiaye", "celik"]


def _found_on_students_page(client, school, typed: str) -> set[str]:
    html = client.get(reverse("students:list", args=[school.id]), {"recherche": typed})
    return {name for name in NAMES if re.search(rf">\s*{re.escape(name)}\b", html.content.decode())}


def _found_in_picker(client, school, session, typed: str) -> set[str]:
    url = reverse("certif_sessions:candidates_add_students", args=[school.id, session.id])
    html = client.get(url, {"recherche": typed}).content.decode()
    return {name for name in NAMES if re.search(rf">\s*{re.escape(name)}\b", html)}


def test_the_picker_finds_the_same_students_as_the_eleves_page(alice_client, school, session):
    for name in NAMES:
        StudentFactory(organization=school, division="3E1", last_name=name)

    for typed in TYPED:
        expected = _found_on_students_page(alice_client, school, typed)
        assert _found_in_picker(alice_client, school, session, typed) == expected, typed
    assert _found_in_picker(alice_client, school, session, "lefevre") == {
        "LEFÈVRE",
        "LEFEVRE-MARTIN",
    }
    assert _found_in_picker(alice_client, school, session, "coeur") == {"CŒURVOLAN"}
