"""Pages outside any organisation's URL (they check access themselves)."""

from django.urls import path

from . import public_views

app_name = "results_public"

urlpatterns = [
    path("verification/", public_views.verification, name="verification"),
    path(
        "mon-espace/attestations/<int:result_id>.pdf",
        public_views.student_certificate,
        name="student_certificate",
    ),
    path("jury/", public_views.jury_sessions, name="jury_sessions"),
    path("jury/sessions/<int:session_id>/", public_views.jury_session, name="jury_session"),
    path(
        "jury/sessions/<int:session_id>/import/",
        public_views.jury_results_upload,
        name="jury_results_upload",
    ),
]
