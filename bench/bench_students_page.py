"""Server time and SQL queries of the Élèves page for a school of 3 500 students.

Creates a school (3 500 students in 100 classes, two thirds with an account, three campaigns
with 4 000 participations), requests the page with several filter/sort combinations through
Django's test client (the whole Django stack, no network), prints the median time and the
number of SQL queries of each, then deletes the school. The minimum is printed beside the
median: on a shared machine it is the better estimate of the page's own cost.

Run:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pix_issue4 \
        .venv/bin/python bench/bench_students_page.py [--requests 30]
"""

import argparse
import os
import random
import statistics
import sys
import time
import warnings
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# Test settings: DEBUG off, no HTTPS redirect; the database still comes from DATABASE_URL.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pix_portal.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Membership, Organization, User  # noqa: E402
from certification.models import Campaign, CampaignParticipation  # noqa: E402
from students.models import Student  # noqa: E402

BENCH_UAI = "0999991C"
EMAIL_DOMAIN = "bench-eleves.invalid"
STUDENTS = 3500
NAMES = ["MARTIN", "LEFÈVRE", "DUBOIS", "CŒURVOLAN", "GARCIA", "N'DIAYE", "LE GALL", "ÉTIENNE"]
FIRST_NAMES = ["Léa", "Éloïse", "Hugo", "Noé", "Jean-Baptiste", "Inès", "Maël", "Zoé"]
STATUSES = list(Student.Certifiability.values)

SCENARIOS = [
    ("liste par défaut (50, tri par nom)", {}),
    ("recherche « lefevre »", {"recherche": "lefevre"}),
    (
        "3 classes + certifiable, tri par classe",
        {"classe": ["2NDE1", "2NDE2", "1ERE3"], "certificabilite": "certifiable", "tri": "classe"},
    ),
    ("tri par participations décroissant", {"tri": "-participations"}),
    ("page 30, tri par nom décroissant", {"tri": "-nom", "page": 30}),
    (
        "identifiant + 2 statuts, 100 par page",
        {
            "connexion": "identifiant",
            "certificabilite": ["not_certifiable", "not_available"],
            "par_page": 100,
        },
    ),
]


def create_school(rng) -> tuple[Organization, User]:
    organization = Organization.objects.create(uai=BENCH_UAI, name="Lycée de banc d'essai")
    admin = User.objects.create_user(email=f"admin@{EMAIL_DOMAIN}")
    Membership.objects.create(user=admin, organization=organization, role=Membership.Role.ADMIN)
    users = User.objects.bulk_create(
        User(username=f"bench.eleve{n}@{EMAIL_DOMAIN}", has_mediacentre_access=n % 5 == 0)
        for n in range(STUDENTS * 2 // 3)
    )
    classes = [f"{grade}{n}" for grade in ("2NDE", "1ERE", "TERM") for n in range(1, 34)] + ["BTS"]
    students = Student.objects.bulk_create(
        Student(
            organization=organization,
            user=users[n] if n < len(users) else None,
            ine=f"{n:09d}BE",
            last_name=f"{rng.choice(NAMES)}{n}",
            first_name=rng.choice(FIRST_NAMES),
            sex="F",
            birthdate=date(2009, 1, 1) + timedelta(days=n % 700),
            birth_country_code="99100",
            division=classes[n % len(classes)],
            is_disabled=n % 70 == 0,
            certifiability=rng.choice(STATUSES),
            certifiability_profile_date=timezone.now() - timedelta(days=n % 60),
        )
        for n in range(STUDENTS)
    )
    campaigns = [
        Campaign.objects.create(
            organization=organization, name=f"Campagne {n}", code=f"BENCHX{n:03d}", owner=admin
        )
        for n in range(3)
    ]
    CampaignParticipation.objects.bulk_create(
        CampaignParticipation(
            campaign=campaign,
            student=student,
            shared_at=timezone.now() - timedelta(days=rng.randrange(100)),
            profile_computed_at=timezone.now(),
            pix_total=rng.randrange(300),
            is_certifiable=rng.random() < 0.7,
        )
        for campaign in campaigns
        for student in rng.sample(students, 1333)
    )
    with connection.cursor() as cursor:
        for model in (Student, CampaignParticipation, User):
            cursor.execute(f"ANALYZE {model._meta.db_table}")
    return organization, admin


def clean_up():
    organization = Organization.objects.filter(uai=BENCH_UAI).first()
    if organization:
        organization.delete()
    User.objects.filter(email__endswith=EMAIL_DOMAIN).delete()
    User.objects.filter(username__endswith=EMAIL_DOMAIN).delete()


def measure(client, url, params, requests):
    client.get(url, params)  # warm-up
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url, params)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    rows = response.content.decode().count('name="student_ids"')
    return statistics.median(times), min(times), len(queries.captured_queries), rows


def main():
    warnings.filterwarnings("ignore", message="No directory at")
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    clean_up()
    organization, admin = create_school(random.Random(2026))  # noqa: S311
    try:
        client = Client()
        client.force_login(admin)
        url = reverse("students:list", args=[organization.pk])
        print(f"Base : {connection.vendor}, {STUDENTS} élèves, {args.requests} requêtes par cas")
        print(f"{'cas':<42} {'médiane':>9} {'minimum':>9} {'requêtes SQL':>13} {'lignes':>7}")
        for name, params in SCENARIOS:
            median, minimum, queries, rows = measure(client, url, params, args.requests)
            print(f"{name:<42} {median:6.1f} ms {minimum:6.1f} ms {queries:>13} {rows:>7}")
    finally:
        clean_up()


if __name__ == "__main__":
    main()
