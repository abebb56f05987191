"""The certifiability rule at its edges, and the nightly job run for real on the database."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from certification.certifiability import (
    certifiability_recompute,
    certifiability_recompute_nightly,
    organizations_due_for_nightly_recompute,
)
from certification.models import CompetenceScore
from certification.referential import COMPETENCE_CODES
from certification.services import competence_profile_replace
from certification.tasks import certifiability_recompute_due
from pix_portal.celery import app
from students.models import Student
from tests.factories import (
    OrganizationFactory,
    StudentFactory,
    StudentUserFactory,
    profile_with_levels,
)

pytestmark = pytest.mark.django_db

CERTIFIABLE = Student.Certifiability.CERTIFIABLE
NOT_CERTIFIABLE = Student.Certifiability.NOT_CERTIFIABLE
NOT_AVAILABLE = Student.Certifiability.NOT_AVAILABLE


def student_with_profile(school, levels, **profile_kwargs):
    user = StudentUserFactory()
    profile_with_levels(user, levels, **profile_kwargs)
    return StudentFactory(organization=school, user=user)


def status_of(student):
    student.refresh_from_db()
    return student.certifiability


@pytest.mark.parametrize(
    "levels, expected",
    [
        ([1, 1, 1, 1], NOT_CERTIFIABLE),
        ([1, 1, 1, 1, 1], CERTIFIABLE),
        ([8, 8, 8, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], NOT_CERTIFIABLE),
        ([0] * 16, NOT_CERTIFIABLE),
        ([1] * 16, CERTIFIABLE),
        ([0, 2, 0, 3, 0, 1, 0, 6, 0, 1], CERTIFIABLE),
    ],
)
def test_a_student_is_certifiable_with_level_1_in_at_least_5_competences(school, levels, expected):
    student = student_with_profile(school, levels)
    certifiability_recompute()
    assert status_of(student) == expected


def test_a_student_without_profile_or_without_account_stays_not_communicated(school):
    without_account = StudentFactory(organization=school)
    without_profile = StudentFactory(organization=school, user=StudentUserFactory())
    assert certifiability_recompute(everyone=True) == 0
    assert status_of(without_account) == NOT_AVAILABLE
    assert status_of(without_profile) == NOT_AVAILABLE
    assert without_profile.certifiability_profile_date is None


def test_the_status_carries_the_date_of_the_profile_it_comes_from(school):
    computed_at = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
    student = student_with_profile(school, [1] * 5, computed_at=computed_at)
    certifiability_recompute()
    student.refresh_from_db()
    assert student.certifiability_profile_date == computed_at


def test_only_students_whose_profile_changed_are_recomputed_and_a_second_run_changes_nothing(
    school,
):
    unchanged = student_with_profile(school, [1] * 5)
    changing = student_with_profile(school, [1] * 4)
    assert certifiability_recompute() == 2
    assert certifiability_recompute() == 0

    competence_profile_replace(
        user=changing.user,
        computed_at=timezone.now(),
        scores={code: (1, 8) for code in COMPETENCE_CODES},
    )
    assert certifiability_recompute() == 1
    assert status_of(changing) == CERTIFIABLE
    assert status_of(unchanged) == CERTIFIABLE
    assert certifiability_recompute() == 0


def test_a_change_of_scores_alone_is_noticed_because_profiles_are_replaced_whole(school):
    student = student_with_profile(school, [1] * 5)
    certifiability_recompute()
    competence_profile_replace(
        user=student.user,
        computed_at=timezone.now(),
        scores={code: (0, 0) for code in COMPETENCE_CODES},
    )
    certifiability_recompute()
    assert status_of(student) == NOT_CERTIFIABLE


def test_disabled_students_are_left_as_they_were(school):
    student = student_with_profile(school, [1] * 5)
    Student.objects.filter(pk=student.pk).update(is_disabled=True)
    assert certifiability_recompute(everyone=True) == 0
    assert status_of(student) == NOT_AVAILABLE


def test_a_status_from_a_newer_profile_is_never_replaced_by_an_older_one(school):
    student = student_with_profile(school, [1] * 5, computed_at=timezone.now() - timedelta(days=30))
    newer = timezone.now() - timedelta(days=1)
    # As a shared campaign would have left it: newer information than the account's profile.
    Student.objects.filter(pk=student.pk).update(
        certifiability=NOT_CERTIFIABLE, certifiability_profile_date=newer
    )
    assert certifiability_recompute(everyone=True) == 0
    student.refresh_from_db()
    assert student.certifiability == NOT_CERTIFIABLE
    assert student.certifiability_profile_date == newer


def test_small_chunks_give_the_same_statuses_as_one_pass(school):
    students = [student_with_profile(school, [1] * n) for n in (0, 3, 4, 5, 6, 9, 16)]
    assert certifiability_recompute(chunk_size=2) == len(students)
    assert [status_of(s) for s in students] == [NOT_CERTIFIABLE] * 3 + [CERTIFIABLE] * 4


def test_a_run_limited_to_some_schools_leaves_the_others(school, other_school):
    here = student_with_profile(school, [1] * 5)
    there = student_with_profile(other_school, [1] * 5)
    assert certifiability_recompute(organization_ids=[school.pk]) == 1
    assert status_of(here) == CERTIFIABLE
    assert status_of(there) == NOT_AVAILABLE
    assert certifiability_recompute(organization_ids=[]) == 0


def test_the_night_comes_at_a_different_moment_in_paris_and_in_tahiti(
    school, other_school, settings
):
    settings.CERTIFIABILITY_RECOMPUTE_HOUR = 3
    paris_3am = datetime(2026, 1, 15, 2, 10, tzinfo=UTC)  # 03:10 in Paris, 16:10 in Tahiti
    tahiti_3am = datetime(2026, 1, 15, 13, 10, tzinfo=UTC)  # 14:10 in Paris, 03:10 in Tahiti
    assert organizations_due_for_nightly_recompute(now=paris_3am) == [school.pk]
    assert organizations_due_for_nightly_recompute(now=tahiti_3am) == [other_school.pk]

    here = student_with_profile(school, [1] * 5)
    there = student_with_profile(other_school, [1] * 5)
    assert certifiability_recompute_nightly(now=tahiti_3am) == 1
    assert (status_of(here), status_of(there)) == (NOT_AVAILABLE, CERTIFIABLE)


def test_the_beat_schedule_runs_the_recompute_every_hour_for_the_schools_at_night():
    app.loader.import_default_modules()
    entries = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "certification.tasks.certifiability_recompute_due"
    ]
    assert len(entries) == 1
    assert entries[0]["task"] in app.tasks
    schedule = entries[0]["schedule"]
    assert schedule.hour == set(range(24)) and len(schedule.minute) == 1


def test_the_beat_task_recomputes_the_schools_where_it_is_night(school, settings):
    student = student_with_profile(school, [1] * 5)
    local_now = timezone.now().astimezone(school.zoneinfo)
    settings.CERTIFIABILITY_RECOMPUTE_HOUR = local_now.hour
    certifiability_recompute_due.delay()
    assert status_of(student) == CERTIFIABLE


def test_the_command_recomputes_one_school_or_everything(school, other_school, capsys):
    here = student_with_profile(school, [1] * 5)
    there = student_with_profile(other_school, [1] * 5)
    call_command("recompute_certifiability", "--uai", school.uai.lower())
    assert "1 élève(s) mis à jour" in capsys.readouterr().out
    assert (status_of(here), status_of(there)) == (CERTIFIABLE, NOT_AVAILABLE)

    # --all recomputes even students whose profile did not change since.
    CompetenceScore.objects.filter(profile__user=here.user).update(level=0)
    call_command("recompute_certifiability", "--all")
    assert (status_of(here), status_of(there)) == (NOT_CERTIFIABLE, CERTIFIABLE)


def test_the_command_refuses_an_unknown_uai(db):
    OrganizationFactory(uai="0750001A")
    with pytest.raises(CommandError, match="0999999Z"):
        call_command("recompute_certifiability", "--uai", "0999999Z")


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="two real concurrent connections: PostgreSQL"
)
def test_two_overlapping_runs_update_each_student_once_and_agree(transactional_db):
    school = OrganizationFactory()
    students = [student_with_profile(school, [1] * (n % 8)) for n in range(40)]
    results, errors = [], []

    def run():
        try:
            results.append(certifiability_recompute(chunk_size=3))
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(results) == len(students)
    assert [status_of(s) for s in students] == [
        CERTIFIABLE if n % 8 >= 5 else NOT_CERTIFIABLE for n in range(40)
    ]
