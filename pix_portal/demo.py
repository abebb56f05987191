"""The demo school loaded by `manage.py seed_demo` (idempotent: a second run adds nothing).

Each part of the portal adds its own demo data here, after the students exist.
"""

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, Organization, User
from accounts.services import organization_create
from certification.certifiability import certifiability_recompute
from certification.demo import seed_calendar, seed_campaigns
from certification.models import Competence, CompetenceProfile, CompetenceScore
from results.demo import seed_results
from sessions.demo import seed_sessions
from student_accounts.identifiants import identifiant_generate
from students.demo import seed_student_imports
from students.models import Student

DEMO_UAI = "0750001A"
DEMO_SECOND_UAI = "0750002B"
ADMIN_EMAIL = "admin@demo.pix-portal.fr"
MEMBER_EMAIL = "referent@demo.pix-portal.fr"
JURY_EMAIL = "jury@demo.pix-portal.fr"
DEMO_PASSWORD = "Demo-Pix-2026"  # noqa: S105 — demo accounts only, printed by seed_demo
DEMO_STUDENT_PASSWORD = "Eleve-Pix-2026"  # noqa: S105

FIRST_NAMES_F = [
    "Léa",
    "Chloé",
    "Manon",
    "Camille",
    "Inès",
    "Jade",
    "Louise",
    "Zoé",
    "Éloïse",
    "Maëlys",
    "Anaïs",
    "Océane",
    "Clémence",
    "Agathe",
    "Noémie",
    "Héloïse",
    "Lou",
    "Aurélie",
    "Margaux",
    "Salomé",
    "Romane",
    "Juliette",
    "Nour",
    "Yasmine",
]
FIRST_NAMES_M = [
    "Lucas",
    "Hugo",
    "Théo",
    "Nathan",
    "Enzo",
    "Louis",
    "Jules",
    "Raphaël",
    "Gabriel",
    "Noé",
    "Timothée",
    "Maël",
    "Arthur",
    "Léo",
    "Adam",
    "Mathéo",
    "Évan",
    "Sacha",
    "Jean-Baptiste",
    "Rayan",
    "Baptiste",
    "Clément",
    "Ilyès",
    "Joël",
]
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefèvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Lefebvre",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Legrand",
    "Garnier",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guérin",
    "Müller",
    "Henry",
    "Roussel",
    "Nicolas",
    "Perrin",
    "Morin",
    "Mathieu",
    "Clément",
    "Gauthier",
    "Dumont",
    "Lopez",
    "Fontaine",
    "Chevalier",
    "Robin",
    "Masson",
    "Sanchez",
    "Gérard",
    "Nguyen",
    "Boyer",
    "Denis",
    "Lemaire",
    "Duval",
    "Joly",
    "Gautier",
    "Roger",
    "Roche",
    "Roy",
    "Noël",
    "Meyer",
    "Lucas",
    "Meunier",
    "Jean",
    "Pérez",
    "Marchand",
    "Dufour",
    "Blanchard",
    "Barbier",
    "Brun",
    "Dumas",
    "Brunet",
    "Schmitt",
    "Leroux",
    "Colin",
    "Fernandez",
    "Cœurdevey",
    "Bœuf",
    "Da Silva",
    "Le Gall",
    "N'Diaye",
    "Saint-Martin",
    "Lévêque",
]
CITIES = [
    ("75114", "PARIS 14E ARRONDISSEMENT", "075"),
    ("93066", "SAINT-DENIS", "093"),
    ("69123", "LYON", "069"),
    ("13055", "MARSEILLE", "013"),
    ("92012", "BOULOGNE-BILLANCOURT", "092"),
    ("94028", "CRÉTEIL", "094"),
]
CLASSES = [f"{grade}0{n}" for grade in "345" for n in range(1, 8)][:20]

DEMO_LOGINS = [
    ("Administrateur", ADMIN_EMAIL, DEMO_PASSWORD),
    ("Membre (référent)", MEMBER_EMAIL, DEMO_PASSWORD),
    ("Élève", "lea.martin0103", DEMO_STUDENT_PASSWORD),
    ("Jury Pix (superutilisateur)", JURY_EMAIL, DEMO_PASSWORD),
]


@transaction.atomic
def seed_demo(*, stdout=None) -> Organization:
    rng = random.Random(2026)  # noqa: S311 — demo data, not security
    school, _ = organization_create(uai=DEMO_UAI, name="Collège Victor-Hugo (démo)")
    second, _ = organization_create(uai=DEMO_SECOND_UAI, name="Lycée Simone-Veil (démo)")
    admin = _staff(ADMIN_EMAIL, "Claire", "Fontaine")
    member = _staff(MEMBER_EMAIL, "Karim", "Benali")
    # The Pix jury publishes results (/jury/) and manages integration tokens (/admin/).
    jury = _staff(JURY_EMAIL, "Jeanne", "Jury")
    if not jury.is_superuser:
        jury.is_staff = jury.is_superuser = True
        jury.save(update_fields=["is_staff", "is_superuser"])
    Membership.objects.get_or_create(
        user=admin, organization=school, defaults={"role": Membership.Role.ADMIN}
    )
    Membership.objects.get_or_create(
        user=admin, organization=second, defaults={"role": Membership.Role.ADMIN}
    )
    Membership.objects.get_or_create(
        user=member, organization=school, defaults={"role": Membership.Role.MEMBER}
    )
    if not school.students.exists():
        _seed_students(school, rng)
        _seed_student_accounts_and_profiles(school, rng)
    seed_calendar()
    seed_sessions(school, rng)
    seed_results(school, rng)
    seed_campaigns(school, rng)
    seed_student_imports(school, rng)
    if stdout:
        stdout.write(
            f"Établissement de démonstration : {school} — {school.students.count()} élèves"
        )
    return school


def _staff(email, first_name, last_name) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=DEMO_PASSWORD, first_name=first_name, last_name=last_name
        )
    return user


def _seed_students(school, rng) -> None:
    students = []
    serial = 70803000
    for division in CLASSES:
        grade_year = {"3": 2011, "4": 2012, "5": 2013}[division[0]]
        for _ in range(26):
            serial += 1
            sex = rng.choice("MF")
            first = rng.choice(FIRST_NAMES_M if sex == "M" else FIRST_NAMES_F)
            born_abroad = rng.random() < 0.08
            city_code, city, department = rng.choice(CITIES)
            students.append(
                Student(
                    organization=school,
                    ine=f"{serial:09d}{rng.choice('ABCDEFGHJK')}{rng.choice('KLMNP')}",
                    last_name=rng.choice(LAST_NAMES).upper(),
                    first_name=first,
                    sex=sex,
                    birthdate=date(grade_year, 1, 1) + timedelta(days=rng.randrange(365)),
                    birth_country_code="99132" if born_abroad else "99100",
                    birth_city_code="" if born_abroad else city_code,
                    birth_city="GENÈVE" if born_abroad else city,
                    birth_department_code="" if born_abroad else department,
                    mef_code="10310019110",
                    status="ST",
                    division=division,
                )
            )
    # The demo student of the README: Léa Martin, born on 1 March.
    students[0].first_name, students[0].last_name, students[0].sex = "Léa", "MARTIN", "F"
    students[0].birthdate = date(2011, 3, 1)
    Student.objects.bulk_create(students)


def _seed_student_accounts_and_profiles(school, rng) -> None:
    """A third of the students have an account; their profiles give all three statuses."""
    competences = list(Competence.objects.order_by("index"))
    now = timezone.now()
    first_of_class = set()
    for student in school.students.order_by("division", "pk"):
        with_identifiant = student.division not in first_of_class
        first_of_class.add(student.division)
        if not with_identifiant and rng.random() > 0.35:
            continue
        user = _student_account(student, with_identifiant=with_identifiant)
        student.user = user
        profile = CompetenceProfile.objects.create(
            user=user, computed_at=now - timedelta(days=rng.randrange(1, 60))
        )
        levels = [rng.choice([0, 0, 1, 1, 2, 3]) if rng.random() < 0.7 else 0 for _ in competences]
        CompetenceScore.objects.bulk_create(
            CompetenceScore(
                profile=profile,
                competence=c,
                level=level,
                pix=level * 8 + (rng.randrange(8) if level else 0),
            )
            for c, level in zip(competences, levels, strict=True)
        )
        student.save(update_fields=["user"])
    certifiability_recompute(organization_ids=[school.pk])


def _student_account(student, *, with_identifiant: bool) -> User:
    if not with_identifiant:
        return User.objects.create_user(
            email=f"eleve{student.pk}@demo.pix-portal.fr",
            first_name=student.first_name,
            last_name=student.last_name.title(),
        )
    username = identifiant_generate(
        first_name=student.first_name,
        last_name=student.last_name,
        birthdate=student.birthdate,
        is_taken=lambda candidate: User.objects.filter(username=candidate).exists(),
    )
    user = User(
        username=username, first_name=student.first_name, last_name=student.last_name.title()
    )
    user.set_password(DEMO_STUDENT_PASSWORD)
    user.save()
    return user
