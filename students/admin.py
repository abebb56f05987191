from django.contrib import admin

from .models import Student


@admin.register(Student)
class StudentAdmin(admin.ModelAdmin):
    list_display = [
        "last_name",
        "first_name",
        "division",
        "organization",
        "certifiability",
        "is_disabled",
    ]
    list_filter = ["is_disabled", "certifiability"]
    search_fields = ["last_name", "first_name", "organization__uai"]
    raw_id_fields = ["organization", "user"]
