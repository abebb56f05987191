"""Pages outside any organisation's URL: the student's "J'ai un code"."""

from django.urls import path

from . import views

app_name = "student_campaigns"

urlpatterns = [
    path("campagne/", views.campaign_join, name="join"),
    path("campagne/<str:code>/", views.campaign_share, name="share"),
]
