"""Bulk reset of students' passwords from the Élèves page: confirmation, CSV, slips, rules."""

import csv
import html
import io
import json
import re
from datetime import date, timedelta

import pypdf
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditLog, Membership
from jobs.services import jobs_sweep
from student_accounts.models import PasswordResetJob
from student_accounts.services import (
    StudentsOutsideOrganization,
    password_reset_prepare,
    students_reset_passwords,
)
from students.models import Student
from tests.factories import (
    DEFAULT_PASSWORD,
    StudentFactory,
    StudentUserFactory,
    UserFactory,
)
from tests.pages import polled_urls, polls, progress
from tests.pdf_tags import assert_accessible

pytestmark = pytest.mark.django_db


@pytest.fixture
def classroom(school):
    """One class of 3E2: one without account, one with an identifiant, two by e-mail/GAR only."""
    return {
        "aurelie": StudentFactory(
            organization=school,
            last_name="COEURVOLAN",
            first_name="Aurélie",
            birthdate=date(2011, 3, 14),
        ),
        "lea": StudentFactory(
            organization=school,
            last_name="MARTIN",
            first_name="Léa",
            user=StudentUserFactory(username="lea.martin0103"),
        ),
        "by_email": StudentFactory(
            organization=school,
            last_name="BŒUF",
            first_name="Noé",
            user=UserFactory(email="noe.boeuf@eleve.example.fr"),
        ),
        "by_gar": StudentFactory(
            organization=school,
            last_name="N'DIAYE",
            first_name="Inès",
            user=UserFactory(email="ines@gar.example.fr", has_mediacentre_access=True),
        ),
    }


def reset_url(name, school, *args):
    return reverse(f"student_accounts:{name}", args=[school.id, *args])


def ids(*students):
    return {"student_ids": [student.id for student in students]}


def run_reset(client, school, data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reset_url("reset", school), data)
    assert response.status_code == 302
    return PasswordResetJob.objects.get(pk=int(response.url.rstrip("/").rsplit("/", 1)[1]))


def download(client, school, job, kind):
    name = "job_csv" if kind == "csv" else "job_slips"
    return client.post(reset_url(name, school, job.id))


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def login(client, username, password):
    client.logout()
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_the_confirmation_says_who_is_reset_who_gets_an_identifiant_and_who_is_skipped(
    alice_client, school, classroom
):
    response = alice_client.post(reset_url("reset_confirm", school), ids(*classroom.values()))
    page = html.unescape(response.content.decode())
    assert "4 élèves sélectionnés" in page
    assert "1 élève se connecte avec un identifiant" in page
    assert "1 élève n'a pas encore de compte" in page
    assert "2 élèves ignorés : ils se connectent uniquement par adresse e-mail ou par" in page
    assert "BŒUF Noé (3E2) — Adresse e-mail" in page
    assert "N'DIAYE Inès (3E2) — Adresse e-mail, Mediacentre" in page
    assert "Réinitialiser 2 mots de passe" in page
    assert not PasswordResetJob.objects.exists()
    assert classroom["aurelie"].user is None


def test_resetting_a_class_gives_the_csv_of_identifiants_and_one_time_passwords(
    alice_client, school, classroom, django_capture_on_commit_callbacks
):
    job = run_reset(
        alice_client, school, ids(*classroom.values()), django_capture_on_commit_callbacks
    )
    assert job.status == PasswordResetJob.Status.DONE
    assert (job.reset_count, job.identifiants_created_count, job.skipped_count) == (1, 1, 2)

    response = download(alice_client, school, job, "csv")
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbfClasse;Nom;Pr\xc3\xa9nom;Identifiant;Mot")
    assert re.fullmatch(
        r'attachment; filename="\d{8}_\d{4}_0750001A_password_reset\.csv"',
        response["Content-Disposition"],
    )
    rows = csv_rows(response)
    assert rows[0] == ["Classe", "Nom", "Prénom", "Identifiant", "Mot de passe"]
    assert [row[:4] for row in rows[1:]] == [
        ["3E2", "COEURVOLAN", "Aurélie", "aurelie.coeurvolan1403"],
        ["3E2", "MARTIN", "Léa", "lea.martin0103"],
    ]
    for row in rows[1:]:
        assert re.fullmatch(r"[a-hjkmnp-z]{6}[0-9]{2}", row[4])

    classroom["aurelie"].refresh_from_db()
    assert classroom["aurelie"].user.username == "aurelie.coeurvolan1403"
    assert classroom["aurelie"].user.must_change_password
    skipped = classroom["by_email"].user
    skipped.refresh_from_db()
    assert skipped.check_password(DEFAULT_PASSWORD) and not skipped.must_change_password


def test_the_passwords_of_the_csv_open_the_accounts_once_and_must_be_changed_first(
    client, alice_client, school, classroom, django_capture_on_commit_callbacks
):
    job = run_reset(alice_client, school, ids(classroom["lea"]), django_capture_on_commit_callbacks)
    _classe, _nom, _prenom, identifiant, password = csv_rows(
        download(alice_client, school, job, "csv")
    )[1]

    assert login(client, identifiant, password).status_code == 302
    assert client.get(reverse("results_public:student_home")).url == reverse(
        "accounts:password_change"
    )
    client.post(
        reverse("accounts:password_change"),
        {"new_password1": "Tortue-Bleue-7", "new_password2": "Tortue-Bleue-7"},
    )
    assert client.get(reverse("results_public:student_home")).status_code == 200

    assert login(client, identifiant, password).status_code == 200  # used: no longer valid
    assert login(client, identifiant, "Tortue-Bleue-7").status_code == 302


def test_a_newer_reset_invalidates_the_older_one_time_password(
    client, alice_client, school, classroom, django_capture_on_commit_callbacks
):
    first = run_reset(
        alice_client, school, ids(classroom["lea"]), django_capture_on_commit_callbacks
    )
    old_password = csv_rows(download(alice_client, school, first, "csv"))[1][4]
    second = run_reset(
        alice_client, school, ids(classroom["lea"]), django_capture_on_commit_callbacks
    )
    new_password = csv_rows(download(alice_client, school, second, "csv"))[1][4]

    assert login(client, "lea.martin0103", old_password).status_code == 200
    assert login(client, "lea.martin0103", new_password).status_code == 302


def test_a_one_time_password_from_a_reset_expires_after_thirty_days(
    client, alice_client, school, classroom, django_capture_on_commit_callbacks
):
    job = run_reset(alice_client, school, ids(classroom["lea"]), django_capture_on_commit_callbacks)
    password = csv_rows(download(alice_client, school, job, "csv"))[1][4]
    user = classroom["lea"].user
    user.refresh_from_db()
    validity = user.one_time_password_expires_at - timezone.now()
    assert timedelta(days=29, hours=23) < validity <= timedelta(days=30)

    # Thirty days later:
    user.one_time_password_expires_at = timezone.now() - timedelta(seconds=1)
    user.save(update_fields=["one_time_password_expires_at"])
    assert login(client, "lea.martin0103", password).status_code == 200


def test_the_slips_have_one_student_each_sorted_by_class_then_name(
    alice_client, school, django_capture_on_commit_callbacks
):
    students = [
        StudentFactory(organization=school, division="3E2", last_name=name, first_name="Zoé")
        for name in ["MOREAU", "ÉTIENNE", "BLANC", "ROUX", "DURAND", "ANDRÉ", "PETIT"]
    ] + [
        StudentFactory(organization=school, division="3E1", last_name=name, first_name="Jules")
        for name in ["SIMON", "LAURENT", "GIRARD", "FAURE", "MOREL"]
    ]
    job = run_reset(alice_client, school, ids(*students), django_capture_on_commit_callbacks)

    response = download(alice_client, school, job, "slips")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith('_0750001A_fiches_de_connexion.pdf"')
    pdf = pypdf.PdfReader(io.BytesIO(response.content))
    assert len(pdf.pages) == 2  # 10 slips per A4 page
    text = "\n".join(page.extract_text() for page in pdf.pages)
    names = re.findall(r"^([A-ZÉ]+) (?:Zoé|Jules)$", text, flags=re.MULTILINE)
    assert names == [
        *["FAURE", "GIRARD", "LAURENT", "MOREL", "SIMON"],  # 3E1
        *["ANDRÉ", "BLANC", "DURAND", "ÉTIENNE", "MOREAU", "PETIT", "ROUX"],  # 3E2
    ]
    assert text.count("Vous devrez choisir un nouveau mot de passe à la") == 12
    assert text.count(f"Adresse : {settings.SITE_URL}/connexion/") == 12
    assert "Classe : 3E1" in text and "Collège Victor-Hugo" in text

    # The same passwords as the CSV, which follows the same order.
    rows = csv_rows(download(alice_client, school, job, "csv"))[1:]
    assert [row[1] for row in rows] == names
    for row in rows:
        assert f"Identifiant : {row[3]}" in text and f"Mot de passe : {row[4]}" in text


def test_a_reset_of_several_classes_runs_in_the_background_with_a_progress_bar(
    alice_client, school, django_capture_on_commit_callbacks
):
    students = [StudentFactory(organization=school, division=d) for d in ["3E1", "3E2", "4E1"]]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = alice_client.post(reset_url("reset", school), ids(*students))
    job = PasswordResetJob.objects.get()
    assert response.url == reset_url("job", school, job.id)
    page = alice_client.get(response.url).content.decode()
    assert progress(page) is not None and polled_urls(page) == [response.url]
    assert "Réinitialisation en cours pour 3 élèves" in page

    for callback in callbacks:  # the Celery task, run inline
        callback()
    partial = alice_client.get(response.url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and not polls(partial)
    assert "3 identifiants créés, avec leur mot de passe" in partial
    assert "Télécharger le fichier CSV" in partial
    assert "Télécharger les fiches à découper (PDF)" in partial


def test_the_csv_is_offered_while_the_slips_are_still_being_laid_out(
    alice_client, alice, school, classroom, monkeypatch
):
    """The slips come after the passwords: the admin can take the CSV meanwhile."""
    from student_accounts import services as student_accounts

    seen_during_layout = {}
    real_render = student_accounts.password_slips_render

    def render_while_looking(**kwargs):
        job = PasswordResetJob.objects.get()
        page = alice_client.get(reset_url("job", school, job.id)).content.decode()
        seen_during_layout["page"] = page
        refused = download(alice_client, school, job, "slips")
        seen_during_layout["slips"] = html.unescape(alice_client.get(refused.url).content.decode())
        seen_during_layout["csv"] = csv_rows(download(alice_client, school, job, "csv"))
        return real_render(**kwargs)

    monkeypatch.setattr(student_accounts, "password_slips_render", render_while_looking)
    job = PasswordResetJob.objects.create(
        organization=school, requested_by=alice, student_ids=[classroom["lea"].id]
    )
    student_accounts.password_reset_job_run(job_id=job.pk)
    job.refresh_from_db()

    page = seen_during_layout["page"]
    assert "Mots de passe réinitialisés" in page
    assert "Fiches à découper (PDF) en préparation" in page and 'id="slips-progress"' in page
    assert polled_urls(page) == [reset_url("job", school, job.id)] and "{#" not in page
    # Nothing to give yet, and nothing spent: no "already downloaded", no new reset asked for.
    assert "encore en préparation" in seen_during_layout["slips"]
    assert "refaites une réinitialisation" not in seen_during_layout["slips"]
    assert seen_during_layout["csv"][1][3] == "lea.martin0103"
    job.refresh_from_db()
    assert job.slips_status == PasswordResetJob.SlipsStatus.DONE
    slips = pypdf.PdfReader(io.BytesIO(download(alice_client, school, job, "slips").content))
    assert seen_during_layout["csv"][1][4] in slips.pages[0].extract_text()


def test_the_slips_of_a_big_reset_are_whole_in_order_and_tagged(
    alice_client, school, django_capture_on_commit_callbacks
):
    """Over 100 slips, chunks laid out apart are written as one document: one slip per student,
    by class then name, 10 per page, each slip one block a screen reader reads whole."""
    students = [
        StudentFactory(organization=school, division=division, last_name=f"NOM{n:03d}")
        for division in ("3E1", "3E2", "4E1")
        for n in range(37)
    ]
    job = run_reset(alice_client, school, ids(*students), django_capture_on_commit_callbacks)
    assert (job.status, job.slips_status) == ("done", "done")

    rows = csv_rows(download(alice_client, school, job, "csv"))[1:]
    slips = download(alice_client, school, job, "slips").content
    tagged = assert_accessible(
        slips, title=f"Fiches de connexion — {school.name}", roles={"/Div", "/Link"}
    )
    assert tagged.roles.count("/Div") == 111 and len(tagged.links) == 111
    pages = pypdf.PdfReader(io.BytesIO(slips)).pages
    assert len(pages) == 12  # 111 slips: 11 full pages and one of 1
    text = "\n".join(page.extract_text() for page in pages)
    positions = [text.index(f"Mot de passe : {row[4]}") for row in rows]
    assert len(rows) == 111 and positions == sorted(positions)
    assert [row[0] for row in rows] == ["3E1"] * 37 + ["3E2"] * 37 + ["4E1"] * 37


def test_slips_that_cannot_be_laid_out_leave_the_reset_and_its_csv_whole(
    client, alice_client, alice, school, classroom, monkeypatch
):
    from student_accounts import services as student_accounts

    def broken_render(**kwargs):
        raise OSError("disque plein")

    monkeypatch.setattr(student_accounts, "password_slips_render", broken_render)
    job = PasswordResetJob.objects.create(
        organization=school, requested_by=alice, student_ids=[classroom["lea"].id]
    )
    student_accounts.password_reset_job_run(job_id=job.pk)
    job.refresh_from_db()

    assert (job.status, job.slips_status) == ("done", "failed")
    page = html.unescape(alice_client.get(reset_url("job", school, job.id)).content.decode())
    assert "Les fiches à découper n'ont pas pu être préparées" in page
    assert not polls(page)
    refused = download(alice_client, school, job, "slips")
    assert "le fichier CSV contient les mêmes" in html.unescape(
        alice_client.get(refused.url).content.decode()
    )
    password = csv_rows(download(alice_client, school, job, "csv"))[1][4]
    assert login(client, "lea.martin0103", password).status_code == 302


def test_slips_left_pending_by_a_killed_worker_stop_being_awaited(alice_client, alice, school):
    job = PasswordResetJob.objects.create(
        organization=school,
        requested_by=alice,
        status=PasswordResetJob.Status.DONE,
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
        expires_at=timezone.now() + timedelta(hours=1),
    )
    job_url = reset_url("job", school, job.id)
    assert polled_urls(alice_client.get(job_url).content.decode()) == [job_url]

    jobs_sweep(now=timezone.now() + settings.JOB_HEARTBEAT_TIMEOUT + timedelta(seconds=1))
    page = html.unescape(alice_client.get(reset_url("job", school, job.id)).content.decode())
    assert not polls(page) and "n'ont pas pu être préparées" in page


def test_each_file_is_given_once_then_a_new_reset_is_needed(
    alice_client, school, classroom, django_capture_on_commit_callbacks
):
    job = run_reset(alice_client, school, ids(classroom["lea"]), django_capture_on_commit_callbacks)
    assert download(alice_client, school, job, "csv").status_code == 200

    again = download(alice_client, school, job, "csv")
    assert again.status_code == 302
    page = html.unescape(alice_client.get(again.url).content.decode())
    assert "Ce fichier n'est plus disponible" in page
    assert "Fichier CSV déjà téléchargé" in page
    assert download(alice_client, school, job, "slips").status_code == 200
    assert download(alice_client, school, job, "slips").status_code == 302


def test_the_files_are_encrypted_on_disk_and_deleted_once_downloaded(
    alice_client, school, classroom, django_capture_on_commit_callbacks
):
    job = run_reset(alice_client, school, ids(classroom["lea"]), django_capture_on_commit_callbacks)
    directory = settings.PRIVATE_STORAGE_ROOT / "password-resets" / str(school.pk)
    stored = sorted(directory.iterdir())
    assert len(stored) == 2
    for path in stored:
        assert path.stat().st_mode & 0o077 == 0  # readable by the portal's user only
        assert b"lea.martin0103" not in path.read_bytes()

    password = csv_rows(download(alice_client, school, job, "csv"))[1][4]
    assert all(password.encode() not in path.read_bytes() for path in directory.iterdir())
    download(alice_client, school, job, "slips")
    assert list(directory.iterdir()) == []


def test_files_nobody_downloaded_expire_and_are_purged(
    alice_client, school, classroom, django_capture_on_commit_callbacks
):
    job = run_reset(alice_client, school, ids(classroom["lea"]), django_capture_on_commit_callbacks)
    directory = settings.PRIVATE_STORAGE_ROOT / "password-resets" / str(school.pk)
    jobs_sweep()
    assert len(list(directory.iterdir())) == 2  # still within the delay

    PasswordResetJob.objects.filter(pk=job.pk).update(expires_at=timezone.now())
    assert download(alice_client, school, job, "csv").status_code == 302
    assert (
        "ne sont plus disponibles"
        in alice_client.get(reset_url("job", school, job.id)).content.decode()
    )

    jobs_sweep(now=timezone.now() + settings.PASSWORD_RESET_FILES_TTL)
    assert list(directory.iterdir()) == []


def test_only_the_admin_who_asked_gets_the_files(
    client, alice_client, school, classroom, django_capture_on_commit_callbacks
):
    other_admin = UserFactory()
    other_admin.memberships.create(organization=school, role=Membership.Role.ADMIN)
    job = run_reset(alice_client, school, ids(classroom["lea"]), django_capture_on_commit_callbacks)

    client.force_login(other_admin)
    assert client.get(reset_url("job", school, job.id)).status_code == 404
    assert download(client, school, job, "csv").status_code == 404
    job.refresh_from_db()
    assert job.csv_file.downloaded_at is None


def test_select_all_resets_every_student_matching_the_list(
    alice_client, school, django_capture_on_commit_callbacks
):
    active = [StudentFactory(organization=school) for _ in range(3)]
    left = StudentFactory(organization=school, is_disabled=True)
    data = {"select_all": "1", "query": "", "student_ids": [active[0].id]}
    confirm = alice_client.post(reset_url("reset_confirm", school), data).content.decode()
    assert "3 élèves sélectionnés" in confirm

    job = run_reset(alice_client, school, data, django_capture_on_commit_callbacks)
    assert job.identifiants_created_count == 3
    left.refresh_from_db()
    assert left.user is None


def test_a_student_of_another_school_in_the_request_fails_it_all(
    alice_client, school, other_school, classroom
):
    outsider = StudentFactory(organization=other_school, user=StudentUserFactory())
    data = ids(classroom["lea"], classroom["aurelie"], outsider)
    assert alice_client.post(reset_url("reset_confirm", school), data).status_code == 404
    assert alice_client.post(reset_url("reset", school), data).status_code == 404

    assert not PasswordResetJob.objects.exists()
    classroom["lea"].user.refresh_from_db()
    assert classroom["lea"].user.check_password(DEFAULT_PASSWORD)
    classroom["aurelie"].refresh_from_db()
    assert classroom["aurelie"].user is None
    assert not AuditLog.objects.filter(action=AuditLog.Action.PASSWORDS_RESET).exists()


def test_the_service_itself_refuses_students_of_another_school(alice, school, other_school):
    outsider = StudentFactory(organization=other_school)
    with pytest.raises(StudentsOutsideOrganization):
        students_reset_passwords(organization=school, students=[outsider], reset_by=alice)
    outsider.refresh_from_db()
    assert outsider.user is None


def test_members_and_outsiders_cannot_reset(bob_client, charlie_client, school, classroom):
    data = ids(classroom["lea"])
    assert bob_client.post(reset_url("reset_confirm", school), data).status_code == 403
    assert bob_client.post(reset_url("reset", school), data).status_code == 403
    assert charlie_client.post(reset_url("reset", school), data).status_code == 404

    assert not PasswordResetJob.objects.exists()
    classroom["lea"].user.refresh_from_db()
    assert classroom["lea"].user.check_password(DEFAULT_PASSWORD)


def test_an_admin_removed_before_the_task_runs_resets_nothing(
    alice_client, alice, school, django_capture_on_commit_callbacks
):
    students = [StudentFactory(organization=school, division=d) for d in ["3E1", "3E2"]]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        alice_client.post(reset_url("reset", school), ids(*students))
    alice.memberships.update(role=Membership.Role.MEMBER)
    for callback in callbacks:
        callback()

    job = PasswordResetJob.objects.get()
    assert job.status == PasswordResetJob.Status.FAILED
    assert "plus administrateur" in job.error
    assert not Student.objects.filter(user__isnull=False).exists()
    directory = settings.PRIVATE_STORAGE_ROOT / "password-resets"
    assert not directory.exists() or not any(directory.rglob("*.*"))


def test_every_reset_is_in_the_audit_log_without_any_password(
    alice_client, alice, school, classroom, django_capture_on_commit_callbacks
):
    job = run_reset(
        alice_client, school, ids(*classroom.values()), django_capture_on_commit_callbacks
    )
    rows = csv_rows(download(alice_client, school, job, "csv"))[1:]

    entry = AuditLog.objects.get(action=AuditLog.Action.PASSWORDS_RESET)
    assert entry.actor == alice and entry.organization == school
    assert entry.details["student_ids"] == [classroom["lea"].id]
    assert entry.details["identifiant_created_student_ids"] == [classroom["aurelie"].id]
    assert sorted(entry.details["skipped_student_ids"]) == sorted(
        [classroom["by_email"].id, classroom["by_gar"].id]
    )
    assert entry.details["job_id"] == job.id
    everything_logged = json.dumps(list(AuditLog.objects.values("details")))
    for row in rows:
        assert row[4] not in everything_logged
    assert AuditLog.objects.filter(action=AuditLog.Action.EXPORT, actor=alice).count() == 1


def test_identifiants_created_in_one_reset_are_unique_across_the_portal(
    alice_client, school, other_school, django_capture_on_commit_callbacks
):
    StudentFactory(organization=other_school, user=StudentUserFactory(username="lea.martin0103"))
    twins = [
        StudentFactory(
            organization=school, last_name="MARTIN", first_name="Léa", birthdate=date(2011, 3, 1)
        )
        for _ in range(2)
    ]
    job = run_reset(alice_client, school, ids(*twins), django_capture_on_commit_callbacks)
    identifiants = [row[3] for row in csv_rows(download(alice_client, school, job, "csv"))[1:]]
    assert len(set(identifiants)) == 2 and "lea.martin0103" not in identifiants
    assert all(re.fullmatch(r"lea\.martin\d{4}", value) for value in identifiants)


def test_new_identifiants_of_a_class_are_checked_in_one_query(
    alice, school, django_assert_num_queries
):
    students = [
        StudentFactory(organization=school, last_name=name)
        for name in ["ABEL", "BRUN", "COTY", "DURAND", "EVRARD"]
    ]
    with django_assert_num_queries(2):  # the admin check, then every identifiant at once
        reset = password_reset_prepare(organization=school, students=students, reset_by=alice)
    assert reset.identifiants_created_count == 5


def test_the_csv_cannot_carry_a_spreadsheet_formula(
    alice_client, school, django_capture_on_commit_callbacks
):
    student = StudentFactory(
        organization=school, last_name='=HYPERLINK("http://x.example")', first_name="@Lou"
    )
    job = run_reset(alice_client, school, ids(student), django_capture_on_commit_callbacks)
    row = csv_rows(download(alice_client, school, job, "csv"))[1]
    assert row[1] == '\'=HYPERLINK("http://x.example")'
    assert row[2] == "'@Lou"


def test_nothing_ticked_sends_back_to_the_list_with_a_message(alice_client, school):
    response = alice_client.post(reset_url("reset_confirm", school), {}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("students:list", args=[school.id])
    assert "Sélectionnez au moins un élève" in response.content.decode()


def test_a_bulk_reset_gives_students_with_very_long_names_identifiants_that_fit(
    alice_client, school, django_capture_on_commit_callbacks
):
    """Runs on PostgreSQL in CI, which refuses a value longer than its column."""
    long_name = "Wolfeschlegelsteinhausenbergerdorff" * 4  # 140 letters
    students = [
        StudentFactory(
            organization=school,
            first_name="Marie-Antoinette Joséphine",
            last_name=long_name,
            birthdate=date(2011, 3, 1),
        )
        for _ in range(2)
    ] + [StudentFactory(organization=school, first_name="-", last_name="'")]
    job = run_reset(alice_client, school, ids(*students), django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == PasswordResetJob.Status.DONE, job.error
    identifiants = [row[3] for row in csv_rows(download(alice_client, school, job, "csv"))[1:]]
    width = Student._meta.get_field("user").related_model._meta.get_field("username").max_length
    assert len(set(identifiants)) == 3
    assert all(len(value) <= width and not value.startswith(".") for value in identifiants)
    for student in students:
        student.refresh_from_db()
        assert student.user.username in identifiants
