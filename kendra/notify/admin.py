from django.contrib import admin

from kendra.admin import CentreScopedAdmin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(CentreScopedAdmin):
    list_display = ["created_at", "kind", "channel", "address", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel", "kind"]
    search_fields = ["address", "dedupe_key"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request):
        return False
