"""The nightly certifiability recompute over 200 000 students × 16 competences (PostgreSQL).

Prints the time of the job (chunked, set-based: `certifiability_recompute`) beside the time of
the single hand-written SQL statement that computes the same statuses (the floor, in two
variants: the best counts), measured in the same run on the same data, alternating their order,
and checks that all give identical statuses. Medians and minimums are both printed: on a shared
machine the minimum is the better estimate of the intrinsic cost.

Run (it creates its data in the database, then deletes it):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pix_issue4 \
        .venv/bin/python bench/bench_certifiability.py [--students 200000] [--rounds 3]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pix_portal.settings.base")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from accounts.models import Organization, User  # noqa: E402
from certification.certifiability import certifiability_recompute  # noqa: E402
from certification.models import Competence, CompetenceProfile, CompetenceScore  # noqa: E402
from students.models import Student  # noqa: E402

BENCH_UAI = "0999990B"
USERNAME_PREFIX = "bench-certif."
STUDENT = Student._meta.db_table
PROFILE = CompetenceProfile._meta.db_table
SCORE = CompetenceScore._meta.db_table
USER = User._meta.db_table
COMPETENCE = Competence._meta.db_table

# The floor: one statement, no chunks, no "changed since" test (every row is to be computed).
FLOOR_AGGREGATE = f"""
    UPDATE {STUDENT} s
    SET certifiability = CASE WHEN a.reached >= 5 THEN 'certifiable' ELSE 'not_certifiable' END,
        certifiability_profile_date = a.computed_at,
        certifiability_updated_at = a.updated_at
    FROM (
        SELECT p.user_id, p.computed_at, p.updated_at,
               COUNT(sc.id) FILTER (WHERE sc.level >= 1) AS reached
        FROM {PROFILE} p LEFT JOIN {SCORE} sc ON sc.profile_id = p.id
        GROUP BY p.id
    ) a
    WHERE s.user_id = a.user_id AND NOT s.is_disabled
"""
FLOOR_CORRELATED = f"""
    UPDATE {STUDENT} s
    SET certifiability = CASE WHEN (
            SELECT COUNT(*) FROM {SCORE} sc WHERE sc.profile_id = p.id AND sc.level >= 1
        ) >= 5 THEN 'certifiable' ELSE 'not_certifiable' END,
        certifiability_profile_date = p.computed_at,
        certifiability_updated_at = p.updated_at
    FROM {PROFILE} p
    WHERE s.user_id = p.user_id AND NOT s.is_disabled
"""


def execute(sql, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def load(students: int) -> Organization:
    organization, _ = Organization.objects.get_or_create(
        uai=BENCH_UAI, defaults={"name": "Banc d'essai certificabilité"}
    )
    print(f"Chargement de {students} élèves × 16 compétences…", flush=True)
    started = time.perf_counter()
    execute(
        f"""
        INSERT INTO {USER} (password, is_superuser, username, first_name, last_name, is_staff,
                            is_active, date_joined, must_change_password, has_mediacentre_access)
        SELECT '!', false, %s || g, 'Élève', 'Banc' || g, false, true, now(), false, false
        FROM generate_series(1, %s) g
        """,
        [USERNAME_PREFIX, students],
    )
    execute(
        f"""
        INSERT INTO {PROFILE} (user_id, computed_at, updated_at)
        SELECT id, now() - (id %% 90) * interval '1 day', now() FROM {USER}
        WHERE username LIKE %s
        """,
        [USERNAME_PREFIX + "%"],
    )
    # Each profile has its own share of competences reached: every status occurs.
    execute(
        f"""
        INSERT INTO {SCORE} (profile_id, competence_id, level, pix)
        SELECT profile_id, competence_id, level, level * 8 FROM (
            SELECT p.id AS profile_id, c.id AS competence_id,
                   CASE WHEN random() < (p.id %% 10) / 20.0 + 0.3
                        THEN 0 ELSE 1 + floor(random() * 3)::int END AS level
            FROM {PROFILE} p JOIN {USER} u ON u.id = p.user_id CROSS JOIN {COMPETENCE} c
            WHERE u.username LIKE %s
        ) generated
        """,
        [USERNAME_PREFIX + "%"],
    )
    execute(
        f"""
        INSERT INTO {STUDENT} (organization_id, user_id, ine, last_name, preferred_last_name,
            first_name, first_name2, first_name3, sex, birthdate, birth_country_code,
            birth_city_code, birth_city, birth_department_code, mef_code, status, division,
            is_disabled, certifiability, created_at, updated_at)
        SELECT %s, u.id, lpad(u.id::text, 9, '0') || 'AB', u.last_name, '', 'Élève', '', '',
            'F', date '2011-03-14', '99100', '75114', 'PARIS', '075', '', 'ST',
            '3E' || (u.id %% 40), u.id %% 50 = 0, 'not_available', now(), now()
        FROM {USER} u WHERE u.username LIKE %s
        """,
        [organization.pk, USERNAME_PREFIX + "%"],
    )
    for table in (USER, PROFILE, SCORE, STUDENT):
        execute(f"VACUUM ANALYZE {table}")
    print(f"  chargé en {time.perf_counter() - started:.1f} s", flush=True)
    return organization


def reset(organization):
    execute(
        f"""UPDATE {STUDENT} SET certifiability = 'not_available',
            certifiability_profile_date = NULL, certifiability_updated_at = NULL
            WHERE organization_id = %s""",
        [organization.pk],
    )
    execute(f"VACUUM ANALYZE {STUDENT}")


def statuses(organization):
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT certifiability, COUNT(*), md5(string_agg(id::text || certifiability
                    || coalesce(certifiability_profile_date::text, ''), ',' ORDER BY id))
                FROM {STUDENT} WHERE organization_id = %s GROUP BY certifiability
                ORDER BY certifiability""",
            [organization.pk],
        )
        return cursor.fetchall()


def timed(run):
    started = time.perf_counter()
    updated = run()
    return time.perf_counter() - started, updated


def clean_up():
    print("Nettoyage…", flush=True)
    organization = Organization.objects.filter(uai=BENCH_UAI).first()
    if organization:
        execute(f"DELETE FROM {STUDENT} WHERE organization_id = %s", [organization.pk])
        organization.delete()
    users = f"SELECT id FROM {USER} WHERE username LIKE %s"
    profiles = f"SELECT id FROM {PROFILE} WHERE user_id IN ({users})"
    execute(f"DELETE FROM {SCORE} WHERE profile_id IN ({profiles})", [USERNAME_PREFIX + "%"])
    execute(f"DELETE FROM {PROFILE} WHERE user_id IN ({users})", [USERNAME_PREFIX + "%"])
    execute(f"DELETE FROM {USER} WHERE username LIKE %s", [USERNAME_PREFIX + "%"])
    # Leave no dead rows behind (they would slow later scans) and give the disk space back.
    for table in (STUDENT, SCORE, PROFILE, USER):
        execute(f"VACUUM (FULL, ANALYZE) {table}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Ce banc d'essai mesure PostgreSQL : définissez DATABASE_URL=postgres://…")
    call_command("migrate", verbosity=0)
    clean_up()
    organization = load(args.students)
    try:
        runs = {"floor (agrégat)": [], "floor (sous-requête)": [], "job": []}
        reference = None
        for round_number in range(args.rounds):
            order = list(runs) if round_number % 2 == 0 else list(reversed(runs))
            for name in order:
                reset(organization)
                if name == "job":
                    seconds, updated = timed(certifiability_recompute)
                else:
                    sql = FLOOR_AGGREGATE if "agrégat" in name else FLOOR_CORRELATED
                    seconds, updated = timed(lambda sql=sql: execute(sql))
                result = statuses(organization)
                reference = reference or result
                assert result == reference, f"{name} ne donne pas les mêmes statuts"
                runs[name].append(seconds)
                print(f"  tour {round_number + 1} {name:<22} {seconds:6.2f} s ({updated} élèves)")
        # The job is idempotent: a second run right after finds nothing to do.
        idle_seconds, idle_updated = timed(certifiability_recompute)
        medians = {name: statistics.median(times) for name, times in runs.items()}
        minimums = {name: min(times) for name, times in runs.items()}
        floor_median = min(medians["floor (agrégat)"], medians["floor (sous-requête)"])
        floor_minimum = min(minimums["floor (agrégat)"], minimums["floor (sous-requête)"])
        print()
        print(f"Statuts : {[(status, count) for status, count, _ in reference]}")
        for name in runs:
            print(f"{name:<24} médiane {medians[name]:6.2f} s   minimum {minimums[name]:6.2f} s")
        print(
            f"job / meilleur floor     médiane {medians['job'] / floor_median:6.2f} ×"
            f"   minimum {minimums['job'] / floor_minimum:6.2f} ×"
        )
        print(f"job relancé aussitôt      {idle_seconds:6.2f} s ({idle_updated} élève mis à jour)")
    finally:
        clean_up()


if __name__ == "__main__":
    main()
