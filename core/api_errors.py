"""API errors are JSON, in one shape that the OpenAPI schema documents: `{"errors": [...]}`.

Each message names its field ("candidates[0].answers[2].result : …"); a validation error also
keeps DRF's field-by-field detail under "fields". What Django answers before DRF runs (unknown
address, body too big) has the same shape: core/errors.py.
"""

from typing import Any

from django.http import Http404
from drf_spectacular.utils import inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler

ApiErrorsSerializer = inline_serializer(
    name="ApiErrors",
    fields={
        "errors": serializers.ListField(child=serializers.CharField()),
        "fields": serializers.DictField(
            required=False, help_text="Les erreurs de validation, champ par champ."
        ),
    },
)


def _messages(detail, path: str = "") -> list[str]:
    if isinstance(detail, dict):
        return [
            message
            for key, value in detail.items()
            for message in _messages(
                value, f"{path}[{key}]" if str(key).isdigit() else f"{path}.{key}".lstrip(".")
            )
        ]
    if isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            return [f"{path} : {item}" if path else str(item) for item in detail]
        return [
            message
            for index, item in enumerate(detail)
            if item
            for message in _messages(item, f"{path}[{index}]")
        ]
    return [f"{path} : {detail}" if path and path != "detail" else str(detail)]


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, exceptions.NotFound | Http404):
        exc = exceptions.NotFound("Introuvable pour ce jeton d'intégration.")
    response = exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    body: dict[str, Any] = {"errors": _messages(detail)}
    if isinstance(exc, exceptions.ValidationError) and isinstance(detail, dict):
        body["fields"] = detail
    response.data = body
    return response
