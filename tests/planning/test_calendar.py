"""The national calendar: sessions outside the school's window are refused, a banner says when."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Organization, organization_kind_guess
from accounts.services import organization_create
from certification.calendar import calendar_banner
from sessions.models import Session
from tests.planning.factories import CalendarFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen_today(monkeypatch):
    """The school's today is 15 January 2027 (time travel without a library).

    Request it before a logged-in client: a login made before the jump would have expired.
    """
    today = datetime.date(2027, 1, 15)
    monkeypatch.setattr(timezone, "localdate", lambda value=None, timezone=None: today)
    monkeypatch.setattr(
        timezone,
        "now",
        lambda: datetime.datetime(2027, 1, 15, 10, tzinfo=datetime.UTC),
    )
    return today


def _session_form(day):
    return {
        "address": "Bâtiment A",
        "room": "Salle 12",
        "date": day.isoformat(),
        "time": "09:00",
        "examiner": "Mme Durand",
    }


def test_a_session_outside_the_window_is_refused_with_the_dates(frozen_today, alice_client, school):
    CalendarFactory()

    response = alice_client.post(
        f"/o/{school.id}/sessions/creer/", _session_form(datetime.date(2027, 2, 10))
    )

    assert response.status_code == 200
    assert (
        "Le 10/02/2027 est hors de la période nationale de certification des collèges : les "
        "sessions se tiennent du 01/03/2027 au 11/06/2027."
    ) in response.content.decode()
    assert not Session.objects.exists()


def test_a_session_inside_the_window_is_created(frozen_today, alice_client, school):
    CalendarFactory()

    response = alice_client.post(
        f"/o/{school.id}/sessions/creer/", _session_form(datetime.date(2027, 3, 1))
    )

    assert response.status_code == 302
    assert Session.objects.get().date == datetime.date(2027, 3, 1)


def test_a_lycee_follows_the_lycees_window(frozen_today, alice_client, school):
    CalendarFactory()
    CalendarFactory(
        kind=Organization.Kind.LYCEE,
        space_opens_on=datetime.date(2026, 10, 5),
        window_starts_on=datetime.date(2026, 11, 2),
        window_ends_on=datetime.date(2027, 3, 26),
    )
    school.kind = Organization.Kind.LYCEE
    school.save()

    refused = alice_client.post(
        f"/o/{school.id}/sessions/creer/", _session_form(datetime.date(2027, 4, 6))
    )
    accepted = alice_client.post(
        f"/o/{school.id}/sessions/creer/", _session_form(datetime.date(2027, 2, 10))
    )

    assert "certification des lycées : les sessions se tiennent du 02/11/2026 au 26/03/2027" in (
        refused.content.decode()
    )
    assert accepted.status_code == 302


def test_an_existing_session_cannot_be_moved_out_of_the_window(frozen_today, alice_client, school):
    CalendarFactory()
    alice_client.post(f"/o/{school.id}/sessions/creer/", _session_form(datetime.date(2027, 3, 1)))
    session = Session.objects.get()

    response = alice_client.post(
        f"/o/{school.id}/sessions/{session.id}/modifier/", _session_form(datetime.date(2027, 6, 12))
    )

    assert "hors de la période nationale" in response.content.decode()
    session.refresh_from_db()
    assert session.date == datetime.date(2027, 3, 1)


def test_without_a_calendar_for_the_year_the_school_prepares_freely(
    frozen_today, alice_client, school
):
    response = alice_client.post(
        f"/o/{school.id}/sessions/creer/", _session_form(datetime.date(2027, 2, 10))
    )

    assert response.status_code == 302


def test_the_sessions_page_states_the_window_and_the_days_left(frozen_today, bob_client, school):
    CalendarFactory()

    page = bob_client.get(f"/o/{school.id}/sessions/").content.decode()

    assert "Période nationale de certification (Collège) : du 01/03/2027 au 11/06/2027." in page
    assert "L'espace de certification ouvre le 01/02/2027 (dans 17 jours)." in page


def test_the_banner_counts_the_days_left_in_the_window(school):
    CalendarFactory()

    before = calendar_banner(organization=school, today=datetime.date(2027, 2, 20))
    during = calendar_banner(organization=school, today=datetime.date(2027, 6, 10))
    after = calendar_banner(organization=school, today=datetime.date(2027, 6, 12))

    assert (before.state, before.days) == ("before", 9)
    assert (during.state, during.days) == ("open", 2)
    assert after.state == "over"


def test_a_school_kind_comes_from_its_name_and_the_operator_can_change_it(db):
    lycee, _ = organization_create(uai="0750003C", name="Lycée Simone-Veil")
    college, _ = organization_create(uai="0750004D", name="Collège Jean-Moulin")

    assert (lycee.kind, college.kind) == ("lycee", "college")
    assert organization_kind_guess("LP Jean-Jaurès") == "lycee"
