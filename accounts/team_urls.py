"""The Équipe pages, under /o/<org_id>/equipe/."""

from django.urls import path

from . import views

app_name = "team"

urlpatterns = [
    path("", views.team, name="list"),
    path("ajouter/", views.member_add, name="add"),
    path("<int:membership_id>/role/", views.member_role, name="role"),
    path("<int:membership_id>/retirer/", views.member_remove, name="remove"),
]
