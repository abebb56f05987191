from django.contrib import admin

from .models import (
    Area,
    Campaign,
    CampaignParticipation,
    CertificationCalendar,
    Competence,
    CompetenceProfile,
    CompetenceScore,
)


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["code", "title"]


@admin.register(Competence)
class CompetenceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "area"]


class CompetenceScoreInline(admin.TabularInline):
    model = CompetenceScore
    extra = 0


@admin.register(CompetenceProfile)
class CompetenceProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "computed_at"]
    raw_id_fields = ["user"]
    inlines = [CompetenceScoreInline]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "organization", "owner", "created_at", "closed_at"]
    search_fields = ["name", "code", "organization__uai"]
    raw_id_fields = ["organization", "owner", "created_by"]


@admin.register(CampaignParticipation)
class CampaignParticipationAdmin(admin.ModelAdmin):
    list_display = ["campaign", "student", "shared_at", "pix_total", "is_certifiable"]
    raw_id_fields = ["campaign", "student", "user"]


@admin.register(CertificationCalendar)
class CertificationCalendarAdmin(admin.ModelAdmin):
    """The national operator (superuser) sets the windows of each school year here."""

    list_display = ["school_year", "kind", "space_opens_on", "window_starts_on", "window_ends_on"]
    list_filter = ["kind"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
