"""Demo national calendar: windows around today, so that planning can be tried with `make run`
whatever the date (the real 2023-24 dates are in domain.md §6)."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import Organization

from .models import CertificationCalendar, school_year_of


def seed_calendar() -> None:
    today = timezone.localdate()
    for kind in Organization.Kind.values:
        CertificationCalendar.objects.get_or_create(
            school_year=school_year_of(today),
            kind=kind,
            defaults={
                "space_opens_on": today - timedelta(days=60),
                "window_starts_on": today - timedelta(days=35),
                "window_ends_on": today + timedelta(days=100),
            },
        )
