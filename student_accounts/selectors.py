from collections.abc import Iterable
from dataclasses import dataclass

from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404

from accounts.models import Organization, User
from students.models import Student
from students.selectors import student_list, students_filtered

from .models import PasswordResetJob


@dataclass(frozen=True)
class PasswordResetPlan:
    """What a password reset will do to each selected student (domain §5)."""

    to_reset: list[Student]  # log in with an identifiant: a new one-time password
    to_create: list[Student]  # no account yet: an identifiant and a one-time password
    skipped: list[Student]  # e-mail or Mediacentre only: their password is not the school's

    @property
    def to_do(self) -> list[Student]:
        return self.to_reset + self.to_create

    @property
    def class_count(self) -> int:
        return len({student.division for student in self.to_do})


def password_reset_plan(*, students: Iterable[Student]) -> PasswordResetPlan:
    to_reset, to_create, skipped, seen_users = [], [], [], set()
    for student in students:
        if student.user is None:
            to_create.append(student)
        elif not student.user.username:
            skipped.append(student)
        elif student.user_id not in seen_users:
            seen_users.add(student.user_id)
            to_reset.append(student)
    return PasswordResetPlan(to_reset=to_reset, to_create=to_create, skipped=skipped)


def students_selected(*, organization: Organization, data: QueryDict) -> list[Student]:
    """The students ticked on the Élèves page, or all those matching its filters (select_all).

    An id that is not an active student of this school (another school's, say) fails the whole
    request with a 404: nothing is done to the others either.
    """
    if data.get("select_all") == "1":
        params = QueryDict(data.get("query", ""))
        return list(students_filtered(organization=organization, params=params))
    try:
        ids = {int(value) for value in data.getlist("student_ids")}
    except ValueError:
        raise Http404 from None
    students = list(student_list(organization=organization).filter(pk__in=ids))
    if len(students) != len(ids):
        raise Http404
    return students


def student_account_get(*, organization: Organization, student_id: int) -> Student:
    return get_object_or_404(student_list(organization=organization), pk=student_id)


def password_reset_job_get(
    *, organization: Organization, job_id: int, user: User
) -> PasswordResetJob:
    """Only the admin who asked for a reset sees it (and its one-time files)."""
    return get_object_or_404(
        PasswordResetJob.objects.select_related("csv_file", "slips_file"),
        pk=job_id,
        organization=organization,
        requested_by=user,
    )
