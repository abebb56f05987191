"""Pages of one organisation, under /o/<org_id>/sessions/ (see pix_portal/urls.py)."""

from django.urls import path

from . import views

app_name = "certif_sessions"

urlpatterns = [
    path("", views.sessions_list, name="session_list"),
    path("creer/", views.session_create, name="session_create"),
    path("<int:session_id>/", views.session_detail, name="session_detail"),
    path("<int:session_id>/modifier/", views.session_update, name="session_update"),
    path("<int:session_id>/supprimer/", views.session_delete, name="session_delete"),
    path(
        "<int:session_id>/candidats/ajouter-eleves/",
        views.candidates_add_students,
        name="candidates_add_students",
    ),
    path("<int:session_id>/candidats/ajouter/", views.candidate_add, name="candidate_add"),
    path(
        "<int:session_id>/candidats/<int:candidate_id>/modifier/",
        views.candidate_update,
        name="candidate_update",
    ),
    path(
        "<int:session_id>/candidats/<int:candidate_id>/retirer/",
        views.candidate_remove,
        name="candidate_remove",
    ),
    path(
        "<int:session_id>/documents/<slug:document>/",
        views.document_download,
        name="document_download",
    ),
    path(
        "<int:session_id>/documents/generation/<int:job_id>/",
        views.document_job,
        name="document_job",
    ),
    path(
        "<int:session_id>/documents/generation/<int:job_id>/telecharger/",
        views.document_job_download,
        name="document_job_download",
    ),
    path("<int:session_id>/finaliser/", views.session_finalize, name="session_finalize"),
    path("<int:session_id>/signalements/ajouter/", views.issue_report_add, name="issue_report_add"),
    path(
        "<int:session_id>/signalements/<int:issue_report_id>/supprimer/",
        views.issue_report_delete,
        name="issue_report_delete",
    ),
    path("<int:session_id>/pv-signe/", views.signed_pv_download, name="signed_pv_download"),
]
