from celery import shared_task

from .services import certificate_batch_render


@shared_task
def certificate_batch_render_task(batch_id: int) -> None:
    certificate_batch_render(batch_id=batch_id)
