"""Django admin is for the people who run the installation (superusers), nobody else.

Centre admins do their work in Kendra's own pages (staff and roles, centre settings):
the admin's forms do not follow Kendra's access rules (a many-to-many or raw-id field
lists every centre's residents), so nobody else may open it at all.
"""

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied


class OperatorsOnlyAdminSite(AdminSite):
    site_header = "Kendra"
    site_title = "Kendra"

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def login(self, request, extra_context=None):
        # Signed in but not an operator: a plain refusal, not an invitation to sign in again.
        if request.user.is_authenticated and not self.has_permission(request):
            raise PermissionDenied
        return super().login(request, extra_context)


class OperatorsAdminConfig(AdminConfig):
    """django.contrib.admin with the site above (named in INSTALLED_APPS in its place)."""

    default_site = "kendra.admin_site.OperatorsOnlyAdminSite"
