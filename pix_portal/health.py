from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from kombu import Connection


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as error:  # noqa: BLE001 — any failure means "down" here
        return f"erreur : {type(error).__name__}"


def _broker_state() -> str:
    if not settings.CELERY_BROKER_URL:
        return "non configuré (tâches exécutées en ligne)"
    try:
        # A hung broker (accepts, never answers) must not hold the probe: every socket
        # operation has the transport's timeouts.
        with Connection(
            settings.CELERY_BROKER_URL,
            connect_timeout=2,
            transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        ) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception as error:  # noqa: BLE001
        return f"erreur : {type(error).__name__}"


def health(request):
    state = {"database": _database_state(), "broker": _broker_state()}
    healthy = state["database"] == "ok" and not state["broker"].startswith("erreur")
    return JsonResponse(
        {"status": "ok" if healthy else "erreur", **state}, status=200 if healthy else 503
    )
