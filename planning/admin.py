from django.contrib import admin

from .models import CertificationCalendar


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
