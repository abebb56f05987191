"""Demo sessions for the demo school: one `Créée` next week with a class of candidates, one
`Créée` yesterday, waiting to be finalised, one `Finalisée` last month with presence, an
abandonment and issue reports (idempotent)."""

from datetime import time, timedelta

from django.utils import timezone

from students.models import Student

from .models import Candidate, CertificationIssueReport, Session
from .services import candidates_add_students, issue_report_add, session_create


def seed_sessions(school, rng) -> None:
    if Session.objects.filter(organization=school).exists():
        return
    today = timezone.localdate(timezone=school.zoneinfo)
    students = Student.objects.filter(organization=school, is_disabled=False)
    upcoming = session_create(
        organization=school,
        address="Bâtiment A",
        room="Salle informatique 12",
        date=today + timedelta(days=7),
        time=time(9, 0),
        examiner="Mme Laurent, M. Girard",
        description="Prévoir les casques audio.",
        rng=rng,
    )
    candidates_add_students(session=upcoming, students=students.filter(division="302"))

    to_finalise = session_create(
        organization=school,
        address="Bâtiment A",
        room="Salle informatique 12",
        date=today - timedelta(days=1),
        time=time(10, 0),
        examiner="M. Girard",
        description="",
        rng=rng,
    )
    candidates_add_students(session=to_finalise, students=students.filter(division="304")[:12])
    # The invigilator ticked who was there and who saw the end screen (one was absent); the
    # admin only has the signed PV to add to finalise it.
    waiting = list(to_finalise.candidates.order_by("last_name", "first_name", "pk"))
    for candidate in waiting[1:]:
        candidate.is_present = candidate.has_seen_end_test_screen = True
    Candidate.objects.bulk_update(waiting, ["is_present", "has_seen_end_test_screen"])

    past = session_create(
        organization=school,
        address="Bâtiment A",
        room="CDI",
        date=today - timedelta(days=30),
        time=time(14, 0),
        examiner="M. Petit, Mme Roy",
        rng=rng,
    )
    candidates_add_students(session=past, students=students.filter(division="303"))
    candidates = list(past.candidates.order_by("last_name", "first_name", "pk"))
    for index, candidate in enumerate(candidates):
        candidate.is_present = index != 0
        candidate.has_seen_end_test_screen = index not in (0, 1)
        candidate.abort_reason = Candidate.AbortReason.TECHNICAL if index == 1 else ""
    Candidate.objects.bulk_update(
        candidates, ["is_present", "has_seen_end_test_screen", "abort_reason"]
    )
    if len(candidates) > 2:
        issue_report_add(
            candidate=candidates[2],
            code="E1",
            question_number=12,
            description="L'image ne s'affichait pas, question passée.",
            source=CertificationIssueReport.Source.INVIGILATOR,
        )
    past.status = Session.Status.FINALIZED
    past.finalized_at = timezone.now() - timedelta(days=29)
    past.finalization_comment = "Coupure réseau de 5 minutes en début de session."
    past.has_incident = True
    past.save()
