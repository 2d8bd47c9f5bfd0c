from django.contrib import admin
from django.utils.translation import gettext as _

from . import access, actions
from .models import (
    AuditEvent,
    Centre,
    Consent,
    ErasureRequest,
    Membership,
    Profile,
    Resident,
    Role,
)


class CentreScopedAdmin(admin.ModelAdmin):
    """Only a centre's rows, and never a hard delete.

    The admin site lets in superusers only (kendra/admin_site.py), who see everything;
    centre admins work in Kendra's own pages. The narrowing stays as a second lock. Apps
    reuse this class for their own centre-owned models; `centre_field` names the path to
    the centre.
    """

    centre_field = "centre"

    def _admin_centres(self, request):
        return access.centre_ids(request.user, {Role.CENTRE_ADMIN})

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(**{f"{self.centre_field}__in": self._admin_centres(request)})

    def has_module_permission(self, request):
        return request.user.is_superuser or bool(self._admin_centres(request))

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "centre" and not request.user.is_superuser:
            kwargs["queryset"] = Centre.objects.filter(pk__in=self._admin_centres(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Centre)
class CentreAdmin(CentreScopedAdmin):
    centre_field = "pk"
    list_display = ["name", "city", "state", "beds", "same_gender_mentoring"]
    search_fields = ["name", "city", "state"]

    def has_add_permission(self, request):
        return request.user.is_superuser


@admin.register(Resident)
class ResidentAdmin(CentreScopedAdmin):
    list_display = [
        "full_name",
        "preferred_name",
        "centre",
        "gender",
        "status",
        "admission_date",
        "discharge_date",
    ]
    list_filter = ["status", "gender", "discharge_reason", "centre"]
    search_fields = ["full_name", "preferred_name", "phone"]
    date_hierarchy = "admission_date"
    list_select_related = ["centre"]


@admin.register(Membership)
class MembershipAdmin(CentreScopedAdmin):
    list_display = ["user", "centre", "role", "is_active"]
    list_filter = ["role", "is_active", "centre"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user", "centre"]
    raw_id_fields = ["user"]

    def save_model(self, request, obj, form, change):
        """Unticking "active" ends the membership the one way: pairings and rota slots end too."""
        if change and "is_active" in form.changed_data and not obj.is_active:
            obj.is_active = True  # end_membership makes the change, and what follows from it
            super().save_model(request, obj, form, change)
            actions.end_membership(obj, request.user, note=_("Ended in the admin."))
            return
        super().save_model(request, obj, form, change)


@admin.register(Consent)
class ConsentAdmin(CentreScopedAdmin):
    centre_field = "resident__centre"
    list_display = ["resident", "purpose", "grantee", "given_at", "withdrawn_at"]
    list_filter = ["purpose"]
    search_fields = ["resident__full_name", "grantee__username"]
    list_select_related = ["resident", "grantee"]
    raw_id_fields = ["resident", "grantee", "given_by", "withdrawn_by"]


@admin.register(AuditEvent)
class AuditEventAdmin(CentreScopedAdmin):
    """Read-only: the trail is append-only, in admin as everywhere."""

    list_display = ["at", "user", "action", "object_type", "object_id", "centre"]
    list_filter = ["action"]
    search_fields = ["user__username", "action", "object_id"]
    list_select_related = ["user", "centre"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ErasureRequest)
class ErasureRequestAdmin(CentreScopedAdmin):
    """Read-only: erasures are asked and confirmed by two centre admins on Kendra's pages."""

    list_display = ["requested_at", "resident", "reason", "status", "requested_by", "confirmed_by"]
    list_filter = ["status", "reason"]
    list_select_related = ["resident", "requested_by", "confirmed_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "language", "phone", "message_channel"]

    def has_module_permission(self, request):
        return request.user.is_superuser
