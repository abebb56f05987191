"""The five long jobs, started as a school's admin starts them (the same pages)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from planning.models import DayPackJob
from results.models import CertificateBatch
from sessions.models import DocumentJob
from student_accounts.models import PasswordResetJob
from students.models import ImportJob
from tests.factories import CandidateFactory, SessionFactory, StudentFactory
from tests.results.factories import CertificationResultFactory, finalized_session
from tests.students.siecle_files import Eleve, siecle_xml


def import_upload(client, school):
    eleves = [Eleve(ine=f"{70_000_000 + n:09d}AA", division="3E1") for n in range(3)]
    client.post(
        reverse("students:import", args=[school.id]),
        {"file": SimpleUploadedFile("ElevesSansAdresses.xml", siecle_xml(eleves))},
    )
    return ImportJob.objects.filter(organization=school).latest("pk")


def reset_two_classes(client, school):
    students = [StudentFactory(organization=school, division=d) for d in ("3E1", "3E2")]
    client.post(
        reverse("student_accounts:reset", args=[school.id]),
        {"student_ids": [student.id for student in students]},
    )
    return PasswordResetJob.objects.filter(organization=school).latest("pk")


def session_zip(client, school):
    session = SessionFactory(organization=school)
    CandidateFactory.create_batch(3, session=session)
    client.post(reverse("certif_sessions:document_download", args=[school.id, session.id, "tout"]))
    return DocumentJob.objects.filter(organization=school).latest("pk")


def class_attestations(client, school):
    session = finalized_session(school, status="published")
    for name in ("MARTIN", "PETIT"):
        CertificationResultFactory(
            candidate=CandidateFactory(
                session=session, is_present=True, last_name=name, division="3EA"
            ),
            levels={"1.1": 3, "2.1": 2},
        )
    client.post(reverse("results:certificate_batch_start", args=[school.id]) + "?classe=3EA")
    return CertificateBatch.objects.filter(organization=school).latest("pk")


def day_pack(client, school):
    session = SessionFactory(organization=school)
    CandidateFactory.create_batch(3, session=session)
    client.post(reverse("planning:day_pack", args=[school.id]), {"day": session.date.isoformat()})
    return DayPackJob.objects.filter(organization=school).latest("pk")


JOB_STARTS = {
    "import": import_upload,
    "reset": reset_two_classes,
    "session_zip": session_zip,
    "attestations": class_attestations,
    "day_pack": day_pack,
}
