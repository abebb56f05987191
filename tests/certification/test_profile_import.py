"""An admin uploads a CSV of profiles: all errors with line numbers, nothing written on error."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import AuditLog
from certification.models import CompetenceProfile
from students.models import Student
from tests.factories import StudentFactory, StudentUserFactory, profile_with_levels

pytestmark = pytest.mark.django_db

HEADER = "INE;1.1;1.2;1.3;2.1;2.2;2.3;2.4;3.1;3.2;3.3;3.4;4.1;4.2;4.3;5.1;5.2"


@pytest.fixture
def students(school):
    """Three students with accounts (INE 001…003), one without (004), one disabled (005)."""
    made = {}
    for number in range(1, 6):
        made[number] = StudentFactory(
            organization=school,
            ine=f"00000000{number}AA",
            user=StudentUserFactory() if number != 4 else None,
            is_disabled=number == 5,
        )
    return made


def upload(client, school, text, encoding="utf-8"):
    return client.post(
        reverse("certification:profiles_import", args=[school.id]),
        {"file": SimpleUploadedFile("profils.csv", text.encode(encoding), "text/csv")},
    )


def line(ine, levels):
    return ";".join([ine, *(str(level) for level in levels)])


def test_an_admin_imports_profiles_and_certifiability_follows(
    alice_client, alice, school, students, django_capture_on_commit_callbacks
):
    text = "\n".join(
        [HEADER, line("000000001AA", [1] * 5 + [0] * 11), line("000000002aa", [2, 1] + [0] * 14)]
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(alice_client, school, "\ufeff" + text)
    assert response.status_code == 302
    first = CompetenceProfile.objects.get(user=students[1].user)
    assert dict(first.scores.values_list("competence__code", "pix"))["1.1"] == 8
    assert CompetenceProfile.objects.count() == 2
    statuses = dict(Student.objects.values_list("ine", "certifiability"))
    assert statuses["000000001AA"] == "certifiable"
    assert statuses["000000002AA"] == "not_certifiable"
    assert AuditLog.objects.filter(
        action=AuditLog.Action.PROFILES_IMPORTED, actor=alice, details__profiles=2
    ).exists()


def test_every_error_is_listed_with_its_line_and_nothing_is_written(alice_client, school, students):
    profile_with_levels(students[3].user, [1] * 5)
    text = "\n".join(
        [
            HEADER,
            line("000000003AA", [0] * 16),  # valid, but the file has errors: not written
            line("000000001AA", [1] * 15),
            line("000000009ZZ", [1] * 16),
            line("000000004AA", [1] * 16),
            line("000000005AA", [1] * 16),
            line("000000002AA", [1, 1, 9] + [0] * 13),
            line("000000003AA", [1] * 16),
            line("000000002AA", ["x"] + [0] * 15),
        ]
    )
    response = upload(alice_client, school, text)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ligne 3 : 16 colonnes au lieu de 17" in page
    assert "Ligne 4 : l&#x27;INE « 000000009ZZ » ne correspond à aucun élève" in page
    assert "Ligne 5 : l&#x27;élève à l&#x27;INE 000000004AA n&#x27;a pas de compte" in page
    assert "Ligne 6 : l&#x27;INE « 000000005AA »" in page
    assert "Ligne 7 : le niveau de la compétence 1.3 doit être un nombre entier de 0 à 6" in page
    assert "Ligne 8 : l&#x27;INE 000000003AA figure déjà ligne 2" in page
    assert "Ligne 9 : l&#x27;INE 000000002AA figure déjà ligne 7" in page
    assert len(response.context["errors"]) == 7
    assert CompetenceProfile.objects.count() == 1
    assert set(students[3].user.competence_profile.scores.values_list("level", flat=True)) == {
        0,
        1,
    }


def test_a_windows_1252_file_without_header_is_read(alice_client, school, students):
    response = upload(alice_client, school, line("000000001AA", [3] * 16) + "\r\n", "cp1252")
    assert response.status_code == 302
    assert CompetenceProfile.objects.get(user=students[1].user).scores.filter(level=3).count() == 16


def test_a_wrong_header_or_an_empty_file_is_refused(alice_client, school, students):
    response = upload(alice_client, school, "INE;1.1;1.2\n")
    assert "Ligne 1 : l&#x27;en-tête doit être" in response.content.decode()
    response = upload(alice_client, school, HEADER + "\n\n")
    assert "aucun profil" in response.content.decode()
    assert not CompetenceProfile.objects.exists()


def test_the_import_page_tells_the_admin_the_columns_of_the_file(alice_client, school, settings):
    settings.PIX_MAX_REACHABLE_LEVEL = 5
    page = alice_client.get(
        reverse("certification:profiles_import", args=[school.id])
    ).content.decode()
    assert "l'INE puis le niveau (0 à 5) de chacune des 16 compétences" in page


def test_a_member_cannot_import_profiles(bob_client, school, students):
    response = upload(bob_client, school, line("000000001AA", [1] * 16))
    assert response.status_code == 403
    assert not CompetenceProfile.objects.exists()
