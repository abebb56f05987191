"""Malformed CSVs are refused with a French message naming the line, never a 500, by every
importer: competence profiles (school admin) and jury results (superuser)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certification.models import CompetenceProfile
from results.models import CertificationResult
from tests.factories import StudentFactory, StudentUserFactory
from tests.results.factories import finalized_session, present_candidate

pytestmark = pytest.mark.django_db

PROFILE_HEADER = "INE;1.1;1.2;1.3;2.1;2.2;2.3;2.4;3.1;3.2;3.3;3.4;4.1;4.2;4.3;5.1;5.2"
RESULTS_HEADER = "Numéro de candidat;Compétence;Niveau du profil;Pix du profil;Épreuve;Résultat"


def profile_line(ine, levels):
    return ";".join([ine, *(str(level) for level in levels)])


@pytest.fixture
def import_profiles(alice_client, school):
    StudentFactory(organization=school, ine="000000001AA", user=StudentUserFactory())

    def post(content: bytes):
        response = alice_client.post(
            reverse("certification:profiles_import", args=[school.id]),
            {"file": SimpleUploadedFile("profils.csv", content, "text/csv")},
        )
        assert response.status_code == 200
        assert not CompetenceProfile.objects.exists()
        return response.context["errors"]

    return post


@pytest.fixture
def import_results(superuser_client, school):
    session = finalized_session(school)
    candidate = present_candidate(session)

    def post(content: bytes):
        response = superuser_client.post(
            reverse("results_public:jury_results_upload", args=[session.pk]),
            {"file": SimpleUploadedFile("resultats.csv", content, "text/csv")},
        )
        assert response.status_code == 200
        assert not CertificationResult.objects.exists()
        return response.context["errors"]

    post.candidate = candidate
    return post


def good_profile_file(separator="\n"):
    return separator.join([PROFILE_HEADER, profile_line("000000001AA", [1] * 16)]).encode()


def test_profiles_with_mac_line_endings_are_refused_naming_the_line(import_profiles):
    errors = import_profiles(good_profile_file(separator="\r"))
    assert errors == [
        "Ligne 1 : fins de ligne d'un ancien format Mac (retour chariot seul). "
        "Enregistrez le fichier au format « CSV UTF-8 » et réessayez."
    ]


def test_a_superscript_two_is_not_a_level(import_profiles):
    errors = import_profiles(
        "\n".join([PROFILE_HEADER, profile_line("000000001AA", ["²"] + [1] * 15)]).encode()
    )
    assert errors == [
        "Ligne 2 : le niveau de la compétence 1.1 doit être un nombre entier de 0 à 6 (reçu « ² »)."
    ]


@pytest.mark.parametrize("size", [2_000, 200 * 1024])
def test_an_oversized_field_is_refused_naming_the_line(import_profiles, size):
    content = "\n".join(
        [PROFILE_HEADER, profile_line("000000001AA", [1] * 16), "A" * size + ";1"]
    ).encode()
    assert import_profiles(content) == [
        "Ligne 3 : ligne illisible (guillemets non refermés ou champ trop long)."
        if size > 128 * 1024
        else "Ligne 3 : la colonne 1 dépasse 1000 caractères."
    ]


def test_nul_bytes_in_a_profile_file_are_refused(import_profiles):
    errors = import_profiles(good_profile_file() + b"\n\x00\x00")
    assert errors[0].startswith("Ligne 3 : le fichier contient un caractère nul")


def test_two_hundred_thousand_bad_lines_give_a_hundred_errors_and_the_count(import_profiles):
    content = "\n".join([PROFILE_HEADER] + ["x"] * 200_000).encode()
    errors = import_profiles(content)
    assert len(errors) == 101
    assert errors[0].startswith("Ligne 2 : 1 colonnes au lieu de 17")
    assert errors[-1].startswith("… et 199900 autres erreurs (200000 au total)")


def results_line(candidate, challenge="rec1", outcome="Correcte"):
    return f"{candidate.pk};1.1;3;27;{challenge};{outcome}"


def test_a_challenge_longer_than_its_column_is_refused_naming_the_line(import_results):
    content = "\n".join(
        [
            RESULTS_HEADER,
            results_line(import_results.candidate),
            results_line(import_results.candidate, challenge="É" * 65),
        ]
    ).encode()
    assert import_results(content) == ["Ligne 3 : l'épreuve dépasse 64 caractères."]


def test_results_with_nul_bytes_or_mac_line_endings_are_refused(import_results):
    lines = [RESULTS_HEADER, results_line(import_results.candidate)]
    nul = import_results("\n".join(lines).encode() + b"\n\x00rec\x00")
    assert nul[0].startswith("Ligne 3 : le fichier contient un caractère nul")
    mac = import_results("\r".join(lines).encode())
    assert mac[0].startswith("Ligne 1 : fins de ligne d'un ancien format Mac")


def test_results_with_an_unclosed_quote_are_refused_naming_the_line(import_results):
    content = "\n".join(
        [RESULTS_HEADER, results_line(import_results.candidate), '1;"1.1;3;27' + "x" * 140_000]
    ).encode()
    assert import_results(content) == [
        "Ligne 3 : ligne illisible (guillemets non refermés ou champ trop long)."
    ]


def test_results_errors_are_capped_with_the_total(import_results):
    content = "\n".join([RESULTS_HEADER] + ["abc;1.1;3;27;rec;Correcte"] * 150).encode()
    errors = import_results(content)
    assert len(errors) == 101 and errors[-1].startswith("… et 50 autres erreurs (150 au total)")
