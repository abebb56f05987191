"""The import pages as a school admin uses them: upload, preview, confirm, report, history."""

from __future__ import annotations

import html
import io
import re
from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import Organization
from students.models import ImportJob, Student
from tests.factories import ImportJobFactory
from tests.pages import out_of_band, polled_urls, polls, progress
from tests.students.imports import students_snapshot
from tests.students.siecle_files import Eleve, siecle_xml, zip_bytes

pytestmark = pytest.mark.django_db


def eleve(number: int, **fields) -> Eleve:
    return Eleve(ine=f"{70_000_000 + number:09d}AA", **fields)


def text(response) -> str:
    return html.unescape(response.content.decode())


def post(client, url, capture, data=None):
    """POST, run what it queued on commit (the tasks), then follow the redirect."""
    with capture(execute=True):
        response = client.post(url, data or {})
    return client.get(response.url) if response.status_code == 302 else response


def post_file(client, school, data: bytes, capture, name="ElevesSansAdresses.zip"):
    url = reverse("students:import", args=[school.id])
    return post(client, url, capture, {"file": SimpleUploadedFile(name, data)})


def test_an_admin_uploads_a_zip_sees_the_preview_confirms_and_gets_the_report(
    alice_client, school, django_capture_on_commit_callbacks
):
    data = zip_bytes(
        [("ElevesSansAdresses.xml", siecle_xml([eleve(1, last_name="BŒUF"), eleve(2)]))]
    )

    preview = post_file(alice_client, school, data, django_capture_on_commit_callbacks)

    page = text(preview)
    assert "Le fichier est valide : vérifiez ce que l'import va faire" in page
    assert "BŒUF Hugo — 3E2" in page and "Confirmer l'import" in page
    assert not Student.objects.exists()
    job = ImportJob.objects.get()
    report = post(
        alice_client,
        reverse("students:import_job_confirm", args=[school.id, job.id]),
        django_capture_on_commit_callbacks,
    )
    page = text(report)
    assert "Import réussi" in page
    assert report.context["job"].created_count == 2
    assert Student.objects.filter(organization=school).count() == 2
    students_page = text(alice_client.get(reverse("students:list", args=[school.id])))
    assert "Dernier import réussi le" in students_page and "par Alice Admin" in students_page
    assert "BŒUF" in students_page


def test_the_import_button_names_the_file_kind_of_the_school(alice_client, school):
    assert "Importer (.xml ou .zip)" in text(
        alice_client.get(reverse("students:list", args=[school.id]))
    )

    Organization.objects.filter(pk=school.pk).update(type=Organization.Type.SCO_AGRI)
    page = text(alice_client.get(reverse("students:list", args=[school.id])))
    assert "Importer (.csv)" in page
    upload_page = text(alice_client.get(reverse("students:import", args=[school.id])))
    assert 'accept=".csv,text/csv"' in upload_page


def test_a_member_sees_the_last_import_but_cannot_import(
    alice_client, bob_client, school, django_capture_on_commit_callbacks
):
    post_file(alice_client, school, siecle_xml([eleve(1)]), django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()

    assert "Importer (.xml" not in text(bob_client.get(reverse("students:list", args=[school.id])))
    for name in ("students:import", "students:import_history"):
        assert bob_client.get(reverse(name, args=[school.id])).status_code == 403
    for name in ("import_job", "import_job_confirm", "import_job_cancel"):
        response = bob_client.post(reverse(f"students:{name}", args=[school.id, job.id]))
        assert response.status_code == 403, name
    response = bob_client.post(
        reverse("students:import", args=[school.id]),
        {"file": SimpleUploadedFile("e.xml", siecle_xml([eleve(2)]))},
    )
    assert response.status_code == 403
    job.refresh_from_db()
    assert job.status == ImportJob.Status.READY and ImportJob.objects.count() == 1
    assert not Student.objects.exists()


def test_a_rejected_file_lists_every_problem_and_says_nothing_was_imported(
    alice_client, school, django_capture_on_commit_callbacks
):
    data = siecle_xml([eleve(1, sex=None), eleve(2, birthdate="31/02/2012"), eleve(3)])

    response = post_file(alice_client, school, data, django_capture_on_commit_callbacks, "e.xml")

    page = text(response)
    assert "Le fichier a été refusé : aucun élève n'a été importé ni modifié" in page
    assert "Corrigez les 2 problèmes ci-dessous" in page
    assert "070000001AA" in page and "CODE_SEXE" in page
    assert "070000002AA" in page and "31/02/2012" in page
    assert not Student.objects.exists()


def test_a_hostile_file_is_refused_with_a_french_message_and_nothing_written(
    alice_client, school, django_capture_on_commit_callbacks
):
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE BEE_ELEVES [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<BEE_ELEVES>&x;</BEE_ELEVES>"
    )
    bomb = zip_bytes([("ElevesSansAdresses.xml", b"<BEE_ELEVES>" + b" " * 30_000_000)])
    nested = zip_bytes([("export.zip", zip_bytes([("e.xml", siecle_xml([eleve(1)]))]))])

    for data in (xxe, bomb, nested, b"\x00\x01binaire", siecle_xml([eleve(1)])[:-40]):
        response = post_file(alice_client, school, data, django_capture_on_commit_callbacks)
        job = response.context["job"]
        assert job.status == ImportJob.Status.REJECTED, job.errors
        assert "refusé" in text(response)
        assert "root:" not in text(response)
    assert not Student.objects.exists()


def test_an_oversized_upload_is_refused_before_it_is_stored(
    alice_client, school, settings, django_capture_on_commit_callbacks
):
    settings.MAX_UPLOAD_SIZE = 1024 * 1024

    response = post_file(
        alice_client, school, b"<" + b"x" * (1024 * 1024 + 10), django_capture_on_commit_callbacks
    )

    assert response.status_code == 200
    assert "Le fichier dépasse la taille maximale de 1 Mo" in text(response)
    assert not ImportJob.objects.exists()
    # The form's own size check would refuse it too: the upload handler must have cut it.
    assert response.wsgi_request.upload_too_large


def test_a_second_upload_is_refused_while_an_import_waits_for_its_confirmation(
    alice_client, school, django_capture_on_commit_callbacks
):
    post_file(alice_client, school, siecle_xml([eleve(1)]), django_capture_on_commit_callbacks)

    response = post_file(
        alice_client, school, siecle_xml([eleve(2)]), django_capture_on_commit_callbacks
    )

    page = text(response)
    assert "Un import attend d'être confirmé ou annulé pour votre établissement" in page
    assert ImportJob.objects.count() == 1


def test_cancelling_at_the_preview_changes_nothing(
    alice_client, school, django_capture_on_commit_callbacks
):
    post_file(alice_client, school, siecle_xml([eleve(1)]), django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()

    response = alice_client.post(
        reverse("students:import_job_cancel", args=[school.id, job.id]), follow=True
    )

    assert "Import annulé : aucun élève n'a été modifié." in text(response)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CANCELLED
    assert not Student.objects.exists()
    assert (
        alice_client.post(
            reverse("students:import_job_confirm", args=[school.id, job.id])
        ).status_code
        == 302
    )
    assert not Student.objects.exists()


def test_the_job_page_polls_its_own_address_while_the_job_runs_and_shows_the_outcome(
    alice_client, alice, school
):
    job = ImportJob.objects.create(
        organization=school,
        requested_by=alice,
        original_name="e.xml",
        status=ImportJob.Status.IMPORTING,
        progress=40,
    )
    job_url = reverse("students:import_job", args=[school.id, job.id])
    polled = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "job-progress"}

    page = text(alice_client.get(job_url))
    assert polled_urls(page) == [job_url] and progress(page) == 40
    assert "Vous pouvez quitter cette page" in page

    ImportJob.objects.filter(pk=job.pk).update(progress=75)
    part = text(alice_client.get(job_url, **polled))
    assert progress(part) == 75 and "<html" not in part and polled_urls(part) == [job_url]
    # The screen-reader status line is only filled when the job ends.
    assert out_of_band(part) == {"job-announce": ""} and 'role="status"' in part

    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.DONE)
    part = text(alice_client.get(job_url, **polled))
    assert "Import réussi" in part and not polls(part)
    assert out_of_band(part) == {"job-announce": "Import réussi."}


def test_the_history_lists_past_imports_with_who_when_file_outcome_and_counts(
    alice_client, school, django_capture_on_commit_callbacks
):
    post_file(
        alice_client,
        school,
        siecle_xml([eleve(1)], uai="0999999Z"),
        django_capture_on_commit_callbacks,
        "voisin.xml",
    )
    post_file(
        alice_client,
        school,
        siecle_xml([eleve(1), eleve(2)]),
        django_capture_on_commit_callbacks,
        "rentree.xml",
    )
    job = ImportJob.objects.get(original_name="rentree.xml")
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(reverse("students:import_job_confirm", args=[school.id, job.id]))

    page = text(alice_client.get(reverse("students:import_history", args=[school.id])))

    assert "voisin.xml" in page and "Fichier refusé" in page
    assert "rentree.xml" in page and "Réussi" in page
    assert "Alice Admin" in page
    rows = page.split("<tbody>")[1].split("</tr>")
    assert "rentree.xml" in rows[0] and "<td>2</td>" in rows[0]


def test_a_failed_import_can_be_run_again_from_its_page(
    alice_client, school, django_capture_on_commit_callbacks
):
    post_file(alice_client, school, siecle_xml([eleve(1)]), django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.FAILED, errors=["L'import a été interrompu."]
    )
    page = text(alice_client.get(reverse("students:import_job", args=[school.id, job.id])))
    assert "Relancer l'import" in page

    response = post(
        alice_client,
        reverse("students:import_job_retry", args=[school.id, job.id]),
        django_capture_on_commit_callbacks,
    )

    assert "Le fichier est valide" in text(response)
    assert response.context["job"].pk != job.pk


def test_another_schools_job_is_not_found(
    alice_client, charlie_client, school, other_school, django_capture_on_commit_callbacks
):
    post_file(alice_client, school, siecle_xml([eleve(1)]), django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    before = students_snapshot()

    for name in ("import_job", "import_job_confirm", "import_job_cancel", "import_job_retry"):
        url = reverse(f"students:{name}", args=[other_school.id, job.id])
        assert charlie_client.post(url).status_code == 404, name

    job.refresh_from_db()
    assert job.status == ImportJob.Status.READY and students_snapshot() == before


def test_the_upload_still_checks_the_csrf_token(alice, school):
    """The upload view installs its size cap before Django reads the body, so it does its own
    CSRF check: a forged form is refused and stores nothing."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    url = reverse("students:import", args=[school.id])
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text(client.get(url)))[1]
    data = siecle_xml([eleve(1)])

    forged = client.post(url, {"file": SimpleUploadedFile("e.xml", data)})
    assert forged.status_code == 403 and not ImportJob.objects.exists()

    genuine = client.post(
        url, {"csrfmiddlewaretoken": token, "file": SimpleUploadedFile("e.xml", data)}
    )
    assert genuine.status_code == 302 and ImportJob.objects.count() == 1


def test_the_demo_school_has_one_successful_import_in_its_history(client):
    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())

    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE and job.author.email == "admin@demo.pix-portal.fr"
    client.force_login(job.author)
    page = text(client.get(reverse("students:list", args=[job.organization_id])))
    assert "Dernier import réussi le" in page and "par Claire Fontaine" in page


def test_the_students_page_shows_the_import_under_way_and_the_last_success(
    client, alice, school, other_school
):
    done = ImportJob.Status.DONE
    ImportJobFactory(organization=school, status=done, finished_at=datetime(2026, 9, 1, tzinfo=UTC))
    ImportJobFactory(organization=school, status=done, finished_at=datetime(2026, 9, 3, tzinfo=UTC))
    ImportJobFactory(organization=school, status=ImportJob.Status.FAILED)
    ImportJobFactory(organization=other_school, status=done)
    active = ImportJobFactory(organization=school, status=ImportJob.Status.READY)
    client.force_login(alice)
    page = text(client.get(reverse("students:list", args=[school.id])))
    assert "Un import attend votre confirmation." in page
    assert reverse("students:import_job", args=[school.id, active.pk]) in page
    assert "Dernier import réussi le 03/09/2026" in page
