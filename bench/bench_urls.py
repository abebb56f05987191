"""The portal's URLs plus an empty school page: the floor of any page behind the same
middleware, login and membership check (bench_pages.py)."""

from django.http import HttpResponse
from django.urls import path

from accounts.access import org_member_view
from pix_portal.urls import urlpatterns as portal_urlpatterns


@org_member_view
def empty(request, org_id):
    return HttpResponse(b"")


urlpatterns = [path("o/<int:org_id>/vide/", empty, name="bench_empty"), *portal_urlpatterns]
