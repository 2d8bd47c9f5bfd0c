from django.contrib import admin

from kendra.admin import CentreScopedAdmin

from .models import Addendum, GroupMember, PeerGroup, Session


@admin.register(PeerGroup)
class PeerGroupAdmin(CentreScopedAdmin):
    list_display = ["name", "centre", "kind", "format", "audience", "capacity", "is_archived"]
    list_filter = ["kind", "audience", "is_archived"]
    search_fields = ["name"]
    raw_id_fields = ["facilitator", "co_leader"]
    list_select_related = ["centre"]


@admin.register(GroupMember)
class GroupMemberAdmin(CentreScopedAdmin):
    centre_field = "group__centre"
    list_display = ["resident", "group", "joined_on", "left_on"]
    raw_id_fields = ["group", "resident"]
    list_select_related = ["resident", "group"]


@admin.register(Session)
class SessionAdmin(CentreScopedAdmin):
    """Clinical notes are not shown here: they are read on the session page, audited."""

    list_display = ["group", "start", "status", "facilitator", "signed_at"]
    list_filter = ["status"]
    date_hierarchy = "start"
    fields = ["group", "start", "end", "status", "cancel_reason", "topic", "facilitator", "room"]
    raw_id_fields = ["group", "facilitator"]
    list_select_related = ["group", "facilitator"]


@admin.register(Addendum)
class AddendumAdmin(CentreScopedAdmin):
    centre_field = "session__centre"
    list_display = ["session", "written_by", "written_at"]
    fields = ["session", "resident", "written_by", "written_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False
