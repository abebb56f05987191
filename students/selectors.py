from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from accounts.models import Organization
from certification.models import CampaignParticipation

from .forms import StudentFilterForm
from .models import ImportJob, Student
from .search import search_normalize

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


def student_filter_form(params, *, divisions=()) -> StudentFilterForm:
    form = StudentFilterForm(params, divisions=divisions)
    form.is_valid()
    return form


def _with_participations(students: QuerySet[Student]) -> QuerySet[Student]:
    """Number of campaigns each student sent a profile to, and the latest one, as subqueries
    (a constant number of SQL queries whatever the number of rows)."""
    participations = CampaignParticipation.objects.filter(student=OuterRef("pk"))
    latest = participations.order_by("-shared_at", "-pk")
    return students.annotate(
        participation_count=Coalesce(
            Subquery(
                participations.order_by()
                .values("student")
                .annotate(count=Count("pk"))
                .values("count"),
                output_field=IntegerField(),
            ),
            0,
        ),
        last_participation_at=Subquery(latest.values("shared_at")[:1]),
        last_participation_name=Subquery(latest.values("campaign__name")[:1]),
    )


def students_filtered(*, organization: Organization, params) -> QuerySet[Student]:
    """The students the Élèves page shows for these query parameters (filters, sort).

    `params` is the page's query string (request.GET): recherche, classe (several),
    connexion, certificabilite (several), desactives, tri.
    """
    form = student_filter_form(params)
    students = Student.objects.filter(organization=organization).select_related("user")
    if not form.value("desactives"):
        students = students.filter(is_disabled=False)
    for word in search_normalize(form.value("recherche", "")).split():
        students = students.filter(search_name__contains=word)
    if divisions := form.value("classe"):
        students = students.filter(division__in=divisions)
    if connection := form.value("connexion"):
        students = students.filter(CONNECTION_FILTERS[connection])
    if statuses := form.value("certificabilite"):
        students = students.filter(certifiability__in=statuses)
    return _with_participations(students).order_by(*SORTS[form.value("tri", "nom")])


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
        .order_by("division")
    )
    return [ClassSummary(**row) for row in rows]


def organization_divisions(*, organization: Organization) -> list[str]:
    return list(
        Student.objects.filter(organization=organization, is_disabled=False)
        .order_by("division")
        .values_list("division", flat=True)
        .distinct()
    )


def import_job_active(*, organization: Organization) -> ImportJob | None:
    """The school's import under way or waiting for its confirmation (at most one)."""
    return (
        ImportJob.objects.filter(organization=organization, status__in=ImportJob.ACTIVE_STATUSES)
        .select_related("requested_by")
        .first()
    )


def import_job_list(*, organization: Organization) -> QuerySet[ImportJob]:
    return ImportJob.objects.filter(organization=organization).select_related(
        "requested_by", "confirmed_by"
    )


def import_job_last_success(*, organization: Organization) -> ImportJob | None:
    return (
        ImportJob.objects.filter(organization=organization, status=ImportJob.Status.DONE)
        .select_related("requested_by", "confirmed_by")
        .order_by("-finished_at", "-pk")
        .first()
    )
