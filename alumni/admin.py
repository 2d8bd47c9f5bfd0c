from django.contrib import admin

from kendra.admin import CentreScopedAdmin

from .models import AlumniProfile, FollowUp, Relapse, SuccessStory, Visit


@admin.register(AlumniProfile)
class AlumniProfileAdmin(CentreScopedAdmin):
    list_display = ["resident", "centre", "consent_decision", "city", "available_for_visits"]
    list_filter = ["consent_decision", "available_for_visits", "can_mentor"]
    search_fields = ["resident__full_name", "city"]
    list_select_related = ["resident", "centre"]
    raw_id_fields = ["resident", "consent_decided_by"]
    # Consent is recorded through the alumni pages so it lands in kendra.Consent too.
    readonly_fields = ["consent_decision", "consent_decided_at", "consent_decided_by"]


@admin.register(Visit)
class VisitAdmin(CentreScopedAdmin):
    list_display = ["starts_at", "centre", "purpose", "status"]
    list_filter = ["status", "purpose"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["alumni", "proposed_by", "confirmed_by", "cancelled_by", "done_by"]


@admin.register(FollowUp)
class FollowUpAdmin(CentreScopedAdmin):
    list_display = ["profile", "months", "due_on", "outcome"]
    list_filter = ["outcome", "months"]
    raw_id_fields = ["profile", "recorded_by"]


@admin.register(Relapse)
class RelapseAdmin(CentreScopedAdmin):
    centre_field = "profile__centre"
    list_display = ["profile", "relapsed_on", "previous_sobriety_date", "new_sobriety_date"]
    raw_id_fields = ["profile", "recorded_by"]

    def has_change_permission(self, request, obj=None):
        return False  # history


@admin.register(SuccessStory)
class SuccessStoryAdmin(CentreScopedAdmin):
    list_display = ["title", "profile", "centre", "published", "created_at"]
    list_filter = ["published"]
    search_fields = ["title", "profile__resident__full_name"]
    raw_id_fields = ["profile", "written_by"]
    # Publication needs the alumnus's consent: it is recorded on the alumni pages only.
    readonly_fields = ["published", "published_at", "consent"]
