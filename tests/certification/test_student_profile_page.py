"""The student's own page shows their competence profile."""

import re

import pytest
from django.urls import reverse

from tests.factories import StudentFactory, profile_with_levels

pytestmark = pytest.mark.django_db


def text_of(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_a_student_sees_16_competences_by_domain_their_pix_and_certifiability(
    student_client, student_user, school
):
    StudentFactory(organization=school, user=student_user)
    profile_with_levels(student_user, [2, 1, 1, 1, 1])
    response = student_client.get(reverse("results_public:student_home"))
    profile = response.context["profile"]
    assert [area.title for area in profile.areas][0] == "Information et données"
    assert sum(len(area.competences) for area in profile.areas) == 16
    text = text_of(response)
    assert "1.1 Mener une recherche et une veille d'information 2 (Novice) 16" in text.replace(
        "&#x27;", "'"
    )
    assert "5.2 Évoluer dans un environnement numérique 0 0" in text
    assert "48 pix sur 768" in text
    assert "Certifiable" in text and "J'ai un code" in text


def test_four_competences_are_not_enough(student_client, student_user):
    profile_with_levels(student_user, [3, 3, 3, 3])
    text = text_of(student_client.get(reverse("results_public:student_home")))
    assert "Non certifiable" in text and "96 pix sur 768" in text


def test_a_student_without_profile_is_told_it_will_come(student_client):
    text = text_of(student_client.get(reverse("results_public:student_home")))
    assert "pas encore disponible" in text
