"""Pages of one organisation, under /o/<org_id>/certification/ (see pix_portal/urls.py)."""

from django.urls import path

from . import views

app_name = "planning"

urlpatterns = [
    path("preparation/", views.board, name="board"),
    path("preparation/eleves/<slug:state>/", views.board_students, name="board_students"),
    path("preparation/inscrire/", views.board_enrol, name="board_enrol"),
    path("planification/", views.planner, name="planner"),
    path("planification/importer/", views.plan_import, name="plan_import"),
    path("planification/<int:plan_id>/", views.plan_detail, name="plan_detail"),
    path("planification/<int:plan_id>/ajuster/", views.plan_adjust, name="plan_adjust"),
    path("planification/<int:plan_id>/creer/", views.plan_apply, name="plan_apply"),
    path("pochettes/", views.day_pack, name="day_pack"),
    path("pochettes/<int:pack_job_id>/", views.day_pack_job, name="day_pack_job"),
    path(
        "pochettes/<int:pack_job_id>/telecharger.<str:fmt>",
        views.day_pack_download,
        name="day_pack_download",
    ),
]
