"""School pages beside their floors, as one school among many (PostgreSQL).

Creates a school of `--sizes` students (default 3 500 and 100 000; 100 classes, two thirds
with an account, three campaigns, and for the first size 3 400 published results with 8 marks
each), then prints, through Django's test client (the whole stack, DEBUG off):

- the Élèves page for several filters, sorts and pages: p50, its floor (an empty school page
  behind the same middleware and membership check + the page's main query, the ids of the rows
  shown), the HTML size, the SQL queries; and the ratio of each case between the two sizes;
- two gunicorn workers: lists per second vs empty pages per second;
- the bilan (page, PDF, computation) beside its SQL floor (its one aggregate statement);
- the results CSV and XLSX exports of the whole school;
- every page of the school without other parameters (the first size);
- the nightly certifiability recompute of the whole database with nothing to do.

Run it on an empty database and on one holding the national fixture (national_fixture.py),
each with `--json`, then `--compare empty.json full.json` prints the ratio of each figure (on a
loaded machine, compare the minimums: the medians of two runs minutes apart carry the load):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pix_bench \\
        .venv/bin/python bench/bench_pages.py [--sizes 3500,100000] [--json full.json]
    .venv/bin/python bench/bench_pages.py --compare empty.json full.json
"""

import argparse
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.bench_settings"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import QueryDict  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import URLPattern, URLResolver, get_resolver, reverse  # noqa: E402

from accounts.models import Membership, Organization, User  # noqa: E402
from certification.certifiability import certifiability_recompute  # noqa: E402
from results import bilan as bilans  # noqa: E402
from students.models import Student  # noqa: E402
from students.selectors import StudentIdsPaginator, students_filtered  # noqa: E402

UAI_PREFIX = "B"  # the measured schools; the national fixture's start with N
DOMAIN = "bench-pages.invalid"
# 100 classes whatever the size (35 students each at 3 500): the list is measured against the
# number of students; each class adds one checkbox (~0.3 KB) to the filters.
CLASSES = 100
RESULTS_YEAR = 2025

LIST_CASES = [
    ("liste par défaut", {}),
    ("recherche « lefevre »", {"recherche": "lefevre"}),  # one student in 8, all together
    ("recherche « lefevre12 »", {"recherche": "lefevre12"}),  # 15 students, 140 at 100 000
    (
        "3 classes + certifiable, tri classe",
        {"classe": "C1,C2,C3", "certificabilite": "certifiable", "tri": "classe"},
    ),  # noqa: E501
    ("tri participations décroissant", {"tri": "-participations"}),
    ("tri participations, page 30", {"tri": "participations", "page": 30}),
    ("page 30, tri nom décroissant", {"tri": "-nom", "page": 30}),
    ("dernière page", {"page": "last"}),
    (
        "identifiant + 2 statuts, 100 par page",
        {
            "connexion": "identifiant",
            "certificabilite": "not_certifiable,not_available",
            "par_page": 100,
        },
    ),  # noqa: E501
]

SCHOOL_SQL = [
    """
    INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name,
        is_staff, is_active, date_joined, must_change_password, has_mediacentre_access)
    SELECT '!', false, 'b' || %(size)s || '.' || n || '@bench-pages.invalid', '', '', false,
           true, now(), false, n %% 5 = 0
    FROM generate_series(1, %(size)s) n WHERE n %% 3 <> 0
    """,
    """
    INSERT INTO students_student (ine, last_name, preferred_last_name, first_name,
        first_name2, first_name3, sex, birthdate, birth_country_code, birth_city_code,
        birth_city, birth_department_code, mef_code, status, division, is_disabled,
        certifiability, certifiability_profile_date, created_at, updated_at, organization_id,
        user_id)
    SELECT lpad(n::text, 9, '0') || 'BP',
           (ARRAY['MARTIN','LEFÈVRE','DUBOIS','CŒURVOLAN','GARCIA','N''DIAYE','LE GALL',
                  'ÉTIENNE'])[1 + n %% 8] || n,
           '', (ARRAY['Léa','Éloïse','Hugo','Noé','Inès','Maël','Zoé'])[1 + n %% 7], '', '',
           'F', date '2009-01-01' + n %% 700, '99100', '', '', '', '', 'ST',
           'C' || (1 + n %% %(classes)s), n %% 70 = 0,
           (ARRAY['certifiable','not_certifiable','not_available'])[1 + n %% 3],
           now() - interval '1 day' * (n %% 60), now(), now(), %(org)s, u.id
    FROM generate_series(0, %(size)s - 1) n
    LEFT JOIN accounts_user u ON u.username = 'b' || %(size)s || '.' || n || '@bench-pages.invalid'
    """,
    """
    INSERT INTO certification_campaign (name, code, divisions, created_at, organization_id)
    SELECT 'Campagne ' || k, 'BENCH' || chr(65 + %(size)s %% 26) || lpad(k::text, 3, '0'), '[]',
           now(), %(org)s
    FROM generate_series(0, 2) k
    """,
    # About 38 %% of the students in each campaign (4 000 participations for 3 500 students).
    """
    INSERT INTO certification_campaignparticipation (shared_at, profile_computed_at, scores,
        pix_total, is_certifiable, campaign_id, student_id, user_id)
    SELECT now() - interval '1 hour' * ((s.id * 7 + c.id) %% 2400), now(), '{}', s.id %% 300,
           s.id %% 10 < 7, c.id, s.id, s.user_id
    FROM students_student s JOIN certification_campaign c ON c.organization_id = s.organization_id
    WHERE s.organization_id = %(org)s AND (s.id * 13 + c.id * 7) %% 100 < 38
    """,
]
RESULTS_SQL = [
    """
    INSERT INTO certif_sessions_session (address, room, date, time, examiner, description,
        access_code, invigilator_password, status, created_at, published_at, organization_id,
        finalization_comment, has_incident, has_joining_issue)
    SELECT 'Bâtiment A', d.division, date '2026-03-02' + d.rank %% 28, time '09:00', 'Mme Banc',
           '', 'B' || lpad(d.rank::text, 5, '0'), 'k7m2pq', 'published', now(), now(), %(org)s,
           '', false, false
    FROM (SELECT division, (row_number() OVER (ORDER BY division))::int AS rank
          FROM (SELECT DISTINCT division FROM students_student
                WHERE organization_id = %(org)s) x) d
    """,
    """
    INSERT INTO certif_sessions_candidate (last_name, first_name, birthdate, sex,
        birth_insee_code, birth_postal_code, birth_city, birth_country, external_id,
        result_recipient_email, division, created_at, student_id, session_id, abort_reason,
        has_seen_end_test_screen, is_present)
    SELECT s.last_name, s.first_name, s.birthdate, s.sex, '', '', 'PARIS', 'FRANCE', s.ine, '',
           s.division, now(), s.id, se.id, '', true, true
    FROM students_student s
    JOIN certif_sessions_session se ON se.organization_id = s.organization_id
         AND se.room = s.division
    WHERE s.organization_id = %(org)s AND s.id %% 35 <> 0
    """,
    """
    INSERT INTO results_certificationresult (status, pix_score, correct_answers,
        scored_answers, jury_comment, test_date, verification_code, published_at, created_at,
        candidate_id)
    SELECT CASE WHEN c.id %% 10 = 0 THEN 'rejected' ELSE 'validated' END,
           CASE WHEN c.id %% 10 = 0 THEN 0 ELSE 8 * (c.id %% 40) END, 20, 24, '', se.date,
           'P-B' || lpad(c.id::text, 7, '0'), now(), now(), c.id
    FROM certif_sessions_candidate c JOIN certif_sessions_session se ON se.id = c.session_id
    WHERE se.organization_id = %(org)s
    """,
    """
    INSERT INTO results_competencemark (profile_level, profile_pix, level, score, competence_id,
        result_id)
    SELECT 3, 24, (r.id + k.index) %% 6, 24, k.id, r.id
    FROM results_certificationresult r
    JOIN certif_sessions_candidate c ON c.id = r.candidate_id
    JOIN certif_sessions_session se ON se.id = c.session_id
    JOIN certification_competence k ON (k.index + r.id) %% 16 < 8
    WHERE se.organization_id = %(org)s
    """,
]
CLEAN_UP_SQL = [
    """DELETE FROM results_competencemark WHERE result_id IN (
        SELECT r.id FROM results_certificationresult r
        JOIN certif_sessions_candidate c ON c.id = r.candidate_id
        JOIN certif_sessions_session se ON se.id = c.session_id
        JOIN accounts_organization o ON o.id = se.organization_id WHERE o.uai LIKE 'B%%')""",
    """DELETE FROM results_certificationresult WHERE candidate_id IN (
        SELECT c.id FROM certif_sessions_candidate c
        JOIN certif_sessions_session se ON se.id = c.session_id
        JOIN accounts_organization o ON o.id = se.organization_id WHERE o.uai LIKE 'B%%')""",
    """DELETE FROM certif_sessions_candidate WHERE session_id IN (
        SELECT se.id FROM certif_sessions_session se
        JOIN accounts_organization o ON o.id = se.organization_id WHERE o.uai LIKE 'B%%')""",
    """DELETE FROM certification_campaignparticipation WHERE campaign_id IN (
        SELECT c.id FROM certification_campaign c
        JOIN accounts_organization o ON o.id = c.organization_id WHERE o.uai LIKE 'B%%')""",
    """DELETE FROM students_student WHERE organization_id IN (
        SELECT id FROM accounts_organization WHERE uai LIKE 'B%%')""",
    "DELETE FROM accounts_user WHERE username LIKE '%%@bench-pages.invalid'",
]


def clean_up():
    with connection.cursor() as cursor:
        for sql in CLEAN_UP_SQL:
            cursor.execute(sql)
    for school in Organization.objects.filter(uai__startswith=UAI_PREFIX):
        school.delete()
    User.objects.filter(email__endswith=DOMAIN).delete()


def create_school(size: int, *, with_results: bool) -> tuple[Organization, User]:
    school = Organization.objects.create(uai=f"{UAI_PREFIX}{size:07d}", name=f"Lycée {size}")
    admin = User.objects.create_user(email=f"admin{size}@{DOMAIN}")
    Membership.objects.create(user=admin, organization=school, role=Membership.Role.ADMIN)
    params = {"size": size, "org": school.pk, "classes": CLASSES}
    with connection.cursor() as cursor:
        for sql in SCHOOL_SQL + (RESULTS_SQL if with_results else []):
            cursor.execute(sql, params)
        cursor.execute("VACUUM ANALYZE")
    return school, admin


def timings(function, rounds: int) -> list[float]:
    function()  # warm-up
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


def p50(function, rounds: int) -> float:
    return statistics.median(timings(function, rounds))


def query_params(params: dict, last_page: int) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, value in params.items():
        if value == "last":
            value = last_page
        query.setlist(key, str(value).split(","))
    return query


def students_list_figures(schools: dict, rounds: int) -> dict:
    """Each case on every school, the schools' requests interleaved round by round: a shared
    machine's load weighs the same on the sizes compared."""
    figures = {size: {} for size in schools}
    for label, params in LIST_CASES:
        probes = {}
        for size, (school, client) in schools.items():
            count = students_filtered(organization=school, params=query_params(params, 1)).count()
            query = query_params(params, max(1, -(-count // 50)))
            ids = students_filtered(organization=school, params=query).values_list("pk", flat=True)
            paginator = StudentIdsPaginator(ids, int(query.get("par_page", 50)))
            paginator.__dict__["count"] = count  # the floor is the rows' query, not the count

            number = int(query.get("page", 1))

            def main_query(paginator=paginator, number=number):
                paginator.get_page(number)

            url = reverse("students:list", args=[school.pk])
            empty = reverse("bench_empty", args=[school.pk])
            probes[size] = {
                "page": lambda client=client, url=url, query=query: client.get(url, query),
                "main": main_query,
                "empty": lambda client=client, empty=empty: client.get(empty),
            }
        times = {size: {name: [] for name in probe} for size, probe in probes.items()}
        for probe in probes.values():  # warm-up
            for function in probe.values():
                function()
        for _ in range(rounds):
            for size, probe in probes.items():
                for name, function in probe.items():
                    started = time.perf_counter()
                    function()
                    times[size][name].append((time.perf_counter() - started) * 1000)
        for size in schools:
            p = {name: statistics.median(values) for name, values in times[size].items()}
            with CaptureQueriesContext(connection) as queries:
                response = probes[size]["page"]()
            assert response.status_code == 200, response.status_code
            html = response.content.decode()
            rows = html.count('name="student_ids"')
            floor = p["empty"] + p["main"]
            figures[size][label] = {
                "p50": p["page"],
                "min": min(times[size]["page"]),
                "floor": floor,
                "html": len(html),
            }
            print(
                f"  {size:>6} {label:<38} {p['page']:6.1f} ms  plancher {floor:5.1f} ms "
                f"({p['empty']:.1f} + {p['main']:.1f})  ×{p['page'] / floor:4.1f}  "
                f"{len(html) / 1024:4.0f} Ko  {len(queries.captured_queries):>2} requêtes  "
                f"{rows:>3} lignes"
            )
    return figures


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def throughput(cookie: str, paths: dict[str, str], seconds: float, threads: int = 4) -> dict:
    """Requests per second of two gunicorn workers, `threads` clients at once, per path."""
    port = free_port()
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "pix_portal.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL,  # its access log
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        rates = {}
        for label, path in paths.items():
            counts = [0] * threads
            stop = time.monotonic() + seconds

            def client(index, path=path, stop=stop, counts=counts):
                link = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                while time.monotonic() < stop:
                    link.request("GET", path, headers={"Cookie": cookie})
                    response = link.getresponse()
                    response.read()
                    assert response.status == 200, response.status
                    counts[index] += 1

            for index in range(threads):  # warm-up: every worker loaded
                client(index, stop=time.monotonic() + 1)
            counts[:] = [0] * threads
            stop = time.monotonic() + seconds
            workers = [
                threading.Thread(target=client, args=(i,), kwargs={"stop": stop})
                for i in range(threads)
            ]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
            rates[label] = sum(counts) / seconds
        return rates
    finally:
        server.terminate()
        server.wait(timeout=30)


def school_pages(route_prefix="o/<int:org_id>/") -> list[str]:
    """The URL names of the school's pages that need no other parameter."""
    names = []

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                route = prefix + str(pattern.pattern)
                if route.startswith(route_prefix) and route.count("<") == 1:
                    names.append(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns, "", "")
    return names


def nightly_recompute(rounds: int) -> dict:
    students = Student.objects.count()
    ms = p50(certifiability_recompute, rounds)
    print(
        f"Certificabilité nocturne, rien à faire : {ms:.0f} ms pour {students} élèves "
        f"({ms * 1_000_000 / max(students, 1) / 1000:.2f} s par million)"
    )
    return {"p50": ms, "students": students}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="3500,100000")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--json")
    parser.add_argument(
        "--only-students",
        action="store_true",
        help="only the Élèves page and its throughput (no bilan, exports, other pages, nightly)",
    )
    parser.add_argument("--compare", nargs=2)
    args = parser.parse_args()
    if args.compare:
        return compare(*args.compare)
    call_command("migrate", verbosity=0)
    clean_up()
    sizes = [int(size) for size in args.sizes.split(",")]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM students_student")
        others = cursor.fetchone()[0]
    print(
        f"{connection.settings_dict['NAME']} : {others} élèves déjà en base ; "
        f"charge {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} sur {os.cpu_count()} cœurs"
    )
    report = {"others": others, "load": os.getloadavg()[:2], "sizes": {}}
    try:
        schools = {}
        for index, size in enumerate(sizes):
            started = time.perf_counter()
            with_results = index == 0 and not args.only_students
            school, admin = create_school(size, with_results=with_results)
            print(f"École de {size} élèves créée en {time.perf_counter() - started:.0f} s")
            client = Client()
            client.force_login(admin)
            schools[size] = (school, client)
        print(
            f"Élèves (p50 de {args.rounds} requêtes ; plancher : page vide + requête des lignes) :"
        )
        lists = students_list_figures(schools, args.rounds)
        for size in sizes:
            report["sizes"][str(size)] = {"list": lists[size]}
        report["sizes"][str(sizes[0])].update(
            first_school_figures(schools[sizes[0]][1], schools[sizes[0]][0], args)
        )
        if len(sizes) > 1:
            small, large = lists[sizes[0]], lists[sizes[1]]
            print(f"Élèves, {sizes[1]} / {sizes[0]} élèves :")
            for label in small:
                print(
                    f"  {label:<40} ×{large[label]['p50'] / small[label]['p50']:4.2f}  "
                    f"HTML ×{large[label]['html'] / small[label]['html']:4.2f}"
                )
        if not args.only_students:
            report["nightly"] = nightly_recompute(3)
    finally:
        clean_up()
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1))


def first_school_figures(client, school, args) -> dict:
    figures = {}
    session_cookie = client.cookies["sessionid"].value
    rates = throughput(
        f"sessionid={session_cookie}",
        {
            "vide": reverse("bench_empty", args=[school.pk]),
            "élèves": reverse("students:list", args=[school.pk]),
        },
        args.seconds,
    )
    print(
        f" 2 workers gunicorn, 4 clients : page vide {rates['vide']:.0f}/s, "
        f"Élèves {rates['élèves']:.0f}/s (×{rates['élèves'] / rates['vide']:.2f})"
    )
    figures["throughput"] = rates
    if args.only_students:
        return figures

    year = {"annee": RESULTS_YEAR, "classe": ""}
    bilan_sql = bilans._bilan_sql(division=False)  # noqa: SLF001 — its own floor
    first_day, last_day = bilans.school_year_bounds(RESULTS_YEAR)
    sql_params = {
        "organization": school.pk,
        "division": "",
        "first_day": first_day,
        "last_day": last_day,
        "validated": "validated",
    }

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(bilan_sql, sql_params)
            cursor.fetchall()
            cursor.execute(
                "SELECT count(*) FROM students_student WHERE organization_id = %s "
                "AND NOT is_disabled",
                [school.pk],
            )

    floor_ms = p50(floor, args.rounds)
    bilan = bilans.bilan_compute(organization=school, start_year=RESULTS_YEAR)
    compute_ms = p50(
        lambda: bilans.bilan_compute(organization=school, start_year=RESULTS_YEAR), args.rounds
    )
    bilan_url = reverse("results:bilan", args=[school.pk])
    page_ms = p50(lambda: client.get(bilan_url, year), args.rounds)
    pdf_url = reverse("results:bilan_pdf", args=[school.pk])
    pdf_ms = p50(lambda: client.get(pdf_url, year), 3)
    print(
        f" Bilan ({bilan.students} élèves, {bilan.presented} présentés) : plancher SQL "
        f"{floor_ms:.1f} ms ; calcul {compute_ms:.1f} ms (×{compute_ms / floor_ms:.2f}) ; "
        f"page {page_ms:.1f} ms (×{page_ms / floor_ms:.2f}) ; PDF {pdf_ms:.0f} ms"
    )
    figures["bilan"] = {"floor": floor_ms, "compute": compute_ms, "page": page_ms, "pdf": pdf_ms}

    exports = {}
    for name in ("csv", "xlsx"):
        url = reverse(f"results:export_{name}", args=[school.pk])
        exports[name] = p50(lambda url=url: client.get(url), args.rounds)
    print(
        f" Export des résultats (toute l'école) : CSV {exports['csv']:.0f} ms, "
        f"XLSX {exports['xlsx']:.0f} ms (×{exports['xlsx'] / exports['csv']:.2f})"
    )
    figures["exports"] = exports

    pages = {}
    for name in school_pages():
        url = reverse(name, args=[school.pk])
        if client.get(url).status_code != 200:
            continue
        times = timings(lambda url=url: client.get(url), max(5, args.rounds // 2))
        pages[name] = {"p50": statistics.median(times), "min": min(times)}
    print(
        " Pages de l'école (p50 / min) : "
        + ", ".join(f"{n} {ms['p50']:.0f}/{ms['min']:.0f} ms" for n, ms in pages.items())
    )
    figures["pages"] = pages
    return figures


def compare(empty_path: str, full_path: str):
    empty, full = (json.loads(Path(path).read_text()) for path in (empty_path, full_path))
    print(f"Base pleine ({full['others']} élèves) / base vide ({empty['others']}) :")

    def flatten(tree, prefix=""):
        for key, value in tree.items():
            if isinstance(value, dict):
                yield from flatten(value, f"{prefix}{key} / ")
            elif isinstance(value, int | float) and not re.search(r"html|rows|students", key):
                yield f"{prefix}{key}", value

    full_figures = dict(flatten(full["sizes"]))
    for key, value in flatten(empty["sizes"]):
        if key in full_figures and value and "floor" not in key:
            ratio = full_figures[key] / value
            print(f"  {key:<70} {value:8.1f} → {full_figures[key]:8.1f}  ×{ratio:.2f}")


if __name__ == "__main__":
    main()
