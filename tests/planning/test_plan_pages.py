"""An admin plans the 3e classes, adjusts the plan and creates every session in one go."""

import datetime

import pytest
from django.utils import timezone

from planning.models import SessionPlan
from sessions.models import Candidate, Session
from tests.factories import CandidateFactory, SessionFactory, StudentFactory
from tests.planning.factories import CalendarFactory

pytestmark = pytest.mark.django_db


def _day(offset):
    return timezone.localdate() + datetime.timedelta(days=offset)


@pytest.fixture
def third_years(school):
    """3A: 26 students, 3B: 24 (one with a known extra time), a 4e that is not planned."""
    students = [
        StudentFactory(organization=school, division="3A", last_name=f"ALPHA{n:02d}")
        for n in range(26)
    ]
    students += [
        StudentFactory(organization=school, division="3B", last_name=f"BETA{n:02d}")
        for n in range(24)
    ]
    StudentFactory(organization=school, division="4A")
    earlier = SessionFactory(organization=school, status=Session.Status.FINALIZED, date=_day(-40))
    CandidateFactory(
        session=earlier, student=students[30], extra_time_percentage=33, is_present=False
    )
    return students


def _plan_form(**changes):
    data = {
        "address": "Bâtiment A",
        "divisions": ["3A", "3B"],
        "days": f"{_day(10):%d/%m/%Y}\n{_day(11):%d/%m/%Y}",
        "times": "08:00, 10:15",
        "rooms": "Salle 1 ; 30\nSalle 2 ; 26",
        "invigilators": "08:00 ; Mme Durand, M. Petit\n10:15 ; Mme Leroy, M. Roux",
    }
    data.update(changes)
    return data


def _propose(client, school, **changes):
    response = client.post(f"/o/{school.id}/certification/planification/", _plan_form(**changes))
    assert response.status_code == 302, response.context["form"].errors
    return SessionPlan.objects.latest("pk")


def test_the_planner_lists_the_3e_classes_only(alice_client, school, third_years):
    page = alice_client.get(f"/o/{school.id}/certification/planification/").content.decode()

    assert 'value="3A"' in page and 'value="3B"' in page and 'value="4A"' not in page


def test_the_planner_names_the_lines_it_cannot_read(alice_client, school, third_years):
    response = alice_client.post(
        f"/o/{school.id}/certification/planification/",
        _plan_form(days="08/03/2027\n31/02/2027", rooms="Salle 1 ; trente"),
    )

    page = response.content.decode()
    assert "Ligne 2 : « 31/02/2027 » n&#x27;est pas une date JJ/MM/AAAA." in page
    assert "Ligne 1 : écrivez « nom de la salle ; nombre de places »." in page
    assert not SessionPlan.objects.exists()


def test_a_proposal_keeps_classes_together_and_shows_no_conflict(alice_client, school, third_years):
    plan = _propose(alice_client, school)
    page = alice_client.get(
        f"/o/{school.id}/certification/planification/{plan.id}/"
    ).content.decode()

    assert "Aucun conflit" in page
    sessions = {tuple(place) for place in plan.placements.values()}
    assert len(sessions) == 2 and len(plan.placements) == 50
    assert plan.extra_time == {str(third_years[30].pk): 33}


def test_creating_the_sessions_enrols_everyone_in_one_go(alice_client, school, third_years):
    plan = _propose(alice_client, school)

    response = alice_client.post(
        f"/o/{school.id}/certification/planification/{plan.id}/creer/", follow=True
    )

    assert "2 sessions créées, 50 élèves inscrits." in response.content.decode()
    sessions = Session.objects.filter(organization=school, status=Session.Status.CREATED)
    assert sessions.count() == 2
    assert {s.examiner for s in sessions} <= {"Mme Durand, M. Petit", "Mme Leroy, M. Roux"}
    assert Candidate.objects.filter(session__in=sessions).count() == 50
    for session in sessions:
        assert len({c.division for c in session.candidates.all()}) == 1
    extra = Candidate.objects.get(session__in=sessions, student=third_years[30])
    assert extra.extra_time_percentage == 33

    again = alice_client.post(
        f"/o/{school.id}/certification/planification/{plan.id}/creer/", follow=True
    )
    assert "déjà créées" in again.content.decode()
    assert Session.objects.filter(status=Session.Status.CREATED).count() == 2


def test_moving_a_class_into_a_full_room_blocks_the_creation(alice_client, school, third_years):
    plan = _propose(alice_client, school)
    beta = [s.pk for s in third_years if s.division == "3B"]
    alpha_place = plan.placements[str(third_years[0].pk)]

    alice_client.post(
        f"/o/{school.id}/certification/planification/{plan.id}/ajuster/",
        {"action": "deplacer", "student_ids": beta, "target": f"{alpha_place[0]}|{alpha_place[1]}"},
    )
    page = alice_client.get(
        f"/o/{school.id}/certification/planification/{plan.id}/"
    ).content.decode()
    response = alice_client.post(
        f"/o/{school.id}/certification/planification/{plan.id}/creer/", follow=True
    )

    assert f"{alpha_place[1]}, le " in page and ": 50 candidats pour" in page
    assert "3 surveillant(s) nécessaire(s)" in page
    assert "Aucune session n&#x27;est créée" in response.content.decode()
    assert not Session.objects.filter(status=Session.Status.CREATED).exists()


def test_moving_one_student_and_changing_a_room(alice_client, school, third_years):
    plan = _propose(alice_client, school)
    student = third_years[0]
    slot, room = plan.placements[str(student.pk)]
    url = f"/o/{school.id}/certification/planification/{plan.id}/ajuster/"

    alice_client.post(
        url, {"action": "deplacer", "student_ids": [student.pk], "target": "3|Salle 2"}
    )
    alice_client.post(
        url,
        {
            "action": "salle",
            "source": f"{slot}|{room}",
            "room": "Salle 2" if room == "Salle 1" else "Salle 1",
        },
    )
    plan.refresh_from_db()

    assert plan.placements[str(student.pk)] == [3, "Salle 2"]
    assert plan.placements[str(third_years[1].pk)] == [
        slot,
        "Salle 2" if room == "Salle 1" else "Salle 1",
    ]


def test_extra_time_set_in_the_plan_follows_the_student(alice_client, school, third_years):
    plan = _propose(alice_client, school, times="08:00, 10:00")
    student = third_years[0]
    url = f"/o/{school.id}/certification/planification/{plan.id}/ajuster/"
    alice_client.post(
        url, {"action": "deplacer", "student_ids": [student.pk], "target": "0|Salle 2"}
    )

    alice_client.post(url, {"action": "temps-majore", "student_id": student.pk, "percentage": "33"})
    page = alice_client.get(
        f"/o/{school.id}/certification/planification/{plan.id}/"
    ).content.decode()

    assert "a un temps majoré de 33 % : le créneau du" in page
    assert "(fin à 10:35, salle reprise à 10:00)" in page


def test_days_outside_the_national_window_are_not_used(alice_client, school, third_years):
    CalendarFactory(
        school_year=_day(10).year if _day(10).month >= 9 else _day(10).year - 1,
        space_opens_on=_day(-30),
        window_starts_on=_day(-5),
        window_ends_on=_day(10),
    )

    plan = _propose(alice_client, school, times="08:00")

    # One slot a day: the first day holds one class, the day after the window holds none.
    page = alice_client.get(
        f"/o/{school.id}/certification/planification/{plan.id}/"
    ).content.decode()
    assert {place[0] for place in plan.placements.values()} == {0}
    assert "élève(s) sans session" in page


def test_a_planned_room_already_taken_by_a_session_blocks_the_creation(
    alice_client, school, third_years
):
    plan = _propose(alice_client, school)
    slot, room = plan.placements[str(third_years[0].pk)]
    planned = plan.slots[slot]
    SessionFactory(
        organization=school,
        address="Bâtiment A",
        room=room,
        date=datetime.date.fromisoformat(planned["date"]),
        time=datetime.time.fromisoformat(planned["time"]),
    )

    response = alice_client.post(
        f"/o/{school.id}/certification/planification/{plan.id}/creer/", follow=True
    )

    assert "une autre session a déjà lieu dans cette salle" in response.content.decode()
    assert Session.objects.count() == 2


def test_a_plan_with_nobody_left_to_place_creates_nothing(alice_client, school, third_years):
    SessionFactory(organization=school)
    upcoming = Session.objects.get(status=Session.Status.CREATED)
    for student in third_years:
        CandidateFactory(session=upcoming, student=student, last_name=student.last_name)
    plan = _propose(alice_client, school)

    page = alice_client.get(
        f"/o/{school.id}/certification/planification/{plan.id}/"
    ).content.decode()
    response = alice_client.post(
        f"/o/{school.id}/certification/planification/{plan.id}/creer/", follow=True
    )

    assert "Aucun élève à placer" in page and "Créer les" not in page
    assert "le plan ne place aucun élève." in response.content.decode()
    assert Session.objects.count() == 2
