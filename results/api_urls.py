"""REST API endpoints (integration token, see accounts/api.py)."""

from django.urls import path

from .api import SessionResultsView

urlpatterns = [
    path(
        "sessions/<int:session_id>/results/",
        SessionResultsView.as_view(),
        name="api-session-results",
    ),
]
