import datetime

import factory

from accounts.models import Organization
from certification.models import CertificationCalendar


class CalendarFactory(factory.django.DjangoModelFactory):
    """The collèges' window of 2026-27, as the national operator would set it."""

    class Meta:
        model = CertificationCalendar

    school_year = 2026
    kind = Organization.Kind.COLLEGE
    space_opens_on = datetime.date(2027, 2, 1)
    window_starts_on = datetime.date(2027, 3, 1)
    window_ends_on = datetime.date(2027, 6, 11)
