"""Two hosts: the web process (this one) and a real Celery worker with another working directory
and no MEDIA_ROOT in common. They share only PostgreSQL, Redis and the S3-compatible private
storage, and the four long jobs still complete. `.ci/run` starts an S3-compatible server
(moto) and sets the PRIVATE_STORAGE_S3_* variables for this test (marker `multihost`, left out of
the plain `pytest` run, which uses the filesystem storage).
"""

import csv
import io
import os
import time
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from conftest import service_unavailable
from jobs.services import jobs_sweep
from students.models import Student
from tests.celery_worker import celery_worker_started
from tests.jobs.actions import class_attestations, import_upload, reset_two_classes, session_zip

pytestmark = pytest.mark.multihost


def _bucket():
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=os.environ["PRIVATE_STORAGE_S3_ENDPOINT_URL"],
        aws_access_key_id=os.environ["PRIVATE_STORAGE_S3_ACCESS_KEY_ID"],
        aws_secret_access_key=os.environ["PRIVATE_STORAGE_S3_SECRET_ACCESS_KEY"],
        region_name=os.environ.get("PRIVATE_STORAGE_S3_REGION") or "us-east-1",
    )
    return client, os.environ["PRIVATE_STORAGE_S3_BUCKET"]


def bucket_keys() -> list[str]:
    client, bucket = _bucket()
    return [item["Key"] for item in client.list_objects_v2(Bucket=bucket).get("Contents", [])]


@pytest.fixture
def worker_on_another_host(transactional_db, settings, tmp_path):
    if "s3" not in settings.STORAGES["private"]["BACKEND"]:
        service_unavailable("PRIVATE_STORAGE_S3_BUCKET non défini : .ci/run démarre un stockage S3")
    client, bucket = _bucket()
    if bucket not in [b["Name"] for b in client.list_buckets()["Buckets"]]:
        client.create_bucket(Bucket=bucket)
    host = tmp_path / "worker-host"
    (host / "media").mkdir(parents=True)
    with celery_worker_started(settings, cwd=host, MEDIA_ROOT=str(host / "media")) as worker:
        yield worker, host


def wait(job, done, worker, what: str, timeout: float = 120):
    deadline = time.monotonic() + timeout
    while True:
        job.refresh_from_db()
        if done(job):
            return job
        assert job.status != "failed", f"{what} : {job.error}"
        assert worker.poll() is None, worker.stdout.read()
        assert time.monotonic() < deadline, f"{what} : délai dépassé ({job.status})"
        time.sleep(0.3)


def test_the_four_jobs_complete_with_web_and_worker_on_different_hosts(
    worker_on_another_host, alice_client, school, settings
):
    worker, worker_host = worker_on_another_host

    job = import_upload(alice_client, school)
    wait(job, lambda j: j.status == "ready", worker, "aperçu de l'import")
    alice_client.post(reverse("students:import_job_confirm", args=[school.id, job.id]))
    wait(job, lambda j: j.status == "done", worker, "import")
    assert Student.objects.filter(organization=school, division="3E1").count() == 3

    reset = reset_two_classes(alice_client, school)
    wait(reset, lambda j: j.slips_status == "done", worker, "réinitialisation")
    urls = {
        kind: reverse(f"student_accounts:job_{kind}", args=[school.id, reset.id])
        for kind in ("csv", "slips")
    }
    rows = list(csv.reader(io.StringIO(alice_client.post(urls["csv"]).content.decode("utf-8-sig"))))
    assert len(rows) == 3  # header + one student of each class
    slips = alice_client.post(urls["slips"])
    assert slips.status_code == 200 and slips.content.startswith(b"%PDF")
    assert (
        alice_client.post(urls["csv"]).status_code == 302
        and alice_client.post(urls["slips"]).status_code == 302
    )

    document = session_zip(alice_client, school)
    wait(document, lambda j: j.status == "done", worker, "Tout télécharger")
    download = alice_client.get(
        reverse(
            "certif_sessions:document_job_download",
            args=[school.id, document.session_id, document.id],
        )
    )
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert len(archive.namelist()) == 5

    batch = class_attestations(alice_client, school)
    wait(batch, lambda j: j.status == "done", worker, "attestations")
    download = alice_client.get(
        reverse("results:certificate_batch_download", args=[school.id, batch.id])
    )
    assert len(PdfReader(io.BytesIO(b"".join(download.streaming_content))).pages) == 2

    # Nothing went through either host's disk.
    assert not [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    assert not [p for p in (worker_host / "media").rglob("*") if p.is_file()]
    assert bucket_keys()  # the documents are there until their expiry
    jobs_sweep(now=timezone.now() + timedelta(days=3))
    assert bucket_keys() == []
