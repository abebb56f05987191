"""The result sent to a candidate's result recipient ("destinataire des résultats") once the
jury publishes: one e-mail per candidate, holding that candidate's result only."""

import smtplib

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from jobs.services import task_enqueue

from .documents import verification_url
from .models import CertificationResult, ResultEmail

# Attempts before the jury sees "Échec de l'envoi" (the first one and the retries).
MAX_ATTEMPTS = 4


def result_emails_queue(*, results: list[CertificationResult]) -> list[ResultEmail]:
    """At publication, in its transaction: a row per result whose candidate has a recipient,
    each sent by a task once the publication is committed."""
    from . import tasks

    emails = ResultEmail.objects.bulk_create(
        ResultEmail(result=result, email=result.candidate.result_recipient_email)
        for result in results
        if result.candidate.result_recipient_email
    )
    for email in emails:
        task_enqueue(tasks.result_email_send, email.pk)
    return emails


def result_email_send(*, result_email: ResultEmail) -> None:
    """Send it; an error is recorded on the row and raised again for the task to retry."""
    result = (
        CertificationResult.objects.select_related(
            "candidate", "candidate__session", "candidate__session__organization"
        )
        .prefetch_related("marks__competence")
        .get(pk=result_email.result_id)
    )
    candidate = result.candidate
    context = {
        "result": result,
        "candidate": candidate,
        "organization": candidate.session.organization,
        "marks": sorted(result.marks.all(), key=lambda mark: mark.competence.index),
        "verification_url": verification_url(),
    }
    result_email.attempts += 1
    try:
        send_mail(
            subject=f"Certification Pix de {candidate.first_name} {candidate.last_name}",
            message=render_to_string("results/emails/result_recipient.txt", context),
            from_email=None,
            recipient_list=[result_email.email],
        )
    except (smtplib.SMTPException, OSError) as error:
        final = result_email.attempts >= MAX_ATTEMPTS
        result_email.status = ResultEmail.Status.FAILED if final else ResultEmail.Status.PENDING
        result_email.error = f"{type(error).__name__} : {error}"[:500]
        result_email.save(update_fields=["attempts", "status", "error", "updated_at"])
        raise
    result_email.status, result_email.error = ResultEmail.Status.SENT, ""
    result_email.sent_at = timezone.now()
    result_email.save(update_fields=["attempts", "status", "error", "sent_at", "updated_at"])


def result_email_retry(*, result_email: ResultEmail) -> None:
    """The jury sends a failed e-mail again (after the address or the mail server was fixed)."""
    from . import tasks

    ResultEmail.objects.filter(pk=result_email.pk).update(
        status=ResultEmail.Status.PENDING, attempts=0, error=""
    )
    task_enqueue(tasks.result_email_send, result_email.pk)
