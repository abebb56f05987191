from celery import shared_task

from .models import ResultEmail
from .recipient_emails import MAX_ATTEMPTS
from .recipient_emails import result_email_send as send
from .services import certificate_batch_render


@shared_task
def certificate_batch_render_task(batch_id: int) -> None:
    certificate_batch_render(batch_id=batch_id)


@shared_task(bind=True, max_retries=MAX_ATTEMPTS - 1)
def result_email_send(self, result_email_id: int) -> None:
    """A result to its recipient; a mail server down is tried again 1, 2, 4 minutes later."""
    result_email = ResultEmail.objects.filter(
        pk=result_email_id, status=ResultEmail.Status.PENDING
    ).first()
    if result_email is None:
        return
    try:
        send(result_email=result_email)
    except Exception as error:
        # After the last attempt the row says "Échec de l'envoi": the jury sees it.
        if self.request.retries >= self.max_retries:
            return
        if self.request.is_eager:  # no broker (development): try again at once
            self.apply(args=(result_email_id,), retries=self.request.retries + 1)
            return
        raise self.retry(exc=error, countdown=60 * 2**self.request.retries) from error
