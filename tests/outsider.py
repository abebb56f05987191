"""What the outsider walk needs: every organisation-scoped URL pattern, and a victim world.

`org_url_patterns()` reads the URL resolver, so a new page is covered the day it is added.
`victim_world(school)` creates one object of each kind in the victim school; each part of the
portal adds its objects and the URL keyword that names them (e.g. "session_id").
"""

import re

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from certification.models import CampaignParticipation
from planning.models import DayPackJob, SessionPlan
from results.models import CertificateBatch
from sessions.models import DocumentJob
from tests.factories import (
    CampaignFactory,
    CandidateFactory,
    ImportJobFactory,
    IssueReportFactory,
    MembershipFactory,
    PasswordResetJobFactory,
    SessionFactory,
    StudentFactory,
)
from tests.results.factories import CertificationResultFactory

ORG_PREFIX = "o/<int:org_id>/"
PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
# Rows that an outsider's visit may legitimately write: the audit trail of the refusal itself.
IGNORED_MODELS = {
    "accounts.auditlog",
    "sessions.session",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
}


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def org_url_patterns() -> list[str]:
    routes = [route for route, _ in _walk(get_resolver().url_patterns)]
    return sorted(route for route in routes if route.startswith(ORG_PREFIX))


def admin_url_patterns() -> list[str]:
    """The organisation pages behind `org_admin_view` (403 for members)."""
    return sorted(
        route
        for route, pattern in _walk(get_resolver().url_patterns)
        if route.startswith(ORG_PREFIX) and getattr(pattern.callback, "admin_only", False)
    )


def build_url(route: str, values: dict[str, object]) -> str:
    def fill(match):
        name, converter = match["name"], match["converter"] or "str"
        if name in values:
            return str(values[name])
        return {"int": "999999", "uuid": "00000000-0000-0000-0000-000000000000"}.get(
            converter, "inconnu"
        )

    return "/" + PARAMETER.sub(fill, route)


def victim_world(school) -> dict[str, object]:
    """One of everything in `school`; returns the URL keyword -> id of each object."""
    student = StudentFactory(organization=school)
    session = SessionFactory(organization=school)
    candidate = CandidateFactory(session=session, student=student)
    membership = MembershipFactory(organization=school)
    result = CertificationResultFactory(candidate=candidate, levels={"1.1": 3})
    batch = CertificateBatch.objects.create(organization=school, division=student.division)
    issue_report = IssueReportFactory(candidate=candidate)
    job = DocumentJob.objects.create(
        organization=school, session=session, document="feuille-emargement"
    )
    campaign = CampaignFactory(organization=school, owner=membership.user)
    import_job = ImportJobFactory(organization=school)
    CampaignParticipation.objects.create(
        campaign=campaign,
        student=student,
        shared_at=campaign.created_at,
        profile_computed_at=campaign.created_at,
        pix_total=0,
        is_certifiable=False,
    )
    reset_job = PasswordResetJobFactory(organization=school, requested_by=membership.user)
    plan = SessionPlan.objects.create(organization=school, address="Bâtiment A")
    pack_job = DayPackJob.objects.create(organization=school, session_ids=[session.id])
    return {
        "plan_id": plan.id,
        "pack_job_id": pack_job.id,
        "campaign_id": campaign.id,
        "membership_id": membership.id,
        "reset_job_id": reset_job.id,
        "student_id": student.id,
        "session_id": session.id,
        "candidate_id": candidate.id,
        "result_id": result.id,
        "batch_id": batch.id,
        "issue_report_id": issue_report.id,
        "job_id": job.id,
        "import_job_id": import_job.id,
        "document": "feuille-emargement",
        "owner_id": membership.user_id,
        "code": campaign.code,
    }


def database_snapshot() -> dict[str, list]:
    """Every row of every model (but the audit trail): compared before and after the walk."""
    snapshot = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in IGNORED_MODELS or model._meta.proxy:
            continue
        snapshot[label] = list(model.objects.order_by("pk").values_list())
    return snapshot


PUBLIC_PREFIXES = ("mon-espace/", "campagne/", "espace-surveillant/", "jury/")


def public_url_patterns() -> list[str]:
    """The pages outside /o/<id>/ that still reach a school's data: the student's space, the
    campaign pages, the Espace surveillant and the jury's pages."""
    routes = [route for route, _ in _walk(get_resolver().url_patterns)]
    return sorted(route for route in routes if route.startswith(PUBLIC_PREFIXES))


def api_url_patterns() -> list[str]:
    routes = [route for route, _ in _walk(get_resolver().url_patterns)]
    return sorted(r for r in routes if r.startswith("api/") and "<" in r)


def mark_victims(world: dict[str, object]) -> str:
    """Give the victim's student and candidate a name no page shows by chance; returns it."""
    from sessions.models import Candidate
    from students.models import Student

    marker = "ZVICTIMEZ"
    Student.objects.filter(pk=world["student_id"]).update(last_name=marker)
    Candidate.objects.filter(pk=world["candidate_id"]).update(last_name=marker)
    return marker


def foreign_form_data(world: dict[str, object]) -> dict[str, object]:
    """Every form field of the portal that names an object, filled with the victim's ids."""
    candidate = world["candidate_id"]
    return {
        "student_ids": [world["student_id"]],
        "students": [world["student_id"]],
        "student": world["student_id"],
        "session": world["session_id"],
        "session_number": world["session_id"],
        "candidate": candidate,
        "candidate_id": candidate,
        "owner": world["owner_id"],
        "membership": world["membership_id"],
        f"present_{candidate}": "on",
        f"end_screen_{candidate}": "on",
        f"abort_reason_{candidate}": "technical",
        "confirm_non_certifiable": "on",
        "role": "ADMIN",
        "category": "C1",
        "description": "Écrit depuis un autre établissement",
    }


def rows_naming(world: dict[str, object], before: dict[str, list], after: dict[str, list]):
    """Rows written between the two snapshots that point at one of the victim's objects (its
    student, session, candidate, staff member)."""
    from accounts.models import User
    from sessions.models import Candidate, Session
    from students.models import Student

    victims = {
        User: world["owner_id"],
        Student: world["student_id"],
        Session: world["session_id"],
        Candidate: world["candidate_id"],
    }
    found = []
    for model in apps.get_models():
        label = model._meta.label_lower
        if label not in after:
            continue
        known = {repr(row) for row in before[label]}
        new_rows = [row for row in after[label] if repr(row) not in known]
        names = [field.attname for field in model._meta.concrete_fields]
        for row in new_rows:
            values = dict(zip(names, row, strict=True))
            for field in model._meta.concrete_fields:
                target = getattr(field, "related_model", None)
                if target in victims and values[field.attname] == victims[target]:
                    found.append((label, row))
                if isinstance(values[field.attname], list) and (
                    world["student_id"] in values[field.attname]
                ):
                    found.append((label, row))
    return found
