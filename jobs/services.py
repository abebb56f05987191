"""One way to run a long job: enqueue on commit, claim, report progress, fail; one sweep.

- `job_enqueue`: after the commit, the task (which takes the job's id) goes to the broker; a broker
  that refuses it or does not answer in time marks the job failed with `UNAVAILABLE`, and nothing
  else changes.
- `job_claim`: the worker takes the job from a waiting status to a running one in one UPDATE; a
  second delivery of the task (its first worker died: `acks_late`) finds it taken and marks it
  interrupted instead of running it twice.
- `job_progress_saver`: progress writes, throttled, each moving the heartbeat.
- `job_fail`: the exception's type is logged (never its text: it may quote personal data), the
  job shows a French message.
- `jobs_sweep` (beat, every minute): jobs whose heartbeat stopped are failed, files past their
  expiry are deleted.
"""

import logging
import time
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any, Protocol, TypeVar

from celery import current_app
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Model, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from .files import private_files_sweep
from .models import Job

# Job is abstract: generic code reaches a job's table through `_default_manager`.
J = TypeVar("J", bound=Job)

logger = logging.getLogger(__name__)

UNAVAILABLE = "Le service de traitement est indisponible, réessayez dans quelques minutes."


class JobTask(Protocol):
    """A Celery task that takes a job's id."""

    def delay(self, job_id: int) -> object: ...


def task_enqueue(task: Any, *args: object) -> None:
    """Send `task(*args)` once the current transaction commits (inline without a broker): the
    one way to start a task that is not a Job (a Job goes through job_enqueue)."""
    transaction.on_commit(partial(task.delay, *args))


def job_enqueue(*, job: Job, task: JobTask) -> None:
    """Send `task(job.pk)` once the current transaction commits (inline without a broker)."""
    transaction.on_commit(lambda: _send(job, task))


def _send(job: Job, task: JobTask) -> None:
    if current_app.conf.task_always_eager:
        task.delay(job.pk)  # runs here and now: the task records its own failures
        return
    type(job)._default_manager.filter(pk=job.pk).update(heartbeat_at=timezone.now())
    try:
        task.delay(job.pk)
    except Exception as error:  # refused, timed out: the broker's errors vary with its transport
        job_fail(job=job, error=error, message=UNAVAILABLE)


def job_claim(
    *, model: type[J], job_id: int, from_status: str = "pending", to_status: str = "running"
) -> J | None:
    """The job, now `to_status`, if this delivery took it; None if another one had."""
    now = timezone.now()
    taken = model._default_manager.filter(pk=job_id, status=from_status).update(
        status=to_status, progress=0, heartbeat_at=now
    )
    if taken:
        return model._default_manager.select_related("organization").get(pk=job_id)
    # A second delivery while the job still runs: its first worker died (acks_late +
    # task_reject_on_worker_lost bring the task back). Whatever that worker wrote in a
    # transaction was rolled back with it.
    model._default_manager.filter(pk=job_id, status=to_status).update(
        status="failed", error=model.INTERRUPTED_MESSAGE, finished_at=now
    )
    return None


def job_progress_saver(
    job: Job, total: float, *, start: int = 0, end: int = 99, field: str = "progress"
) -> Callable[[float], None]:
    """`save(done)` writes `field` between `start` and `end` as `done` goes to `total`: at most
    every JOB_PROGRESS_INTERVAL, or when it reaches `end`. Each write moves the heartbeat."""
    state = {"percent": -1, "written": 0.0}
    interval = settings.JOB_PROGRESS_INTERVAL.total_seconds()
    keepalive = settings.JOB_STALLED_AFTER.total_seconds() / 2

    def save(done: float) -> None:
        percent = start + int((end - start) * min(done, total) / max(total, 1))
        elapsed = time.monotonic() - state["written"]
        changed = percent != state["percent"] and (elapsed >= interval or percent == end)
        if changed or elapsed >= keepalive:
            state["percent"], state["written"] = percent, time.monotonic()
            type(job)._default_manager.filter(pk=job.pk).update(
                **{field: percent}, heartbeat_at=timezone.now()
            )

    return save


def job_fail(*, job: Job, error: BaseException | None = None, message: str = "") -> bool:
    """Mark a job that has not ended failed, with a French message. False if it had ended."""
    if error is not None:
        logger.error("%s %s failed: %s", type(job).__name__, job.pk, type(error).__name__)
    return bool(
        type(job)
        ._default_manager.filter(pk=job.pk, status__in=job.ACTIVE_STATUSES)
        .update(status="failed", error=message or job.FAILURE_MESSAGE, finished_at=timezone.now())
    )


def job_run(*, model: type[J], job_id: int, work: Callable[[J], None]) -> None:
    """What a job's task does: claim it, run `work(job)`, fail it on any error."""
    job = job_claim(model=model, job_id=job_id)
    if job is None:
        return
    try:
        work(job)
    except Exception as error:
        job_fail(job=job, error=error)


def job_models() -> list[type[Job]]:
    return [model for model in apps.get_models() if issubclass(model, Job)]


# `organization` is an accounts.Organization; jobs sits below accounts and does not import it.
def jobs_sweep(*, now: datetime | None = None, organization: Model | None = None) -> dict[str, int]:
    """Fail the jobs whose worker is gone (one school's, or all), then delete expired files."""
    now = now or timezone.now()
    failed = 0
    for model in job_models():
        jobs = model._default_manager.all()
        if organization is not None:
            jobs = jobs.filter(organization_id=organization.pk)
        failed += jobs.filter(
            status__in=model.RUNNING_STATUSES,
            heartbeat_at__lt=now - settings.JOB_HEARTBEAT_TIMEOUT,
        ).update(status="failed", error=model.INTERRUPTED_MESSAGE, finished_at=now)
        # Queued, never taken: no worker is there to take it.
        failed += (
            jobs.filter(status__in=model.QUEUED_STATUSES)
            .alias(queued_at=Coalesce("heartbeat_at", "created_at"))
            .filter(Q(queued_at__lt=now - settings.JOB_QUEUE_TIMEOUT))
            .update(status="failed", error=UNAVAILABLE, finished_at=now)
        )
        if hasattr(model, "sweep"):
            model.sweep(jobs=jobs, now=now)
    deleted = private_files_sweep(now=now) if organization is None else 0
    return {"failed": failed, "deleted_files": deleted}
