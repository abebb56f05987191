"""The per-class tally the Élèves page counts from: the database keeps it equal to the students
themselves, whatever writes them (students/migrations/0018)."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Count

from certification.certifiability import certifiability_recompute
from students.models import ClassTally, Student
from tests.factories import (
    OrganizationFactory,
    StudentFactory,
    StudentUserFactory,
    profile_with_levels,
)
from tests.students.imports import import_from_command
from tests.students.siecle_files import Eleve, siecle_xml

pytestmark = pytest.mark.django_db

KEY = ("organization_id", "division", "certifiability", "is_disabled")


def tally() -> list[tuple]:
    return sorted(ClassTally.objects.values_list(*KEY, "students"))


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
    assert (school.pk, "4EB", "not_available", False, 3) in tally()

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

    other_school.delete()  # its students go with it, and so do its rows
    assert tally() == counted()
    assert not ClassTally.objects.filter(organization_id=other_school.pk).exists()


def test_a_class_nobody_is_in_any_more_leaves_the_tally(school):
    student = StudentFactory(organization=school, division="3EA")
    student.division = "3EB"
    student.save()

    assert tally() == [(school.pk, "3EB", "not_available", False, 1)]


def test_imports_and_the_nightly_recompute_keep_it(school, tmp_path):
    eleves = [Eleve(ine=f"{70_000_000 + n:09d}AA", division=f"3E{n % 3}") for n in range(12)]
    import_from_command(school, siecle_xml(eleves), tmp_path)
    assert tally() == counted()
    assert sum(row[-1] for row in tally()) == 12

    moved = [*eleves[:6], Eleve(ine=eleves[6].ine, division="3E9")]  # five leave, one moves
    import_from_command(school, siecle_xml(moved), tmp_path)
    assert tally() == counted()
    assert (school.pk, "3E9", "not_available", False, 1) in tally()

    student = Student.objects.get(ine=eleves[0].ine)
    student.user = StudentUserFactory()
    student.save()
    profile_with_levels(student.user, [1] * 5)
    certifiability_recompute(organization_ids=[school.pk])
    assert Student.objects.get(pk=student.pk).certifiability == "certifiable"
    assert tally() == counted()


def test_a_new_school_has_no_rows():
    OrganizationFactory()

    assert tally() == []


def test_the_rebuild_command_counts_again_after_a_load_that_skipped_the_triggers(
    school, other_school
):
    StudentFactory.create_batch(3, organization=school, division="3EA")
    StudentFactory(organization=other_school, division="2NDE1", is_disabled=True)
    ClassTally.objects.filter(organization=school).update(students=99)  # out of step
    ClassTally.objects.filter(organization=other_school).delete()
    out = io.StringIO()

    call_command("class_tally_rebuild", stdout=out)

    assert tally() == counted()
    assert "2 ligne(s)" in out.getvalue()
