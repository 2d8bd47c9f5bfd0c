from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from . import views
from .notify import views as notify_views

admin.site.site_header = "Kendra"
admin.site.site_title = "Kendra"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", views.switch_language, name="switch_language"),
    path("residents/", views.resident_list, name="resident_list"),
    path("residents/admit/", views.resident_create, name="resident_create"),
    path("residents/<int:pk>/", views.resident_detail, name="resident_detail"),
    path("residents/<int:pk>/edit/", views.resident_edit, name="resident_edit"),
    path("residents/<int:pk>/discharge/", views.resident_discharge, name="resident_discharge"),
    path("notifications/", notify_views.notification_list, name="notifications"),
    path("notifications/read/", notify_views.mark_all_read, name="notifications_read"),
    path("checkins/", include("kendra.checkins.urls")),
    path("groups/", include("groups.urls")),
    path("mentors/", include("mentors.urls")),
    path("alumni/", include("alumni.urls")),
    path("families/", include("families.urls")),
    path("admin/", admin.site.urls),
    path(
        "favicon.ico", RedirectView.as_view(url=settings.STATIC_URL + "favicon.svg", permanent=True)
    ),
]
