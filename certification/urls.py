"""Pages of one organisation, under /o/<org_id>/campagnes/ (see pix_portal/urls.py)."""

from django.urls import path

from . import views

app_name = "certification"

urlpatterns = [
    path("", views.campaigns, name="campaign_list"),
    path("creer/", views.campaign_create, name="campaign_create"),
    path("<int:campaign_id>/", views.campaign_detail, name="campaign_detail"),
    path("<int:campaign_id>/export.csv", views.campaign_export, name="campaign_export"),
    path("<int:campaign_id>/terminer/", views.campaign_close, name="campaign_close"),
    path("profils/importer/", views.profiles_import, name="profiles_import"),
]
