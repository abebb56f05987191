"""Pages outside any organisation's URL (they check access themselves): the Espace surveillant."""

from django.urls import path

from . import invigilator_views as views

app_name = "invigilator"

urlpatterns = [
    path("espace-surveillant/", views.invigilator_login, name="login"),
    path("espace-surveillant/session/", views.invigilator_session, name="session"),
    path("espace-surveillant/session/presents/", views.invigilator_counter, name="counter"),
    path(
        "espace-surveillant/candidats/<int:candidate_id>/",
        views.invigilator_attendance,
        name="attendance",
    ),
    path(
        "espace-surveillant/candidats/<int:candidate_id>/signalements/",
        views.invigilator_issue_report_add,
        name="issue_report_add",
    ),
    path(
        "espace-surveillant/signalements/<int:issue_report_id>/supprimer/",
        views.invigilator_issue_report_delete,
        name="issue_report_delete",
    ),
    path("espace-surveillant/quitter/", views.invigilator_logout, name="logout"),
]
