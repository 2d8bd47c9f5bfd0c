from django.contrib import admin

from kendra.admin import CentreScopedAdmin

from .models import Alert, CheckIn, CheckinDefaults, ReminderPlan


@admin.register(CheckinDefaults)
class CheckinDefaultsAdmin(CentreScopedAdmin):
    list_display = ["centre", "alumni_weekly_weeks", "alumni_until_days", "local_time", "channel"]


@admin.register(ReminderPlan)
class ReminderPlanAdmin(CentreScopedAdmin):
    list_display = ["resident", "cadence", "channel", "local_time", "paused", "next_due_at"]
    list_filter = ["paused", "channel", "cadence"]
    search_fields = ["resident__full_name"]
    raw_id_fields = ["resident"]
    list_select_related = ["resident"]


@admin.register(CheckIn)
class CheckInAdmin(CentreScopedAdmin):
    centre_field = "resident__centre"
    list_display = ["resident", "at", "mood", "craving", "source", "help_requested"]
    list_filter = ["source", "mood"]
    raw_id_fields = ["resident", "recorded_by"]
    list_select_related = ["resident"]


@admin.register(Alert)
class AlertAdmin(CentreScopedAdmin):
    list_display = ["resident", "rule", "status", "raised_at"]
    list_filter = ["status", "rule"]
    raw_id_fields = ["resident", "checkin", "acknowledged_by", "resolved_by"]
    readonly_fields = ["dedupe_key"]
    list_select_related = ["resident"]
