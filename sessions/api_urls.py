"""REST API endpoints (integration token, see accounts/api.py)."""

urlpatterns = []
