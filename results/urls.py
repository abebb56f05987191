"""Pages of one organisation, under /o/<org_id>/resultats/ (see pix_portal/urls.py)."""

from django.urls import path

from . import views

app_name = "results"

urlpatterns = [
    path("", views.results_home, name="results_home"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<int:result_id>/attestation.pdf", views.certificate, name="certificate"),
    path("attestations/", views.certificate_batch_start, name="certificate_batch_start"),
    path("attestations/<int:batch_id>/", views.certificate_batch, name="certificate_batch"),
    path(
        "attestations/<int:batch_id>/telecharger/",
        views.certificate_batch_download,
        name="certificate_batch_download",
    ),
    path("bilan/", views.bilan, name="bilan"),
    path("bilan.pdf", views.bilan_pdf, name="bilan_pdf"),
]
