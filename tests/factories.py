"""factory_boy factories shared by the whole suite. Each app may add its own below."""

from datetime import date, time, timedelta

import factory
from django.test import Client
from django.utils import timezone

from accounts.models import Membership, Organization, User
from certification.models import Area, Campaign, Competence, CompetenceProfile, CompetenceScore
from certification.referential import AREAS, COMPETENCES
from sessions.models import Candidate, CertificationIssueReport, IssueReportCategory, Session
from student_accounts.models import PasswordResetJob
from students.models import ImportJob, Student

DEFAULT_PASSWORD = "Motdepasse-1"


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("uai",)

    uai = factory.Sequence(lambda n: f"{9810000 + n:07d}X")
    name = factory.Sequence(lambda n: f"Collège Jean-Moulin {n}")
    type = Organization.Type.SCO
    timezone = "Europe/Paris"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@college.example.fr")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Durand{n}")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StudentUserFactory(UserFactory):
    email = None
    username = factory.Sequence(lambda n: f"eleve.numero{n}0101")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Membership.Role.ADMIN


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Student

    organization = factory.SubFactory(OrganizationFactory)
    ine = factory.Sequence(lambda n: f"{70000000 + n:09d}AB")
    last_name = factory.Sequence(lambda n: f"LEFÈVRE{n}")
    first_name = "Aurélie"
    sex = Student.Sex.FEMALE
    birthdate = date(2011, 3, 14)
    birth_country_code = "99100"
    birth_city_code = "75114"
    birth_city = "PARIS 14E ARRONDISSEMENT"
    birth_department_code = "075"
    mef_code = "10310019110"
    status = "ST"
    division = "3E2"


def _access_code(n: int) -> str:
    letters = "BCDFGHJKMPQRTVWXY"
    code = ""
    for _ in range(4):
        n, rest = divmod(n, len(letters))
        code += letters[rest]
    return code + "47"


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    organization = factory.SubFactory(OrganizationFactory)
    address = "Bâtiment principal"
    room = "Salle informatique B12"
    date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=7))
    time = time(9, 0)
    examiner = "Mme Durand"
    access_code = factory.Sequence(lambda n: _access_code(n))
    invigilator_password = "k7m2pq"


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    session = factory.SubFactory(SessionFactory)
    last_name = "COEURVOLAN"
    first_name = "Aurélie"
    birthdate = date(2012, 2, 14)
    sex = "F"
    birth_insee_code = "75114"
    birth_city = "PARIS 14E ARRONDISSEMENT"
    division = "3E2"


class IssueReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CertificationIssueReport

    candidate = factory.SubFactory(CandidateFactory)
    code = "E1"
    category = IssueReportCategory.IN_CHALLENGE
    question_number = 12
    description = "L'image ne s'affiche pas."
    source = CertificationIssueReport.Source.INVIGILATOR


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Collecte de profils n°{n}")
    code = factory.Sequence(lambda n: f"CAMPAG{n % 1000:03d}")
    owner = factory.SubFactory(UserFactory)


def logged_in(user) -> Client:
    """A new test client with `user` logged in (the root conftest has one per persona)."""
    client = Client()
    client.force_login(user)
    return client


def referential_ensure() -> None:
    """The 16 competences (a data migration loads them, but transactional tests flush tables)."""
    for code, title in AREAS:
        area, _ = Area.objects.get_or_create(code=code, defaults={"title": title})
        for index, (competence_code, name) in enumerate(COMPETENCES):
            if competence_code.startswith(f"{code}."):
                Competence.objects.get_or_create(
                    code=competence_code, defaults={"name": name, "area": area, "index": index}
                )


def profile_with_levels(user, levels, *, computed_at=None) -> CompetenceProfile:
    """A profile whose first competences have these levels (the others 0), pix = 8 × level."""
    referential_ensure()
    levels = list(levels) + [0] * (16 - len(levels))
    profile = CompetenceProfile.objects.create(
        user=user, computed_at=computed_at or timezone.now() - timedelta(days=1)
    )
    CompetenceScore.objects.bulk_create(
        CompetenceScore(profile=profile, competence=competence, level=level, pix=level * 8)
        for competence, level in zip(Competence.objects.order_by("index"), levels, strict=True)
    )
    return profile


class PasswordResetJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PasswordResetJob

    organization = factory.SubFactory(OrganizationFactory)
    requested_by = factory.SubFactory(UserFactory)
    status = PasswordResetJob.Status.DONE
    progress = 100
    finished_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(minutes=15))


class ImportJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportJob

    organization = factory.SubFactory(OrganizationFactory)
    original_name = "ElevesSansAdresses.xml"
    file_format = ImportJob.Format.XML
    status = ImportJob.Status.READY
    progress = 100
