"""REST API endpoints (integration token, see accounts/api.py)."""

from django.urls import path

from .api import CompetenceProfileView

urlpatterns = [
    path(
        "comptes/<int:user_id>/profil/",
        CompetenceProfileView.as_view(),
        name="api-competence-profile",
    ),
]
