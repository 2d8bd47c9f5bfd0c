from django.contrib import admin

from kendra.admin import CentreScopedAdmin

from .models import ContactLog, MentorProfile, Pairing


@admin.register(MentorProfile)
class MentorProfileAdmin(CentreScopedAdmin):
    list_display = ["resident", "user", "centre", "accepts_mentees", "capacity"]
    list_filter = ["accepts_mentees", "centre"]
    search_fields = ["resident__full_name", "user__username"]
    list_select_related = ["resident", "user", "centre"]
    raw_id_fields = ["resident", "user"]


@admin.register(Pairing)
class PairingAdmin(CentreScopedAdmin):
    list_display = ["mentee", "mentor", "centre", "started_at", "ended_at", "end_reason"]
    list_filter = ["end_reason", "centre"]
    search_fields = ["mentee__full_name", "mentor__resident__full_name"]
    list_select_related = ["mentee", "mentor__resident", "centre"]
    raw_id_fields = ["mentor", "mentee", "assigned_by", "ended_by"]
    # Pairings change through the pages (rules and capacity checks live there).
    readonly_fields = ["mentor", "mentee", "started_at", "assigned_by"]


@admin.register(ContactLog)
class ContactLogAdmin(CentreScopedAdmin):
    centre_field = "pairing__centre"
    list_display = ["pairing", "at", "method", "mood"]
    list_filter = ["method"]
    list_select_related = ["pairing__mentor__resident", "pairing__mentee"]
    raw_id_fields = ["pairing", "logged_by"]
