from django.contrib import admin

from .models import Candidate, Session


class CandidateInline(admin.TabularInline):
    model = Candidate
    raw_id_fields = ["student"]
    extra = 0


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["id", "organization", "date", "time", "address", "room", "status"]
    list_filter = ["status"]
    raw_id_fields = ["organization"]
    inlines = [CandidateInline]
