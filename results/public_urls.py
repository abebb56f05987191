"""Pages outside any organisation's URL (they check access themselves)."""

from django.urls import path

from . import jury_views, public_views

app_name = "results_public"

urlpatterns = [
    path("mon-espace/", public_views.student_home, name="student_home"),
    path("verification/", public_views.verification, name="verification"),
    path(
        "mon-espace/attestations/<int:result_id>.pdf",
        public_views.student_certificate,
        name="student_certificate",
    ),
    path("jury/", jury_views.jury_sessions, name="jury_sessions"),
    path("jury/sessions/<int:session_id>/", jury_views.jury_session, name="jury_session"),
    path(
        "jury/sessions/<int:session_id>/signalements/<int:issue_report_id>/decision/",
        jury_views.jury_issue_report_decide,
        name="jury_issue_report_decide",
    ),
    path(
        "jury/sessions/<int:session_id>/decisions/<int:decision_id>/annuler/",
        jury_views.jury_decision_undo,
        name="jury_decision_undo",
    ),
    path("jury/sessions/<int:session_id>/publier/", jury_views.jury_publish, name="jury_publish"),
    path(
        "jury/sessions/<int:session_id>/pv-signe/", jury_views.jury_signed_pv, name="jury_signed_pv"
    ),
    path(
        "jury/sessions/<int:session_id>/envois/<int:email_id>/relancer/",
        jury_views.jury_result_email_retry,
        name="jury_result_email_retry",
    ),
    path("jury/jetons/", jury_views.jury_tokens, name="jury_tokens"),
    path(
        "jury/jetons/<int:token_id>/revoquer/",
        jury_views.jury_token_revoke,
        name="jury_token_revoke",
    ),
    path(
        "jury/sessions/<int:session_id>/import/",
        public_views.jury_results_upload,
        name="jury_results_upload",
    ),
]
