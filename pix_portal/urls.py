from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import pages
from .health import health

# Every page of one school lives under /o/<org_id>/: the outsider test walks these patterns.
organization_patterns: list[URLPattern | URLResolver] = [
    path("", pages.organization_home, name="organization_home"),
    path("eleves/comptes/", include("student_accounts.urls")),
    path("eleves/", include("certification.student_urls")),
    path("campagnes/", include("certification.urls")),
    path("sessions/", include("sessions.urls")),
    path("resultats/", include("results.urls")),
    path("certification/", include("planning.urls")),
    path("equipe/", include("accounts.team_urls")),
]

api_patterns: list[URLPattern | URLResolver] = [
    path("", include("certification.api_urls")),
    path("", include("results.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script from its own address (?script): the
    # CSP refuses inline scripts.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/docs.html"),
        name="api-docs",
    ),
]

urlpatterns = [
    path("", pages.home, name="home"),
    path("", include("accounts.urls")),
    path("", include("certification.public_urls")),
    path("", include("sessions.public_urls")),
    path("", include("results.public_urls")),
    path("o/<int:org_id>/", include(organization_patterns)),
    path("api/", include(api_patterns)),
    path("health/", health, name="health"),
    path("accessibilite/", pages.accessibility, name="accessibility"),
    path("plan-du-site/", pages.site_map, name="site_map"),
    path("mentions-legales/", pages.legal_notice, name="legal_notice"),
    path("donnees-personnelles/", pages.personal_data, name="personal_data"),
    path("admin/", admin.site.urls),
]

handler400 = "core.errors.bad_request"
handler403 = "core.errors.permission_denied"
handler404 = "core.errors.page_not_found"
handler500 = "core.errors.server_error"
