from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.services import user_set_one_time_password
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


def login(client, username, password, ip="10.0.0.1"):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_staff_log_in_with_their_email_and_land_on_the_students_page(client, alice, school):
    response = login(client, "ALICE@college.example.fr", DEFAULT_PASSWORD)
    assert response.status_code == 302
    response = client.get(response.url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("students:list", args=[school.id])
    assert "Élèves" in response.content.decode()


def test_a_schools_own_address_leads_its_staff_to_its_students(alice_client, bob_client, school):
    """/o/<id>/, typed or trimmed from a longer address, is not a 404 for the school's staff
    (another school's staff get 404: the outsider walk)."""
    for client in (alice_client, bob_client):  # an admin, a member
        response = client.get(f"/o/{school.id}/")

        assert response.status_code == 302
        assert response.url == reverse("students:list", args=[school.id])


def test_a_student_logs_in_with_the_identifiant_and_reaches_their_page(client, student_user):
    response = login(client, "jeanbaptiste.lefevre0103", DEFAULT_PASSWORD)
    response = client.get(response.url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("results_public:student_home")
    assert "jeanbaptiste.lefevre0103" in response.content.decode()


def test_a_wrong_password_gets_a_french_message_and_no_session(client, alice):
    response = login(client, "alice@college.example.fr", "pas-le-bon")
    assert response.status_code == 200
    assert "mot de passe est incorrect" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_username_and_ip_so_classmates_behind_the_same_ip_still_log_in(
    client, settings, student_user
):
    from tests.factories import StudentUserFactory

    classmate = StudentUserFactory(username="lea.martin0103")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, student_user.username, "mauvais", ip="192.0.2.10")
    locked = login(client, student_user.username, DEFAULT_PASSWORD, ip="192.0.2.10")
    assert locked.status_code == 429
    assert "bloquée" in locked.content.decode()
    other = login(client, classmate.username, DEFAULT_PASSWORD, ip="192.0.2.10")
    assert other.status_code == 302


def test_a_one_time_password_forces_a_change_before_anything_else(client, student_user):
    password = user_set_one_time_password(user=student_user)
    assert len(password) == 8
    login(client, student_user.username, password)
    response = client.get(reverse("results_public:student_home"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_change")

    weak = client.post(
        reverse("accounts:password_change"),
        {"new_password1": "abcdefgh", "new_password2": "abcdefgh"},
    )
    assert "une majuscule, une minuscule et un chiffre" in weak.content.decode()

    done = client.post(
        reverse("accounts:password_change"),
        {"new_password1": "Nouveau-Mot2passe", "new_password2": "Nouveau-Mot2passe"},
    )
    assert done.status_code == 302
    assert client.get(reverse("results_public:student_home")).status_code == 200
    student_user.refresh_from_db()
    assert not student_user.must_change_password
    client.logout()
    assert login(client, student_user.username, password).status_code == 200  # no longer valid


def test_an_expired_one_time_password_no_longer_opens_the_account(client, student_user):
    password = user_set_one_time_password(user=student_user)
    student_user.one_time_password_expires_at = timezone.now() - timedelta(minutes=1)
    student_user.save()
    response = login(client, student_user.username, password)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_newer_one_time_password_invalidates_the_previous_one(client, student_user):
    first = user_set_one_time_password(user=student_user)
    second = user_set_one_time_password(user=student_user)
    assert login(client, student_user.username, first).status_code == 200
    assert login(client, student_user.username, second).status_code == 302


def test_the_pix_jury_lands_on_the_sessions_to_publish(client):
    from tests.factories import UserFactory

    jury = UserFactory(email="jury@pix.example.fr", is_superuser=True, is_staff=True)
    client.force_login(jury)
    assert client.get(reverse("home")).url == reverse("results_public:jury_sessions")


def test_a_student_of_an_overseas_school_reads_times_in_its_time_zone(student_client, student_user):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from tests.factories import OrganizationFactory, StudentFactory, profile_with_levels

    tahiti = OrganizationFactory(uai="0981234X", timezone="Pacific/Tahiti")
    StudentFactory(organization=tahiti, user=student_user)
    # 23:30 in Tahiti on 14 September is already 15 September in Paris.
    computed_at = datetime(2026, 9, 14, 23, 30, tzinfo=ZoneInfo("Pacific/Tahiti"))
    profile_with_levels(student_user, [1] * 5, computed_at=computed_at)
    page = student_client.get(reverse("results_public:student_home")).content.decode()
    assert "14/09/2026" in page and "15/09/2026" not in page


SPELLINGS = [
    "LEA.MARTIN0103",
    "  lea.martin0103 ",
    "Lea.Martin0103",
    "ｌｅａ.ｍａｒｔｉｎ０１０３",  # full-width letters and digits: NFKC gives the plain login
]


def test_failures_spread_over_spellings_of_an_identifiant_lock_every_spelling(client, settings):
    from tests.factories import StudentUserFactory

    StudentUserFactory(username="lea.martin0103")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        login(client, SPELLINGS[attempt % len(SPELLINGS)], "mauvais", ip="192.0.2.20")
    for spelling in [*SPELLINGS, "lea.martin0103"]:
        locked = login(client, spelling, DEFAULT_PASSWORD, ip="192.0.2.20")
        assert locked.status_code == 429, spelling
        assert "_auth_user_id" not in client.session


def test_failures_spread_over_spellings_of_an_email_lock_the_staff_account(client, settings, alice):
    spellings = [
        "ALICE@college.example.fr",
        " alice@COLLEGE.example.fr",
        "Alice@College.Example.Fr",
    ]
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        login(client, spellings[attempt % len(spellings)], "mauvais", ip="192.0.2.21")
    locked = login(client, "alice@college.example.fr", DEFAULT_PASSWORD, ip="192.0.2.21")
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_full_width_spelling_of_the_identifiant_logs_in_like_the_plain_one(client):
    from tests.factories import StudentUserFactory

    StudentUserFactory(username="lea.martin0103")
    assert login(client, SPELLINGS[3], DEFAULT_PASSWORD).status_code == 302


@pytest.mark.parametrize(
    "new_password",
    ["Lea.Martin0103A1", "LEAMARTIN0103a1", "A1-lea_martin_0103", "Ｌea.martin0103Z9"],
)
def test_the_identifiant_with_a_few_characters_added_is_refused_as_a_password(client, new_password):
    from tests.factories import StudentUserFactory

    student = StudentUserFactory(username="lea.martin0103")
    password = user_set_one_time_password(user=student)
    login(client, "lea.martin0103", password)
    response = client.post(
        reverse("accounts:password_change"),
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert "ne doit pas reprendre votre identifiant" in response.content.decode()
    student.refresh_from_db()
    assert student.must_change_password and not student.check_password(new_password)


def test_staff_cannot_take_their_e_mail_name_as_a_password(alice_client):
    response = alice_client.post(
        reverse("accounts:password_change"),
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": "Alice-2026",
            "new_password2": "Alice-2026",
        },
    )
    assert "ne doit pas reprendre votre identifiant" in response.content.decode()
