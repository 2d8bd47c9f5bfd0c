from django.contrib import admin

from .models import StaffInvitation


@admin.register(StaffInvitation)
class StaffInvitationAdmin(admin.ModelAdmin):
    """For operators: tokens are stored hashed, so nothing here can open an invitation."""

    list_display = ["name", "centre", "role", "channel", "created_at", "used_at", "cancelled_at"]
    list_filter = ["role", "centre"]
    exclude = ["token_hash"]
    readonly_fields = ["created_at", "expires_at", "used_at", "cancelled_at"]
    raw_id_fields = ["user", "created_by", "cancelled_by"]

    def has_add_permission(self, request):
        return False  # invitations are written by Kendra's invite page, with their message
