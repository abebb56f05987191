"""The per-class tally the Élèves page counts from: its entries add up to the students
themselves, whatever writes them (students/migrations/0018), and compacting keeps the sums."""

import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count, Sum

from certification.certifiability import certifiability_recompute
from conftest import service_unavailable
from students.models import ClassTally, Student
from students.services import class_tally_compact
from students.tasks import class_tally_compact_task
from tests.factories import (
    StudentFactory,
    StudentUserFactory,
    profile_with_levels,
)
from tests.students.imports import import_from_command
from tests.students.siecle_files import Eleve, siecle_xml

pytestmark = pytest.mark.django_db

KEY = ("organization_id", "division", "certifiability", "is_disabled", "connection_bits")


def tally() -> list[tuple]:
    """The entries added up per school, class, status, disabled flag and connection methods
    (none at zero)."""
    return sorted(
        ClassTally.objects.order_by()
        .values(*KEY)
        .annotate(total=Sum("students"))
        .exclude(total=0)
        .values_list(*KEY, "total")
    )


def counted() -> list[tuple]:
    """The same figures counted from the students."""
    return sorted(
        Student.objects.order_by()
        .values(*KEY)
        .annotate(students=Count("pk"))
        .values_list(*KEY, "students")
    )


def test_the_tally_follows_each_way_students_are_written(school, other_school):
    first = StudentFactory(organization=school, division="3EA")
    StudentFactory(organization=school, division="3EA")
    StudentFactory(organization=other_school, division="3EA")
    Student.objects.bulk_create(
        [StudentFactory.build(organization=school, division="4EB") for _ in range(3)]
    )
    assert tally() == counted()
    assert (school.pk, "4EB", "not_available", False, 0, 3) in tally()

    first.division = "3EB"  # a change through save()
    first.save()
    assert tally() == counted()

    Student.objects.filter(division="4EB").update(certifiability="certifiable")
    Student.objects.filter(organization=school, division="3EA").update(is_disabled=True)
    assert tally() == counted()

    first.last_name = "MARTIN"  # a change the tally does not count leaves it as it was
    first.save()
    assert tally() == counted()

    Student.objects.filter(division="4EB").first().delete()
    assert tally() == counted()

    other_school.delete()  # its students go with it: its entries add up to nothing
    assert tally() == counted()


def test_compacting_keeps_one_entry_per_class_and_status_with_the_same_sums(school, other_school):
    student = StudentFactory(organization=school, division="3EA")
    StudentFactory.create_batch(2, organization=school, division="3EA")
    student.division = "3EB"  # 3EA: +1 +1 +1 -1; 3EB: +1
    student.save()
    gone = StudentFactory(organization=other_school, division="2NDE1")
    gone.delete()  # other school: +1 -1
    before = tally()

    assert class_tally_compact() == 2

    assert tally() == before == counted()
    assert sorted(ClassTally.objects.values_list(*KEY, "students")) == [
        (school.pk, "3EA", "not_available", False, 0, 2),
        (school.pk, "3EB", "not_available", False, 0, 1),
    ]
    assert class_tally_compact() == 0  # nothing left to sum


def test_imports_and_the_nightly_recompute_keep_it(school, tmp_path):
    eleves = [Eleve(ine=f"{70_000_000 + n:09d}AA", division=f"3E{n % 3}") for n in range(12)]
    import_from_command(school, siecle_xml(eleves), tmp_path)
    assert tally() == counted()
    assert sum(row[-1] for row in tally()) == 12

    moved = [*eleves[:6], Eleve(ine=eleves[6].ine, division="3E9")]  # five leave, one moves
    import_from_command(school, siecle_xml(moved), tmp_path)
    assert tally() == counted()
    assert (school.pk, "3E9", "not_available", False, 0, 1) in tally()

    student = Student.objects.get(ine=eleves[0].ine)
    student.user = StudentUserFactory()
    student.save()
    profile_with_levels(student.user, [1] * 5)
    certifiability_recompute(organization_ids=[school.pk])
    assert Student.objects.get(pk=student.pk).certifiability == "certifiable"
    assert tally() == counted()


def test_the_rebuild_command_counts_again_after_a_load_that_skipped_the_triggers(
    school, other_school
):
    StudentFactory.create_batch(3, organization=school, division="3EA")
    StudentFactory(organization=other_school, division="2NDE1", is_disabled=True)
    ClassTally.objects.filter(organization=school).update(students=99)  # out of step
    ClassTally.objects.filter(organization=other_school).delete()
    out = io.StringIO()

    call_command("class_tally_rebuild", stdout=out)

    assert sorted(ClassTally.objects.values_list(*KEY, "students")) == counted()
    assert "2 ligne(s)" in out.getvalue()


def test_the_beat_compacts_the_tally_every_hour(school, settings):
    entries = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "students.tasks.class_tally_compact_task"
    ]
    assert len(entries) == 1 and entries[0]["schedule"].hour == set(range(24))
    StudentFactory.create_batch(3, organization=school, division="3EA")

    class_tally_compact_task.apply()

    assert ClassTally.objects.get().students == 3


def test_a_write_committed_while_the_tally_is_compacted_is_kept(transactional_db, school):
    """A student's class changes in a transaction still open while the hourly compaction runs:
    its entries, appended but not yet committed, are neither deleted nor summed by it, and
    once committed the tally adds up to the students. Two real connections: PostgreSQL."""
    if connection.vendor != "postgresql":
        service_unavailable("deux connexions concurrentes : PostgreSQL")
    student = StudentFactory(organization=school, division="3EA")
    StudentFactory.create_batch(2, organization=school, division="3EA")
    written, go_on, errors = threading.Event(), threading.Event(), []

    def move_to_another_class():
        try:
            with transaction.atomic():
                Student.objects.filter(pk=student.pk).update(division="3EB")
                written.set()
                go_on.wait(timeout=10)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    writer = threading.Thread(target=move_to_another_class)
    writer.start()
    assert written.wait(timeout=10)
    assert class_tally_compact() == 1  # the school's three +1 entries, summed
    assert writer.is_alive()  # the compaction did not wait for the open transaction
    go_on.set()
    writer.join()

    assert errors == []
    assert (
        tally()
        == counted()
        == [
            (school.pk, "3EA", "not_available", False, 0, 2),
            (school.pk, "3EB", "not_available", False, 0, 1),
        ]
    )
