from django.contrib import admin

from kendra.admin import CentreScopedAdmin

from .models import RecoveryPlan


@admin.register(RecoveryPlan)
class RecoveryPlanAdmin(CentreScopedAdmin):
    """Read in admin; the plan is written on its page (recovery:plan_edit) with the resident."""

    list_display = ["resident", "language", "written_with", "written_on"]
    list_filter = ["language"]
    search_fields = ["resident__full_name"]
    raw_id_fields = ["resident", "written_with"]
    list_select_related = ["resident", "written_with"]

    def has_add_permission(self, request):
        return False
