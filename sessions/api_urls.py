"""REST API endpoints (integration token, see accounts/api.py)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
