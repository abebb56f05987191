from celery import shared_task

from .models import CertificateBatch
from .services import certificate_batch_render as render
from .services import certificate_batches_purge as purge


@shared_task
def certificate_batch_render(batch_id: int) -> None:
    batch = CertificateBatch.objects.filter(pk=batch_id).first()
    if batch is not None and batch.status != CertificateBatch.Status.DONE:
        render(batch=batch)


@shared_task
def certificate_batches_purge() -> None:
    """Every hour: a class's attestations list minors' names and birth dates, kept 24 h."""
    purge()
