from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .integration_tokens import integration_key_generate
from .models import AuditLog, IntegrationToken, Membership, Organization, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["last_name", "first_name"]
    list_display = ["email", "username", "first_name", "last_name", "is_staff", "is_active"]
    search_fields = ["email", "username", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "username", "password"]}),
        ("Identité", {"fields": ["first_name", "last_name"]}),
        (
            "Mot de passe à usage unique",
            {"fields": ["must_change_password", "one_time_password_expires_at"]},
        ),
        (
            "Droits",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    list_filter = ["is_staff", "is_superuser", "is_active"]


class MembershipInline(admin.TabularInline):
    model = Membership
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "uai", "type", "kind", "timezone"]
    list_filter = ["kind"]
    search_fields = ["name", "uai"]
    inlines = [MembershipInline]


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "organization", "action"]
    list_filter = ["action"]
    readonly_fields = ["created_at", "actor", "organization", "action", "details"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(IntegrationToken)
class IntegrationTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "is_active", "created_at", "last_used_at"]
    raw_id_fields = ["organization"]

    def save_model(self, request, obj, form, change):
        if not change:
            key, obj.key_hash = integration_key_generate()
            messages.warning(
                request,
                f"Clé du jeton (affichée une seule fois, notez-la maintenant) : {key}",
            )
        super().save_model(request, obj, form, change)
