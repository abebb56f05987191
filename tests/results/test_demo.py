import pytest
from django.core.management import call_command

from certification.models import CompetenceScore
from results.models import CertificationResult
from sessions.models import Session

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_published_session_with_results_once(capsys):
    call_command("seed_demo")
    call_command("seed_demo")

    [session] = Session.objects.filter(status=Session.Status.PUBLISHED)
    assert session.candidates.count() == 25
    results = CertificationResult.objects.filter(candidate__session=session)
    assert results.count() == 23  # two absent
    assert set(results.values_list("status", flat=True)) == {"validated", "rejected"}
    assert not results.filter(verification_code__isnull=True).exists()
    lea = results.get(candidate__student__user__username="lea.martin0103")
    assert lea.published_at is not None


def test_a_demo_student_is_certified_only_in_competences_of_their_own_profile():
    call_command("seed_demo")

    lea = CertificationResult.objects.get(candidate__student__user__username="lea.martin0103")
    profile = dict(
        CompetenceScore.objects.filter(profile__user=lea.candidate.student.user).values_list(
            "competence__code", "level"
        )
    )
    certified = {mark.competence.code: mark.level for mark in lea.marks.filter(level__gte=1)}
    assert certified
    assert all(level <= profile[code] for code, level in certified.items())


def test_the_demo_has_a_session_that_took_place_and_waits_to_be_finalised(capsys):
    call_command("seed_demo")
    call_command("seed_demo")

    created = Session.objects.filter(status=Session.Status.CREATED)
    assert [session.has_started for session in created.order_by("date")] == [True, False]
    waiting = created.order_by("date").first()
    present = waiting.candidates.filter(is_present=True)
    assert waiting.candidates.count() == 12 and present.count() == 11
    assert not present.filter(has_seen_end_test_screen=False).exists()
