"""Writes of the campaign: plans proposed, adjusted and applied; plan files imported.

Creating the sessions reuses sessions' own services (codes, enrolment rules): a plan only
decides who sits where and when.
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from certification.calendar import session_date_refusal
from sessions.models import Candidate, Session
from sessions.selectors import session_has_room_conflict, session_start_is_past
from sessions.services import candidates_add_students, session_create
from students.models import Student

from .models import SessionPlan
from .planner import (
    Conflict,
    Pupil,
    Room,
    Slot,
    invigilators_share,
    plan_conflicts,
    plan_propose,
)
from .selectors import plan_members, plan_students


class PlanConflictsError(Exception):
    def __init__(self, conflicts: list[Conflict]):
        super().__init__("; ".join(c.message for c in conflicts))
        self.conflicts = conflicts


class PlanAlreadyAppliedError(Exception):
    """The sessions of this plan were already created (a second click, another tab)."""


# --- Plan <-> value objects -------------------------------------------------------------------


def plan_slots(plan: SessionPlan) -> list[Slot]:
    return [
        Slot(
            datetime.date.fromisoformat(s["date"]),
            datetime.time.fromisoformat(s["time"]),
            tuple(s["invigilators"]),
        )
        for s in plan.slots
    ]


def plan_rooms(plan: SessionPlan) -> list[Room]:
    return [Room(r["name"], r["seats"]) for r in plan.rooms]


def plan_placements(plan: SessionPlan) -> dict[int, tuple[int, str]]:
    return {int(pk): (slot, room) for pk, (slot, room) in plan.placements.items()}


def _pupils(plan: SessionPlan, students: Sequence[Student]) -> list[Pupil]:
    return [
        Pupil(
            s.pk,
            s.division,
            f"{s.last_name} {s.first_name}",
            int(plan.extra_time.get(str(s.pk), 0) or 0),
        )
        for s in students
    ]


def _slot_refusals(organization: Organization, slots: list[Slot]) -> dict[int, str]:
    """The national window, and slots already past (sessions are planned ahead)."""
    refusals = {}
    for index, slot in enumerate(slots):
        refusal = session_date_refusal(organization=organization, day=slot.date)
        if refusal is None and session_start_is_past(
            organization=organization, date=slot.date, time=slot.time
        ):
            refusal = _("Le créneau du %(slot)s est déjà passé.") % {"slot": slot.label}
        if refusal:
            refusals[index] = refusal
    return refusals


@dataclass
class PlanView:
    """A plan read back for its page: the value objects, the sessions and the conflicts."""

    plan: SessionPlan
    slots: list[Slot]
    rooms: list[Room]
    pupils: list[Pupil]
    placements: dict[int, tuple[int, str]]
    conflicts: list[Conflict]

    @property
    def blocking(self) -> list[Conflict]:
        return [c for c in self.conflicts if c.blocking]

    def sessions(self) -> list[dict]:
        members: dict[tuple, list[Pupil]] = defaultdict(list)
        for pupil in self.pupils:
            if pupil.id in self.placements:
                members[self.placements[pupil.id]].append(pupil)
        load = Counter({key: len(value) for key, value in members.items()})
        shares = invigilators_share(slots=self.slots, rooms=self.rooms, load=load)
        seats = {room.name: room.seats for room in self.rooms}
        return [
            {
                "key": f"{slot}|{room}",
                "slot": self.slots[slot],
                "room": room,
                "seats": seats.get(room),
                # A plan file names the invigilators of each room; the planner shares them out.
                "invigilators": self.plan.slots[slot].get("by_room", {}).get(room)
                or shares.get((slot, room), []),
                "pupils": pupils,
                "classes": [
                    {"division": division, "ids": [p.id for p in group]}
                    for division, group in groupby(
                        sorted(pupils, key=lambda p: p.division), key=lambda p: p.division
                    )
                ],
            }
            for (slot, room), pupils in sorted(members.items())
        ]

    def unplaced(self) -> list[Pupil]:
        return [p for p in self.pupils if p.id not in self.placements]

    def targets(self) -> list[tuple[str, str]]:
        """Every (slot, room) a student or a class can be moved to."""
        return [
            (f"{index}|{room.name}", f"{slot.label} — {room.name}")
            for index, slot in enumerate(self.slots)
            for room in self.rooms
        ]


def plan_view(*, plan: SessionPlan) -> PlanView:
    slots, rooms = plan_slots(plan), plan_rooms(plan)
    students = plan_members(organization=plan.organization, student_ids=plan.student_ids)
    pupils = _pupils(plan, students)
    placements = plan_placements(plan)
    conflicts = plan_conflicts(
        pupils=pupils,
        slots=slots,
        rooms=rooms,
        placements=placements,
        slot_refusals=_slot_refusals(plan.organization, slots),
    )
    return PlanView(plan, slots, rooms, pupils, placements, conflicts)


# --- Proposing and adjusting ------------------------------------------------------------------


def _slots_json(slots: list[Slot]) -> list[dict]:
    return [
        {
            "date": s.date.isoformat(),
            "time": s.time.strftime("%H:%M"),
            "invigilators": list(s.invigilators),
        }
        for s in slots
    ]


def session_plan_propose(
    *,
    organization: Organization,
    address: str,
    divisions: list[str],
    slots: list[Slot],
    rooms: list[Room],
    created_by: User | None = None,
) -> SessionPlan:
    students = plan_students(organization=organization, divisions=divisions)
    extra_time = {str(s.pk): s.known_extra_time for s in students if s.known_extra_time}
    plan = SessionPlan(
        organization=organization,
        created_by=created_by if created_by and created_by.is_authenticated else None,
        address=address,
        divisions=divisions,
        student_ids=[s.pk for s in students],
        slots=_slots_json(slots),
        rooms=[{"name": r.name, "seats": r.seats} for r in rooms],
        extra_time=extra_time,
    )
    placements = plan_propose(
        pupils=_pupils(plan, students),
        slots=slots,
        rooms=rooms,
        refused_slots=set(_slot_refusals(organization, slots)),
    )
    plan.placements = {str(pk): list(place) for pk, place in placements.items()}
    plan.save()
    return plan


def _target(plan: SessionPlan, key: str) -> list:
    index, _sep, room = key.partition("|")
    if not index.isdigit() or int(index) >= len(plan.slots):
        raise ValueError(key)
    if room not in {r["name"] for r in plan.rooms}:
        raise ValueError(key)
    return [int(index), room]


@transaction.atomic
def session_plan_move_students(*, plan: SessionPlan, student_ids: list[int], target: str) -> int:
    """Move students (one, or a whole class) to another slot and room of the plan."""
    plan = SessionPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.is_applied:
        raise PlanAlreadyAppliedError
    place = _target(plan, target)
    for pk in student_ids:
        plan.placements[str(pk)] = place
    plan.save(update_fields=["placements"])
    return len(student_ids)


@transaction.atomic
def session_plan_change_room(*, plan: SessionPlan, source: str, room: str) -> None:
    """Give a session another room; if that room is used in the same slot, the two swap."""
    plan = SessionPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.is_applied:
        raise PlanAlreadyAppliedError
    slot, old_room = _target(plan, source)
    _target(plan, f"{slot}|{room}")
    for place in plan.placements.values():
        if place[0] == slot and place[1] in (old_room, room):
            place[1] = room if place[1] == old_room else old_room
    plan.save(update_fields=["placements"])


@transaction.atomic
def session_plan_set_extra_time(*, plan: SessionPlan, student_id: int, percentage: int) -> None:
    plan = SessionPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.is_applied:
        raise PlanAlreadyAppliedError
    if percentage:
        plan.extra_time[str(student_id)] = percentage
    else:
        plan.extra_time.pop(str(student_id), None)
    plan.save(update_fields=["extra_time"])


# --- Applying ---------------------------------------------------------------------------------


def _room_conflicts(view: PlanView) -> list[Conflict]:
    organization = view.plan.organization
    return [
        Conflict(
            _("%(room)s, le %(slot)s : une autre session a déjà lieu dans cette salle.")
            % {"room": session["room"], "slot": session["slot"].label}
        )
        for session in view.sessions()
        if session_has_room_conflict(
            organization=organization,
            address=view.plan.address,
            room=session["room"],
            date=session["slot"].date,
            time=session["slot"].time,
        )
    ]


@transaction.atomic
def session_plan_apply(*, plan: SessionPlan) -> list[Session]:
    """Every session of the plan and every enrolment, in one transaction: all or nothing."""
    plan = SessionPlan.objects.select_for_update().select_related("organization").get(pk=plan.pk)
    if plan.is_applied:
        raise PlanAlreadyAppliedError
    view = plan_view(plan=plan)
    blocking = view.blocking + _room_conflicts(view)
    if not view.pupils:
        blocking.append(Conflict(_("le plan ne place aucun élève.")))
    if blocking:
        raise PlanConflictsError(blocking)
    organization = plan.organization
    by_id = Student.objects.filter(organization=organization, is_disabled=False).in_bulk(
        [p.id for p in view.pupils]
    )
    sessions = []
    for planned in view.sessions():
        slot = planned["slot"]
        session = session_create(
            organization=organization,
            address=plan.address,
            room=planned["room"],
            date=slot.date,
            time=slot.time,
            examiner=", ".join(planned["invigilators"]),
            description=_("Créée par le planificateur (plan n° %(plan)s).") % {"plan": plan.pk},
        )
        candidates_add_students(
            session=session, students=[by_id[p.id] for p in planned["pupils"] if p.id in by_id]
        )
        sessions.append(session)
    # Keyed like Candidate.student_id (nullable), which the query below never leaves None.
    extra_time: dict[int | None, int] = {int(pk): pct for pk, pct in plan.extra_time.items() if pct}
    if extra_time:
        candidates = list(Candidate.objects.filter(session__in=sessions, student_id__in=extra_time))
        for candidate in candidates:
            candidate.extra_time_percentage = extra_time[candidate.student_id]
        Candidate.objects.bulk_update(candidates, ["extra_time_percentage"])
    plan.applied_at = timezone.now()
    plan.session_ids = [s.pk for s in sessions]
    plan.save(update_fields=["applied_at", "session_ids"])
    return sessions
