"""The session planner: a proposal that places students in (time slot, room) sessions, and the
list of what breaks the rules in any placement (the proposal or the admin's adjustments).

Pure functions over small value objects: no database, so a 250-student plan is proposed in
milliseconds and the rules are tested without rows.
"""

import datetime
import math
from collections import Counter, defaultdict
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

SETUP_MINUTES = 15
TEST_MINUTES = 105  # 1 h 45; with the set-up a session takes 2 h
SLOT_MINUTES = SETUP_MINUTES + TEST_MINUTES
DAY_ENDS_AT = datetime.time(18, 0)
CANDIDATES_PER_INVIGILATOR = 20


@dataclass(frozen=True)
class Slot:
    date: datetime.date
    time: datetime.time
    invigilators: tuple[str, ...] = ()

    @property
    def starts(self) -> datetime.datetime:
        return datetime.datetime.combine(self.date, self.time)

    @property
    def label(self) -> str:
        return f"{self.date:%d/%m/%Y} à {self.time:%H:%M}"


@dataclass(frozen=True)
class Room:
    name: str
    seats: int | None = None


@dataclass(frozen=True)
class Pupil:
    id: int
    division: str
    name: str
    extra_time: int = 0


Placement = tuple[int, str]  # (slot index, room name)


@dataclass(frozen=True)
class Conflict:
    message: str
    blocking: bool = True


def session_end(slot: Slot, extra_time: int = 0) -> datetime.datetime:
    """When the last candidate of the slot finishes (extra time lengthens the test only)."""
    test = math.ceil(TEST_MINUTES * (100 + extra_time) / 100)
    return slot.starts + datetime.timedelta(minutes=SETUP_MINUTES + test)


def slot_limits(slots: list[Slot]) -> list[datetime.datetime]:
    """Each slot's room must be free for the next slot of the day (or at the end of the day)."""
    limits = []
    for slot in slots:
        later = [s.starts for s in slots if s.date == slot.date and s.starts > slot.starts]
        limits.append(min(later, default=datetime.datetime.combine(slot.date, DAY_ENDS_AT)))
    return limits


def slot_allows(slots: list[Slot], limits: list, index: int, extra_time: int) -> bool:
    return session_end(slots[index], extra_time) <= limits[index]


@dataclass
class _Grid:
    """Seats and invigilators left while placing: one invigilator per 20 candidates of a room."""

    slots: list[Slot]
    rooms: list[Room]
    usable: list[int]
    load: Counter = field(default_factory=Counter)

    def need(self, slot: int, skip_room: str | None = None) -> int:
        return sum(
            math.ceil(self.load[(slot, room.name)] / CANDIDATES_PER_INVIGILATOR)
            for room in self.rooms
            if room.name != skip_room
        )

    def free(self, slot: int, room: Room) -> int:
        invigilators = len(self.slots[slot].invigilators) - self.need(slot, skip_room=room.name)
        limit = max(0, invigilators) * CANDIDATES_PER_INVIGILATOR
        if room.seats is not None:
            limit = min(limit, room.seats)
        return max(0, limit - self.load[(slot, room.name)])


def plan_propose(
    *,
    pupils: list[Pupil],
    slots: list[Slot],
    rooms: list[Room],
    refused_slots: AbstractSet[int] = frozenset(),
) -> dict[int, Placement]:
    """Classes whole in one room where one fits (best fit, earliest first), else whole in one
    slot across rooms, else wherever seats are left; then each student with extra time moves
    to a slot long enough for it if theirs is not."""
    limits = slot_limits(slots)
    grid = _Grid(slots, rooms, [i for i in range(len(slots)) if i not in refused_slots])
    classes: dict[str, list[Pupil]] = defaultdict(list)
    for pupil in pupils:
        classes[pupil.division].append(pupil)
    placements: dict[int, Placement] = {}

    def place(members: list[Pupil], slot: int, room: Room) -> None:
        for pupil in members:
            placements[pupil.id] = (slot, room.name)
        grid.load[(slot, room.name)] += len(members)

    for _division, members in sorted(classes.items(), key=lambda item: (-len(item[1]), item[0])):
        most_extra = max((p.extra_time for p in members), default=0)
        size = len(members)
        whole = [
            (not slot_allows(slots, limits, slot, most_extra), free - size, slot, index)
            for slot in grid.usable
            for index, room in enumerate(rooms)
            if (free := grid.free(slot, room)) >= size
        ]
        if whole:
            _, _, slot, index = min(whole)
            place(members, slot, rooms[index])
            continue
        rest = list(members)
        for slot in sorted(grid.usable, key=lambda s: -sum(grid.free(s, r) for r in rooms)):
            if sum(grid.free(slot, room) for room in rooms) >= size:
                for room in sorted(rooms, key=lambda r: -grid.free(slot, r)):
                    taken, rest = rest[: grid.free(slot, room)], rest[grid.free(slot, room) :]
                    place(taken, slot, room)
                break
        for slot in grid.usable:
            for room in rooms:
                if not rest:
                    break
                taken, rest = rest[: grid.free(slot, room)], rest[grid.free(slot, room) :]
                if taken:
                    place(taken, slot, room)

    for pupil in pupils:
        if not pupil.extra_time or pupil.id not in placements:
            continue
        slot, room_name = placements[pupil.id]
        if slot_allows(slots, limits, slot, pupil.extra_time):
            continue
        options = [
            (slots[s].date != slots[slot].date, s, index)
            for s in grid.usable
            if slot_allows(slots, limits, s, pupil.extra_time)
            for index, room in enumerate(rooms)
            if grid.free(s, room) > 0
        ]
        if options:
            _, new_slot, index = min(options)
            grid.load[(slot, room_name)] -= 1
            place([pupil], new_slot, rooms[index])
    return placements


def invigilators_share(
    *, slots: list[Slot], rooms: list[Room], load: Counter
) -> dict[Placement, list[str]]:
    """The invigilators of each slot given out room by room: each room gets one per 20
    candidates, the ones left over go to the fullest rooms."""
    shares: dict[Placement, list[str]] = {}
    for index, slot in enumerate(slots):
        used = [room.name for room in rooms if load[(index, room.name)]]
        names = list(slot.invigilators)
        for name in used:
            need = max(1, math.ceil(load[(index, name)] / CANDIDATES_PER_INVIGILATOR))
            shares[(index, name)], names = names[:need], names[need:]
        for name in sorted(used, key=lambda n: -load[(index, n)]):
            if names:
                shares[(index, name)].append(names.pop(0))
    return shares


def plan_conflicts(
    *,
    pupils: list[Pupil],
    slots: list[Slot],
    rooms: list[Room],
    placements: dict[int, Placement],
    slot_refusals: dict[int, str],
) -> list[Conflict]:
    """Everything that breaks a rule, in French; blocking ones prevent creating the sessions."""
    conflicts: list[Conflict] = []
    limits = slot_limits(slots)
    load = Counter(placements[p.id] for p in pupils if p.id in placements)
    used_slots = sorted({slot for slot, _room in load})
    seats = {room.name: room.seats for room in rooms}

    unplaced = [p for p in pupils if p.id not in placements]
    if unplaced:
        names = ", ".join(f"{p.name} ({p.division})" for p in unplaced[:10])
        more = len(unplaced) - 10
        conflicts.append(
            Conflict(
                _("%(count)d élève(s) sans session : %(names)s%(more)s.")
                % {
                    "count": len(unplaced),
                    "names": names,
                    "more": _(" et %(n)d autres") % {"n": more} if more > 0 else "",
                }
            )
        )
    for slot in used_slots:
        if slot in slot_refusals:
            conflicts.append(Conflict(slot_refusals[slot]))
    for first in used_slots:
        for second in used_slots:
            if (
                first < second
                and slots[first].date == slots[second].date
                and abs((slots[first].starts - slots[second].starts).total_seconds())
                < SLOT_MINUTES * 60
            ):
                conflicts.append(
                    Conflict(
                        _(
                            "Les créneaux du %(first)s et du %(second)s se chevauchent : une "
                            "session dure 2 h avec l'installation."
                        )
                        % {"first": slots[first].label, "second": slots[second].label}
                    )
                )
    for (slot, room), count in sorted(load.items()):
        if room not in seats:
            conflicts.append(
                Conflict(
                    _("La salle « %(room)s » n'est pas dans la liste des salles.") % {"room": room}
                )
            )
        elif (room_seats := seats[room]) is not None and count > room_seats:
            conflicts.append(
                Conflict(
                    _("%(room)s, le %(slot)s : %(count)d candidats pour %(seats)d places.")
                    % {
                        "room": room,
                        "slot": slots[slot].label,
                        "count": count,
                        "seats": seats[room],
                    }
                )
            )
    for slot in used_slots:
        need = sum(
            max(1, math.ceil(count / CANDIDATES_PER_INVIGILATOR))
            for (s, _room), count in load.items()
            if s == slot
        )
        available = len(slots[slot].invigilators)
        if need > available:
            conflicts.append(
                Conflict(
                    _(
                        "Le %(slot)s : %(need)d surveillant(s) nécessaire(s) (un pour 20 "
                        "candidats dans chaque salle), %(available)d disponible(s)."
                    )
                    % {"slot": slots[slot].label, "need": need, "available": available}
                )
            )
    for pupil in pupils:
        if not pupil.extra_time or pupil.id not in placements:
            continue
        slot = placements[pupil.id][0]
        if not slot_allows(slots, limits, slot, pupil.extra_time):
            conflicts.append(
                Conflict(
                    _(
                        "%(name)s (%(division)s) a un temps majoré de %(pct)d %% : le créneau du "
                        "%(slot)s ne le permet pas (fin à %(end)s, salle reprise à %(limit)s)."
                    )
                    % {
                        "name": pupil.name,
                        "division": pupil.division,
                        "pct": pupil.extra_time,
                        "slot": slots[slot].label,
                        "end": f"{session_end(slots[slot], pupil.extra_time):%H:%M}",
                        "limit": f"{limits[slot]:%H:%M}",
                    }
                )
            )
    sessions_per_class: dict[str, set] = defaultdict(set)
    for pupil in pupils:
        if pupil.id in placements:
            sessions_per_class[pupil.division].add(placements[pupil.id])
    for division, sessions in sorted(sessions_per_class.items()):
        if len(sessions) > 1:
            conflicts.append(
                Conflict(
                    _("La classe %(division)s est répartie sur %(count)d sessions.")
                    % {"division": division, "count": len(sessions)},
                    blocking=False,
                )
            )
    return conflicts
