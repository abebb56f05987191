"""The Élèves pages of one organisation, under /o/<org_id>/eleves/: the list (this app) and the
import (students.imports). Namespace "students"."""

from django.urls import path

from students.imports import views as import_views

from . import student_list_views as views

app_name = "students"

_JOB = "import/<int:import_job_id>/"

urlpatterns = [
    path("", views.students_list, name="list"),
    path("synthese/", views.students_class_summary, name="class_summary"),
    path("export.csv", views.students_export, {"file_format": "csv"}, name="export_csv"),
    path("export.xlsx", views.students_export, {"file_format": "xlsx"}, name="export_xlsx"),
    path("import/", import_views.student_import, name="import"),
    path(_JOB, import_views.import_job, name="import_job"),
    path(f"{_JOB}confirmer/", import_views.import_job_confirm, name="import_job_confirm"),
    path(f"{_JOB}annuler/", import_views.import_job_cancel, name="import_job_cancel"),
    path(f"{_JOB}relancer/", import_views.import_job_retry, name="import_job_retry"),
    path("imports/", import_views.import_history, name="import_history"),
]
