"""Student accounts of one school (identifiants, password resets).

Under /o/<org_id>/eleves/comptes/.
"""

from django.urls import path

from . import views

app_name = "student_accounts"

urlpatterns = [
    path("reinitialiser/", views.reset_confirm, name="reset_confirm"),
    path("reinitialiser/confirmer/", views.reset, name="reset"),
    path("reinitialisations/<int:reset_job_id>/", views.reset_job, name="job"),
    path(
        "reinitialisations/<int:reset_job_id>/csv/",
        views.reset_job_download,
        {"kind": "csv"},
        name="job_csv",
    ),
    path(
        "reinitialisations/<int:reset_job_id>/fiches/",
        views.reset_job_download,
        {"kind": "slips"},
        name="job_slips",
    ),
    path("<int:student_id>/", views.account, name="account"),
    path("<int:student_id>/identifiant/", views.account_identifiant, name="account_identifiant"),
    path("<int:student_id>/mot-de-passe/", views.account_password, name="account_password"),
]
