"""Demo campaigns and national calendar for `manage.py seed_demo` (idempotent)."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import Membership, Organization
from students.models import Student

from .models import CampaignParticipation, CertificationCalendar, school_year_of
from .services import campaign_close, campaign_create, campaign_participation_share


def seed_campaigns(school, rng) -> None:
    """Two campaigns: one open for the 3e classes, one closed for the whole school, each with
    profiles sent by part of the students who have an account."""
    if school.campaigns.exists():
        return
    memberships = school.memberships.select_related("user").order_by("role", "pk")
    referent = next(
        (m.user for m in memberships if m.role == Membership.Role.MEMBER), memberships[0].user
    )
    third_grade = sorted(
        {d for d in school.students.values_list("division", flat=True) if d.startswith("3")}
    )
    autumn = campaign_create(
        organization=school, name="Profils de rentrée (toutes classes)", owner=referent
    )
    spring = campaign_create(
        organization=school,
        name="Préparation de la certification — 3e",
        owner=referent,
        divisions=third_grade,
    )
    with_profiles = Student.objects.filter(
        organization=school, is_disabled=False, user__competence_profile__isnull=False
    ).select_related("user")
    for student in with_profiles:
        user = student.user
        assert user is not None  # they have a profile
        if rng.random() < 0.4:
            campaign_participation_share(campaign=autumn, user=user)
        if student.division in third_grade and rng.random() < 0.6:
            campaign_participation_share(campaign=spring, user=user)
    CampaignParticipation.objects.filter(campaign=autumn).update(
        shared_at=timezone.now() - timedelta(days=45)
    )
    campaign_close(campaign=autumn)


def seed_calendar() -> None:
    """Windows around today, so that planning can be tried with `make run` whatever the date
    (the real 2023-24 dates are in domain.md §6)."""
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
