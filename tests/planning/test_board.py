"""The readiness board: each student counted once, in the furthest state reached."""

import re

import pytest

from accounts.models import AuditLog
from results.models import CertificationResult
from sessions.models import Candidate, Session
from students.models import Student
from tests.factories import (
    CandidateFactory,
    OrganizationFactory,
    SessionFactory,
    StudentFactory,
    StudentUserFactory,
)
from tests.results.factories import CertificationResultFactory

pytestmark = pytest.mark.django_db

C = Student.Certifiability


def _student(school, name, *, account=True, certifiability=C.NOT_AVAILABLE, division="3A"):
    return StudentFactory(
        organization=school,
        last_name=name,
        division=division,
        user=StudentUserFactory() if account else None,
        certifiability=certifiability,
    )


def _candidate(student, session, **fields):
    return CandidateFactory(
        session=session,
        student=student,
        last_name=student.last_name,
        division=student.division,
        **fields,
    )


@pytest.fixture
def classes(school):
    """3A: one student in each state; 3B: two; 4A (not a 3e class) and the noise."""
    upcoming = SessionFactory(organization=school)
    held = SessionFactory(organization=school, status=Session.Status.FINALIZED)
    _student(school, "SANSCOMPTE", account=False)
    _student(school, "NONCOMMUNIQUE")
    _student(school, "NONCERTIFIABLE", certifiability=C.NOT_CERTIFIABLE)
    _student(school, "ACERTIFIER", certifiability=C.CERTIFIABLE)
    _candidate(_student(school, "INSCRIT", certifiability=C.CERTIFIABLE), upcoming)
    _candidate(_student(school, "ABSENT", certifiability=C.CERTIFIABLE), held, is_present=False)
    passed = _student(school, "PASSE", certifiability=C.CERTIFIABLE)
    _candidate(passed, held, is_present=True)
    certified = _student(school, "CERTIFIE", certifiability=C.CERTIFIABLE)
    CertificationResultFactory(candidate=_candidate(certified, held, is_present=True))
    rejected = _student(school, "REJETE", certifiability=C.CERTIFIABLE)
    CertificationResultFactory(
        candidate=_candidate(rejected, held, is_present=True),
        status=CertificationResult.Status.REJECTED,
    )
    caught_up = _student(school, "RATTRAPE", certifiability=C.CERTIFIABLE)
    _candidate(caught_up, held, is_present=False)
    _candidate(caught_up, upcoming)
    _student(school, "BAZIN", division="3B", account=False)
    _student(school, "CARON", division="3B", certifiability=C.CERTIFIABLE)
    _student(school, "QUATRIEME", division="4A", certifiability=C.CERTIFIABLE)
    gone = _student(school, "PARTI", certifiability=C.CERTIFIABLE)
    gone.is_disabled = True
    gone.save()
    StudentFactory(organization=OrganizationFactory(), division="3A")


def _board(client, school, query=""):
    page = client.get(f"/o/{school.id}/certification/preparation/{query}").content.decode()
    rows = {}
    for division, cells in re.findall(
        r'<th scope="row">([^<]+)</th>(.*?)</tr>', page, flags=re.DOTALL
    ):
        rows[division] = {
            state: int(re.sub(r"<[^>]+>", "", value).strip())
            for state, value in re.findall(r'data-state="([^"]+)">(.*?)</td>', cells, re.DOTALL)
        }
    return rows


def test_the_board_counts_each_student_once_per_class(bob_client, school, classes):
    rows = _board(bob_client, school)

    assert set(rows) == {"3A", "3B"}
    assert rows["3A"] == {
        "sans-compte": 1,
        "non-communique": 1,
        "non-certifiable": 1,
        "a-inscrire": 1,
        "inscrit": 4,  # enrolled, sat and waiting, rejected, caught up in a new session
        "absent": 1,
        "certifie": 1,
        "rattrapage": 2,
    }
    assert rows["3B"]["sans-compte"] == 1 and rows["3B"]["a-inscrire"] == 1


def test_every_class_is_shown_on_request(bob_client, school, classes):
    assert set(_board(bob_client, school, "?niveau=tous")) == {"3A", "3B", "4A"}


def test_a_number_opens_the_list_of_its_students(bob_client, school, classes):
    page = bob_client.get(
        f"/o/{school.id}/certification/preparation/eleves/rattrapage/?classe=3A"
    ).content.decode()

    assert "ABSENT" in page and "ACERTIFIER" in page
    assert "RATTRAPE" not in page and "CARON" not in page
    assert "Réinitialiser les mots de passe" not in page  # bob is a member


def test_an_admin_resets_the_passwords_of_the_listed_students(
    alice_client, school, classes, django_capture_on_commit_callbacks
):
    page = alice_client.get(
        f"/o/{school.id}/certification/preparation/eleves/sans-compte/"
    ).content.decode()
    assert f'formaction="/o/{school.id}/eleves/comptes/reinitialiser/"' in page
    ids = [s.pk for s in Student.objects.filter(last_name__in=["SANSCOMPTE", "BAZIN"])]

    confirm = alice_client.post(
        f"/o/{school.id}/eleves/comptes/reinitialiser/", {"student_ids": ids}
    )
    with django_capture_on_commit_callbacks(execute=True):
        reset = alice_client.post(
            f"/o/{school.id}/eleves/comptes/reinitialiser/confirmer/", {"student_ids": ids}
        )

    assert "2 élèves n'ont pas encore de compte" in confirm.content.decode()
    assert reset.status_code == 302
    assert Student.objects.filter(pk__in=ids, user__isnull=False).count() == 2
    assert AuditLog.objects.filter(action=AuditLog.Action.PASSWORDS_RESET).exists()


def test_an_admin_enrols_the_catch_up_list_and_the_counts_move(alice_client, school, classes):
    catch_up = SessionFactory(organization=school, room="Salle de rattrapage")
    ids = [s.pk for s in Student.objects.filter(last_name__in=["ABSENT", "ACERTIFIER"])]

    response = alice_client.post(
        f"/o/{school.id}/certification/preparation/inscrire/",
        {"student_ids": ids, "session": catch_up.pk},
    )

    assert response.status_code == 302
    assert Candidate.objects.filter(session=catch_up).count() == 2
    rows = _board(alice_client, school)
    assert rows["3A"]["inscrit"] == 6 and rows["3A"]["rattrapage"] == 0


def test_another_schools_session_cannot_be_used_to_enrol(alice_client, school, classes):
    elsewhere = SessionFactory(organization=OrganizationFactory())
    ids = [Student.objects.get(last_name="ACERTIFIER").pk]

    alice_client.post(
        f"/o/{school.id}/certification/preparation/inscrire/",
        {"student_ids": ids, "session": elsewhere.pk},
    )

    assert not Candidate.objects.filter(session=elsewhere).exists()
