"""Demo data of the student imports: the rentrée import the demo school's students came from."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import Membership

from .models import ImportJob


def seed_student_imports(school, rng) -> None:
    """One successful SIECLE import in the history (idempotent)."""
    if school.import_jobs.exists():
        return
    admin = (
        Membership.objects.filter(organization=school, role=Membership.Role.ADMIN)
        .select_related("user")
        .first()
    )
    finished_at = timezone.now() - timedelta(days=rng.randint(20, 60))
    students = school.students.count()
    ImportJob.objects.create(
        organization=school,
        requested_by=admin.user if admin else None,
        confirmed_by=admin.user if admin else None,
        file_format=ImportJob.Format.ZIP,
        original_name="ElevesSansAdresses.zip",
        status=ImportJob.Status.DONE,
        progress=100,
        created_count=students,
        skipped_count=rng.randint(3, 12),
        validated_at=finished_at - timedelta(minutes=2),
        confirmed_at=finished_at - timedelta(minutes=1),
        finished_at=finished_at,
    )
