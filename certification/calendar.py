"""The national certification calendar (domain §6): when a school may hold its sessions."""

import datetime
from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import Organization

from .models import CertificationCalendar, school_year_of


def calendar_for(*, organization: Organization, day: datetime.date) -> CertificationCalendar | None:
    return CertificationCalendar.objects.filter(
        school_year=school_year_of(day), kind=organization.kind
    ).first()


def _date(day: datetime.date) -> str:
    return formats.date_format(day, "d/m/Y")


def session_date_refusal(*, organization: Organization, day: datetime.date) -> str | None:
    """Why a session cannot be held on `day`, or None. Without a national calendar for that
    school year there is nothing to enforce: the school prepares."""
    calendar = calendar_for(organization=organization, day=day)
    if calendar is None or calendar.contains(day):
        return None
    return _(
        "Le %(day)s est hors de la période nationale de certification des %(kind)s : les "
        "sessions se tiennent du %(start)s au %(end)s."
    ) % {
        "day": _date(day),
        "kind": _("collèges") if organization.kind == Organization.Kind.COLLEGE else _("lycées"),
        "start": _date(calendar.window_starts_on),
        "end": _date(calendar.window_ends_on),
    }


@dataclass(frozen=True)
class CalendarBanner:
    calendar: CertificationCalendar
    state: str  # "closed_space", "before", "open", "over"
    days: int

    @property
    def level(self) -> str:
        return {"open": "info", "over": "warning"}.get(self.state, "warning")


def calendar_banner(*, organization: Organization, today: datetime.date | None = None):
    today = today or timezone.localdate(timezone=organization.zoneinfo)
    calendar = calendar_for(organization=organization, day=today)
    if calendar is None:
        return None
    if today < calendar.space_opens_on:
        return CalendarBanner(calendar, "closed_space", (calendar.space_opens_on - today).days)
    if today < calendar.window_starts_on:
        return CalendarBanner(calendar, "before", (calendar.window_starts_on - today).days)
    if today <= calendar.window_ends_on:
        return CalendarBanner(calendar, "open", (calendar.window_ends_on - today).days + 1)
    return CalendarBanner(calendar, "over", 0)
