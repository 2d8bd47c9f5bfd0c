from django.contrib import admin

from kendra.admin import CentreScopedAdmin

from .models import DutyShift


@admin.register(DutyShift)
class DutyShiftAdmin(CentreScopedAdmin):
    """Read in admin; the rota page (rota:rota) is where shifts are added and removed."""

    list_display = ["date", "shift", "membership", "centre", "ended_at"]
    list_filter = ["shift", "centre"]
    date_hierarchy = "date"
    list_select_related = ["membership__user", "membership__centre", "centre"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
