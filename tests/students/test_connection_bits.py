"""How each student's account logs in, kept on the student by the database (students/migrations/
0020) so that the Élèves page filters and counts a connection method without reading the
accounts: the bits follow every way students and accounts are written, and the page's
connection filters find exactly the students whose accounts log in that way."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Q
from django.http import QueryDict

from accounts.models import User
from conftest import service_unavailable
from students.models import Student
from students.selectors import students_filtered
from tests.factories import StudentFactory, StudentUserFactory
from tests.students.test_class_tally import counted, tally

pytestmark = pytest.mark.django_db

Connection = Student.Connection


def bits_of(user: User | None) -> int:
    """What the student's bits should be, read from the account itself."""
    if user is None:
        return 0
    bits = Connection.ACCOUNT
    if user.username is not None:
        bits |= Connection.USERNAME
    if user.email is not None:
        bits |= Connection.EMAIL
    if user.has_mediacentre_access:
        bits |= Connection.MEDIACENTRE
    return int(bits)


def assert_bits_follow_the_accounts():
    for student in Student.objects.select_related("user"):
        assert student.connection_bits == bits_of(student.user), student.last_name
    assert tally() == counted()


def test_the_bits_follow_each_way_students_and_accounts_are_written(school):
    with_identifiant = StudentFactory(organization=school, user=StudentUserFactory())
    without_account = StudentFactory(organization=school)
    linked_later = StudentFactory.create_batch(3, organization=school)
    assert_bits_follow_the_accounts()
    with_identifiant.refresh_from_db()
    assert with_identifiant.connection_bits == Connection.ACCOUNT | Connection.USERNAME

    # Accounts handed out in bulk, as the credentials of a password reset are.
    accounts = User.objects.bulk_create(StudentUserFactory.build_batch(3))
    for student, user in zip(linked_later, accounts, strict=True):
        student.user = user
    Student.objects.bulk_update(linked_later, ["user"])
    assert_bits_follow_the_accounts()

    account = with_identifiant.user
    account.email = "eleve@example.org"  # a change through save()
    account.save(update_fields=["email"])
    User.objects.filter(pk=linked_later[0].user_id).update(has_mediacentre_access=True)
    User.objects.filter(pk=linked_later[1].user_id).update(username=None, email="x@example.org")
    assert_bits_follow_the_accounts()

    # A student saved from a copy read before its account changed keeps the account's bits.
    with_identifiant.last_name = "MARTIN"
    with_identifiant.save()
    assert_bits_follow_the_accounts()

    Student.objects.filter(pk=without_account.pk).update(connection_bits=7)  # never taken
    linked_later[2].user.delete()  # the student stays, without an account
    assert_bits_follow_the_accounts()
    assert Student.objects.get(pk=linked_later[2].pk).connection_bits == 0


@pytest.mark.parametrize(
    ("method", "accounts"),
    [
        ("identifiant", Q(user__username__isnull=False)),
        ("email", Q(user__email__isnull=False)),
        ("mediacentre", Q(user__has_mediacentre_access=True)),
        ("aucune", Q(user__isnull=True)),
    ],
)
def test_each_connection_filter_finds_the_students_whose_accounts_log_in_that_way(
    school, other_school, method, accounts
):
    for number in range(12):
        user = None
        if number % 4:
            user = StudentUserFactory(
                username=None if number % 6 == 3 else f"eleve.filtre{number}",  # an e-mail
                email=f"eleve{number}@example.org" if number % 2 else None,
                has_mediacentre_access=number % 5 == 0,
            )
        StudentFactory(organization=school, user=user)
    StudentFactory(organization=other_school, user=StudentUserFactory())
    query = QueryDict(f"connexion={method}")

    found = set(students_filtered(organization=school, params=query).values_list("pk", flat=True))

    expected = Student.objects.filter(accounts, organization=school, is_disabled=False)
    assert found == set(expected.values_list("pk", flat=True))
    assert found  # every method has students here


def test_the_rebuild_command_reads_the_accounts_again_after_a_load_that_skipped_triggers(
    school,
):
    if connection.vendor != "postgresql":
        service_unavailable("le rôle replica (déclencheurs désactivés) : PostgreSQL")
    students = StudentFactory.create_batch(2, organization=school)
    without_account = StudentFactory(organization=school)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        for student in students:
            student.user = StudentUserFactory()
            Student.objects.filter(pk=student.pk).update(user=student.user)
        Student.objects.filter(pk=without_account.pk).update(connection_bits=5)
        cursor.execute("SET LOCAL session_replication_role = origin")
    assert sorted(Student.objects.values_list("connection_bits", flat=True)) == [0, 0, 5]

    call_command("class_tally_rebuild", stdout=io.StringIO())

    assert_bits_follow_the_accounts()
