import re
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.http import QueryDict

from accounts.models import Organization
from core.names import name_fold

from .forms import StudentFilterForm
from .models import Student

SORTS = {
    "nom": ["search_name", "pk"],
    "-nom": ["-search_name", "-pk"],
    "classe": ["division", "search_name", "pk"],
    "-classe": ["-division", "search_name", "pk"],
    "participations": ["participation_count", "search_name", "pk"],
    "-participations": ["-participation_count", "search_name", "pk"],
}

CONNECTION_FILTERS = {
    "identifiant": Q(user__username__isnull=False),
    "email": Q(user__email__isnull=False),
    "mediacentre": Q(user__has_mediacentre_access=True),
    "aucune": Q(user__isnull=True),
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
        students = students.filter(CONNECTION_FILTERS[connection])
    if statuses := form.value("certificabilite"):
        students = students.filter(certifiability__in=statuses)
    return students.order_by(*SORTS[form.value("tri", "nom")])


class StudentIdsPaginator(Paginator):
    """Pages of the filtered ids; a page past the middle is read from the end in the reverse
    order, so that its OFFSET skips at most half of the list (the last page costs the first)."""

    object_list: QuerySet[Student, int]  # students_filtered(…).values_list("pk", flat=True)

    def get_page(self, number: int | float | str | None) -> Page:
        """The first page is read before the matches are counted: shorter than a page, it is
        the whole list (a search, a class), and its length is the count."""
        if str(number or 1) != "1":
            return super().get_page(number)
        ids = list(self.object_list[: self.per_page])
        if len(ids) < self.per_page:
            self.__dict__["count"] = len(ids)  # Paginator.count is a cached_property
        return self._get_page(ids, 1, self)  # type: ignore[attr-defined]

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
    """Per class: active students and how many are certifiable, not, or not communicated."""
    statuses = Student.Certifiability
    rows = (
        Student.objects.filter(organization=organization, is_disabled=False)
        .values("division")
        .annotate(
            students=Count("pk"),
            certifiable=Count("pk", filter=Q(certifiability=statuses.CERTIFIABLE)),
            not_certifiable=Count("pk", filter=Q(certifiability=statuses.NOT_CERTIFIABLE)),
            not_available=Count("pk", filter=Q(certifiability=statuses.NOT_AVAILABLE)),
        )
        .order_by()
    )
    summaries = [ClassSummary(**row) for row in rows]
    return sorted(summaries, key=lambda summary: division_sort_key(summary.division))


def division_sort_key(division: str) -> str:
    """Classes in the order a French reader expects (3E2 before 3e3, É with E), on every page."""
    return name_fold(division)


def organization_divisions(*, organization: Organization, matching: str = "") -> list[str]:
    """The classes of the school's active students, in `division_sort_key` order; `matching`, a
    regular expression (case ignored), keeps only the classes it matches.

    The one selector of a school's classes. Read from the (organization, division) index one
    class at a time (a loose index scan): the cost follows the number of classes, not of
    students."""
    table = Student._meta.db_table
    # Only the table name from the model is interpolated; values are parameters.
    sql = f"""
        WITH RECURSIVE classes(division) AS (
            SELECT MIN(division) FROM {table} WHERE organization_id = %s AND NOT is_disabled
            UNION ALL
            SELECT (
                SELECT MIN(s.division) FROM {table} s
                WHERE s.organization_id = %s AND NOT s.is_disabled
                  AND s.division > classes.division
            )
            FROM classes WHERE classes.division IS NOT NULL
        )
        SELECT division FROM classes WHERE division IS NOT NULL
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [organization.pk, organization.pk])
        divisions = [division for (division,) in cursor.fetchall()]
    if matching:
        pattern = re.compile(matching, re.IGNORECASE)
        divisions = [division for division in divisions if pattern.search(division)]
    return sorted(divisions, key=division_sort_key)
