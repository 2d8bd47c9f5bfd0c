from django.contrib import admin

from kendra.admin import CentreScopedAdmin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(CentreScopedAdmin):
    list_display = [
        "created_at", "kind", "channel", "address", "status", "reason", "attempts", "expires_at",
        "sent_at",
    ]  # fmt: skip
    list_filter = ["status", "reason", "channel", "kind"]
    search_fields = ["address", "dedupe_key"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request):
        return False
