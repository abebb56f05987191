"""French error pages. The 500 page renders without a request context: nothing may fail there."""

from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader


def api_error_response(message: str, *, status: int) -> JsonResponse:
    """API errors are JSON, in the shape the schema documents (core/api_errors.py)."""
    return JsonResponse({"errors": [message]}, status=status)


def _is_api(request) -> bool:
    # Django may render the 500 page without a request (handler500 called outside a view).
    return request is not None and request.path.startswith("/api/")


def bad_request(request, exception=None):
    if _is_api(request):
        return api_error_response("Requête invalide.", status=400)
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    if _is_api(request):
        return api_error_response("Accès refusé.", status=403)
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    if _is_api(request):
        return api_error_response("Adresse inconnue.", status=404)
    return render(request, "errors/404.html", status=404)


def server_error(request):
    if _is_api(request):
        return api_error_response("Erreur interne.", status=500)
    return HttpResponseServerError(loader.get_template("errors/500.html").render())
