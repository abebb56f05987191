"""The planner's rules on hand-built cases: no database, the proposal and the conflicts."""

import datetime

from planning.planner import Pupil, Room, Slot, plan_conflicts, plan_propose

DAY = datetime.date(2027, 3, 8)
NEXT_DAY = datetime.date(2027, 3, 9)


def slot(hour, minute=0, invigilators=2, day=DAY):
    names = tuple(f"Surveillant {day.day}-{hour}-{n}" for n in range(invigilators))
    return Slot(day, datetime.time(hour, minute), names)


def klass(division, size, start=0, extra=None):
    extra = extra or {}
    return [
        Pupil(start + n, division, f"ÉLÈVE{start + n} Camille", extra.get(n, 0))
        for n in range(size)
    ]


def sessions_of(placements, pupils):
    result = {}
    for pupil in pupils:
        result.setdefault(pupil.division, set()).add(placements[pupil.id])
    return result


def test_each_class_is_kept_together_in_one_room_when_one_fits():
    pupils = klass("3A", 26) + klass("3B", 24, start=100) + klass("3C", 28, start=200)
    slots = [slot(8, invigilators=4), slot(10, 15, invigilators=4)]
    rooms = [Room("Salle 1", 30), Room("Salle 2", 30)]

    placements = plan_propose(pupils=pupils, slots=slots, rooms=rooms)

    assert all(len(s) == 1 for s in sessions_of(placements, pupils).values())
    assert (
        plan_conflicts(
            pupils=pupils, slots=slots, rooms=rooms, placements=placements, slot_refusals={}
        )
        == []
    )


def test_a_class_bigger_than_any_room_is_split_within_one_slot_and_seats_are_respected():
    pupils = klass("3A", 40)
    slots = [slot(8, invigilators=3), slot(10, 15, invigilators=3)]
    rooms = [Room("Salle 1", 24), Room("Salle 2", 20)]

    placements = plan_propose(pupils=pupils, slots=slots, rooms=rooms)

    used = sessions_of(placements, pupils)["3A"]
    assert {s for s, _room in used} == {0}
    for key in used:
        assert (
            sum(1 for p in pupils if placements[p.id] == key)
            <= dict((r.name, r.seats) for r in rooms)[key[1]]
        )
    conflicts = plan_conflicts(
        pupils=pupils, slots=slots, rooms=rooms, placements=placements, slot_refusals={}
    )
    assert [c.message for c in conflicts] == ["La classe 3A est répartie sur 2 sessions."]
    assert not any(c.blocking for c in conflicts)


def test_one_invigilator_per_twenty_candidates_limits_a_room():
    pupils = klass("3A", 25)
    slots = [slot(8, invigilators=1), slot(10, 15, invigilators=2)]
    rooms = [Room("Salle 1", 30)]

    placements = plan_propose(pupils=pupils, slots=slots, rooms=rooms)

    # 25 candidates need two invigilators: the 08:00 slot has one.
    assert {placements[p.id] for p in pupils} == {(1, "Salle 1")}


def test_too_few_invigilators_or_seats_are_blocking_conflicts_in_french():
    pupils = klass("3A", 25)
    slots = [slot(8, invigilators=1)]
    rooms = [Room("Salle 1", 22)]
    placements = {p.id: (0, "Salle 1") for p in pupils}

    messages = [
        c.message
        for c in plan_conflicts(
            pupils=pupils, slots=slots, rooms=rooms, placements=placements, slot_refusals={}
        )
        if c.blocking
    ]

    assert "Salle 1, le 08/03/2027 à 08:00 : 25 candidats pour 22 places." in messages
    assert (
        "Le 08/03/2027 à 08:00 : 2 surveillant(s) nécessaire(s) (un pour 20 candidats dans "
        "chaque salle), 1 disponible(s)." in messages
    )


def test_a_student_with_extra_time_goes_to_a_slot_long_enough():
    # 08:00, 10:00, 12:00: a 33 % extra time takes 2 h 35; only the 12:00 slot (the room is
    # free until the end of the day) is long enough.
    pupils = klass("3A", 20, extra={3: 33})
    slots = [slot(8), slot(10), slot(12)]
    rooms = [Room("Salle 1", 30)]

    placements = plan_propose(pupils=pupils, slots=slots, rooms=rooms)

    # The whole class goes where its extra-time student can finish.
    assert {placements[p.id] for p in pupils} == {(2, "Salle 1")}


def test_a_student_with_extra_time_moves_alone_when_the_class_cannot_follow():
    # The 12:00 slot has one invigilator: 20 candidates, too few for the class of 28.
    pupils = klass("3A", 28, extra={5: 33})
    slots = [slot(8), slot(10), slot(12, invigilators=1)]
    rooms = [Room("Salle 1", 30)]

    placements = plan_propose(pupils=pupils, slots=slots, rooms=rooms)

    assert placements[5] == (2, "Salle 1")
    assert {placements[p.id] for p in pupils if p.id != 5} == {(0, "Salle 1")}
    conflicts = plan_conflicts(
        pupils=pupils, slots=slots, rooms=rooms, placements=placements, slot_refusals={}
    )
    assert [(c.message, c.blocking) for c in conflicts] == [
        ("La classe 3A est répartie sur 2 sessions.", False)
    ]


def test_extra_time_in_a_short_slot_is_named_in_the_conflicts():
    pupils = klass("3A", 3, extra={0: 33})
    slots = [slot(8), slot(10)]
    rooms = [Room("Salle 1", 30)]
    placements = {p.id: (0, "Salle 1") for p in pupils}

    messages = [
        c.message
        for c in plan_conflicts(
            pupils=pupils, slots=slots, rooms=rooms, placements=placements, slot_refusals={}
        )
    ]

    assert messages == [
        "ÉLÈVE0 Camille (3A) a un temps majoré de 33 % : le créneau du 08/03/2027 à 08:00 ne le "
        "permet pas (fin à 10:35, salle reprise à 10:00)."
    ]


def test_slots_outside_the_window_are_not_used_and_are_conflicts_when_used_by_hand():
    pupils = klass("3A", 20)
    slots = [slot(8), slot(8, day=NEXT_DAY)]
    rooms = [Room("Salle 1", 30)]
    refusal = "Le 08/03/2027 est hors de la période nationale de certification."

    placements = plan_propose(pupils=pupils, slots=slots, rooms=rooms, refused_slots={0})
    assert {placements[p.id][0] for p in pupils} == {1}

    by_hand = {p.id: (0, "Salle 1") for p in pupils}
    conflicts = plan_conflicts(
        pupils=pupils, slots=slots, rooms=rooms, placements=by_hand, slot_refusals={0: refusal}
    )
    assert [c.message for c in conflicts] == [refusal]


def test_students_left_without_a_seat_are_listed():
    pupils = klass("3A", 35)
    slots = [slot(8)]
    rooms = [Room("Salle 1", 30)]

    placements = plan_propose(pupils=pupils, slots=slots, rooms=rooms)
    conflicts = plan_conflicts(
        pupils=pupils, slots=slots, rooms=rooms, placements=placements, slot_refusals={}
    )

    assert len(placements) == 30
    assert conflicts[0].message.startswith("5 élève(s) sans session : ÉLÈVE")
    assert conflicts[0].blocking


def test_overlapping_slots_are_a_conflict():
    pupils = klass("3A", 10) + klass("3B", 10, start=100)
    slots = [slot(8), slot(9)]
    rooms = [Room("Salle 1", 30)]
    placements = {p.id: (0 if p.division == "3A" else 1, "Salle 1") for p in pupils}

    messages = [
        c.message
        for c in plan_conflicts(
            pupils=pupils, slots=slots, rooms=rooms, placements=placements, slot_refusals={}
        )
    ]

    assert (
        "Les créneaux du 08/03/2027 à 08:00 et du 08/03/2027 à 09:00 se chevauchent : une "
        "session dure 2 h avec l'installation." in messages
    )
