from django.contrib import admin

from kendra.admin import CentreScopedAdmin

from .models import FamilyGroup, FamilyMeeting, FamilyMember, VisitingHours


@admin.register(FamilyGroup)
class FamilyGroupAdmin(CentreScopedAdmin):
    list_display = ["name", "centre", "audience", "weekday", "start_time", "is_active"]
    list_filter = ["is_active", "audience"]
    search_fields = ["name"]
    filter_horizontal = ["residents"]


@admin.register(FamilyMeeting)
class FamilyMeetingAdmin(CentreScopedAdmin):
    list_display = ["__str__", "centre", "status", "sequence"]
    list_filter = ["status"]
    readonly_fields = ["uid", "sequence", "moved_from"]
    raw_id_fields = ["group", "resident"]


@admin.register(FamilyMember)
class FamilyMemberAdmin(CentreScopedAdmin):
    centre_field = "resident__centre"
    list_display = ["__str__", "resident", "relationship"]
    raw_id_fields = ["user", "resident"]


@admin.register(VisitingHours)
class VisitingHoursAdmin(CentreScopedAdmin):
    list_display = ["__str__", "centre", "note", "is_active"]
    list_filter = ["is_active", "weekday"]
