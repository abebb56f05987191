"""The one way a job page answers: the whole page, or (htmx polling the same address) its
progress part alone."""

from django.shortcuts import render


def job_page(
    request,
    *,
    job,
    template: str,
    result_template: str,
    label: str,
    done_message: str,
    context: dict | None = None,
):
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
