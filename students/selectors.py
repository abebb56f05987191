import re
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum, Window
from django.http import QueryDict

from accounts.models import Organization
from core.names import name_fold
from core.sql import in_values

from .forms import StudentFilterForm
from .models import ClassTally, Student

SORTS = {
    "nom": ["search_name", "pk"],
    "-nom": ["-search_name", "-pk"],
    "classe": ["division", "search_name", "pk"],
    "-classe": ["-division", "search_name", "pk"],
    "participations": ["participation_count", "search_name", "pk"],
    "-participations": ["-participation_count", "search_name", "pk"],
}


def _bits_with(method: Student.Connection) -> list[int]:
    return [bits for bits in range(2 ** len(Student.Connection)) if bits & method]


# Per connection filter of the page, the students' `connection_bits` it keeps: the same values
# for their rows and for the tally's count.
CONNECTION_FILTERS = {
    "identifiant": _bits_with(Student.Connection.USERNAME),
    "email": _bits_with(Student.Connection.EMAIL),
    "mediacentre": _bits_with(Student.Connection.MEDIACENTRE),
    "aucune": [0],
}


def student_list(
    *, organization: Organization, include_disabled: bool = False
) -> QuerySet[Student]:
    students = Student.objects.filter(organization=organization).select_related("user")
    if not include_disabled:
        students = students.filter(is_disabled=False)
    return students.order_by("last_name", "first_name", "pk")


def student_filter_form(params: QueryDict) -> StudentFilterForm:
    form = StudentFilterForm(params)
    form.is_valid()
    return form


def students_filtered(
    *, organization: Organization, params: QueryDict, form: StudentFilterForm | None = None
) -> QuerySet[Student]:
    """The students the Élèves page shows for these query parameters (filters, sort).

    `params` is the page's query string (request.GET): recherche, classe (several),
    connexion, certificabilite (several), desactives, tri; `form`, the page's own form of
    these parameters when it has one already.
    """
    form = form or student_filter_form(params)
    students = Student.objects.filter(organization=organization).select_related("user")
    if not form.value("desactives"):
        students = students.filter(is_disabled=False)
    for word in name_fold(form.value("recherche", "")).split():
        students = students.filter(search_name__contains=word)
    if divisions := form.value("classe"):
        students = students.filter(division__in=divisions)
    if connection := form.value("connexion"):
        students = students.filter(connection_bits__in=CONNECTION_FILTERS[connection])
    if statuses := form.value("certificabilite"):
        students = students.filter(certifiability__in=statuses)
    return students.order_by(*SORTS[form.value("tri", "nom")])


class StudentIdsPaginator(Paginator):
    """Pages of the filtered ids; a page past the middle is read from the end in the reverse
    order, so that its OFFSET skips at most half of the list (the last page costs the first).
    `count`, when known already (`students_filtered_count`), spares counting the ids; when it
    is not (a search), the page asked for is read with the number of matches, in one scan."""

    object_list: QuerySet[Student, int]  # students_filtered(…).values_list("pk", flat=True)

    def __init__(
        self, object_list: QuerySet[Student, int], per_page: int, *, count: int | None = None
    ) -> None:
        super().__init__(object_list, per_page)
        if count is not None:
            self.__dict__["count"] = count  # Paginator.count is a cached_property

    def get_page(self, number: int | float | str | None) -> Page:
        if "count" in self.__dict__:
            return super().get_page(number)
        try:
            number = int(number or 1)
        except (TypeError, ValueError):
            number = 1  # as Paginator.get_page: not a number reads the first page
        if number >= 1:
            # A search: the database finds every match to count them anyway, and the same
            # scan gives the page (COUNT(*) OVER () is the number of matches on each row).
            bottom = (number - 1) * self.per_page
            rows = list(
                self.object_list.values_list("pk", Window(Count("*")))[
                    bottom : bottom + self.per_page
                ]
            )
            if rows or number == 1:
                self.__dict__["count"] = rows[0][1] if rows else 0
                return self._get_page([pk for pk, _matches in rows], number, self)  # type: ignore[attr-defined]
        return super().get_page(number)  # past the last page: counted, then the last page

    def page(self, number: int | str) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        # `_get_page` is Paginator's documented hook for the Page class; django-stubs lacks it.
        if bottom <= self.count // 2:
            return self._get_page(list(self.object_list[bottom:top]), number, self)  # type: ignore[attr-defined]
        ids = list(self.object_list.reverse()[self.count - top : self.count - bottom])
        return self._get_page(ids[::-1], number, self)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class ClassSummary:
    division: str
    students: int
    certifiable: int
    not_certifiable: int
    not_available: int


def class_summaries(*, organization: Organization) -> list[ClassSummary]:
    """Per class: active students and how many are certifiable, not, or not communicated,
    added up from the school's tally."""
    statuses = Student.Certifiability

    def students(status: str | None = None) -> Sum:
        return Sum("students", filter=Q(certifiability=status) if status else None, default=0)

    rows = (
        ClassTally.objects.filter(organization=organization, is_disabled=False)
        .values("division")
        .annotate(
            active=students(),
            certifiable=students(statuses.CERTIFIABLE),
            not_certifiable=students(statuses.NOT_CERTIFIABLE),
            not_available=students(statuses.NOT_AVAILABLE),
        )
        .filter(active__gt=0)
        .order_by()
    )
    summaries = [
        ClassSummary(
            division=row["division"],
            students=row["active"],
            certifiable=row["certifiable"],
            not_certifiable=row["not_certifiable"],
            not_available=row["not_available"],
        )
        for row in rows
    ]
    return sorted(summaries, key=lambda summary: division_sort_key(summary.division))


def division_sort_key(division: str) -> str:
    """Classes in the order a French reader expects (3E2 before 3e3, É with E), on every page."""
    return name_fold(division)


def organization_divisions(*, organization: Organization, matching: str = "") -> list[str]:
    """The classes of the school's active students, in `division_sort_key` order; `matching`, a
    regular expression (case ignored), keeps only the classes it matches.

    The one selector of a school's classes, added up from the school's tally (a few rows per
    class): the cost follows the number of classes, not of students. A plain statement: the
    Élèves page reads it on every request, and the ORM took longer to write it than the
    database to run it."""
    # Only the table name from the model is interpolated; the school is a parameter.
    sql = f"""
        SELECT division FROM {ClassTally._meta.db_table}
        WHERE organization_id = %s AND NOT is_disabled
        GROUP BY division HAVING SUM(students) > 0
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [organization.pk])
        divisions = [division for (division,) in cursor.fetchall()]
    if matching:
        pattern = re.compile(matching, re.IGNORECASE)
        divisions = [division for division in divisions if pattern.search(division)]
    return sorted(divisions, key=division_sort_key)


# The page's parameters that filter nothing, and the filters the class tally can count.
ORDER_AND_PAGING = {"tri", "par_page"}
TALLIED_FILTERS = {"classe", "certificabilite", "connexion", "desactives"}


def students_filtered_count(*, organization: Organization, form: StudentFilterForm) -> int | None:
    """How many students `students_filtered` finds for these filters, added up from the
    school's tally when they are only classes, statuses, connection methods and disabled
    students; None for a search (the tally does not know the names: count the students)."""
    filters = {name for name in form.fields if name not in ORDER_AND_PAGING and form.value(name)}
    if filters - TALLIED_FILTERS:  # a filter the tally does not know, today's or a future one
        return None
    conditions, params = ["organization_id = %s"], [organization.pk]
    if not form.value("desactives"):
        conditions.append("NOT is_disabled")
    for column, values in (
        ("division", form.value("classe")),
        ("certifiability", form.value("certificabilite")),
        ("connection_bits", CONNECTION_FILTERS.get(form.value("connexion"), [])),
    ):
        if values:
            among, values = in_values(column, values)
            conditions.append(among)
            params += values
    # Only the table name and the fixed conditions above are interpolated; values are parameters.
    sql = f"""
        SELECT COALESCE(SUM(students), 0) FROM {ClassTally._meta.db_table}
        WHERE {" AND ".join(conditions)}
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.fetchone()[0])
