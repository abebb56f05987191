"""The one way a job page answers: the whole page, or (htmx polling the same address) its
progress part alone."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_htmx.middleware import HtmxDetails

from .models import Job


class HtmxRequest(HttpRequest):
    """Any request of the portal: `HtmxMiddleware` sets `htmx` on every one. (Here, the lowest
    app that reads it: `accounts.access` builds its request types on it.)"""

    htmx: HtmxDetails


def job_page(
    request: HtmxRequest,
    *,
    job: Job,
    template: str,
    result_template: str,
    label: str,
    done_message: str,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """`template` includes "jobs/_progress.html", which shows `label` and the progress bar while
    the job runs and `result_template` once it ended, announcing `done_message` (or the job's
    error) once to screen readers."""
    context = {
        **(context or {}),
        "job": job,
        "job_result_template": result_template,
        "job_label": label,
        "job_done_message": done_message,
    }
    return render(request, "jobs/_progress.html" if request.htmx else template, context)
