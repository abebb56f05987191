"""Request bodies are capped for every view, before anything reads them.

Django spools uploaded files to disk whatever their size and DATA_UPLOAD_MAX_MEMORY_SIZE only
counts form fields: without this, an anonymous 200 MB multipart POST fills the disk. The
declared Content-Length decides (Django reads no further than it), so the body is never read.
"""

from django.conf import settings
from django.shortcuts import render

from .errors import api_error_response


def _limit(request) -> int:
    if request.path.startswith("/api/"):
        return settings.API_MAX_BODY_SIZE
    if request.user.is_authenticated:
        return settings.REQUEST_MAX_BODY_SIZE
    # Login, verification, Espace surveillant: small forms, never a file.
    return settings.ANONYMOUS_MAX_BODY_SIZE


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads nothing of a body whose length it cannot read either
        limit = _limit(request)
        if length > limit:
            megabytes = max(round(limit / (1024 * 1024)), 1)
            message = f"La requête dépasse la taille autorisée ({megabytes} Mo)."
            if request.path.startswith("/api/"):
                return api_error_response(message, status=413)
            return render(request, "errors/413.html", {"message": message}, status=413)
        return self.get_response(request)
