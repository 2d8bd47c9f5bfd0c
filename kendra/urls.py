from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from . import erasure_views, import_views, privacy, stay_views, views
from .notify import views as notify_views

admin.site.site_header = "Kendra"
admin.site.site_title = "Kendra"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", views.switch_language, name="switch_language"),
    path("centre/", views.switch_centre, name="switch_centre"),
    path("residents/", views.resident_list, name="resident_list"),
    path("residents/admit/", views.resident_create, name="resident_create"),
    path("residents/import/", import_views.import_upload, name="import_upload"),
    path("residents/import/sample.csv", import_views.import_sample, name="import_sample"),
    path("residents/import/<int:pk>/", import_views.import_detail, name="import_detail"),
    path("residents/import/<int:pk>/start/", import_views.import_start, name="import_start"),
    path("residents/<int:pk>/", views.resident_detail, name="resident_detail"),
    path("residents/<int:pk>/edit/", views.resident_edit, name="resident_edit"),
    path("residents/<int:pk>/discharge/", views.resident_discharge, name="resident_discharge"),
    path("residents/<int:pk>/admit-again/", stay_views.resident_readmit, name="resident_readmit"),
    path("stays/<int:pk>/stage/", stay_views.stay_stage, name="stay_stage"),
    path("residents/<int:pk>/consents/add/", privacy.consent_add, name="consent_add"),
    path("consents/<int:pk>/withdraw/", privacy.consent_withdraw, name="consent_withdraw"),
    re_path(
        r"^residents/(?P<pk>[0-9]+)/export\.(?P<fmt>zip|json|csv)$",
        privacy.resident_export,
        name="resident_export",
    ),
    path("audit/", privacy.audit_log, name="audit_log"),
    path("residents/<int:pk>/erase/", erasure_views.resident_erase, name="resident_erase"),
    path("erasures/", erasure_views.erasure_list, name="erasure_list"),
    path("erasures/<int:pk>/confirm/", erasure_views.erasure_confirm, name="erasure_confirm"),
    path("erasures/<int:pk>/cancel/", erasure_views.erasure_cancel, name="erasure_cancel"),
    path(
        "erasures/retention/<int:centre_pk>/",
        erasure_views.erasure_retention,
        name="erasure_retention",
    ),
    path("notifications/", notify_views.notification_list, name="notifications"),
    path("notifications/read/", notify_views.mark_all_read, name="notifications_read"),
    path("notifications/not-delivered/", notify_views.undelivered_list, name="undelivered"),
    path(
        "notifications/not-delivered/<int:pk>/send-again/",
        notify_views.send_again,
        name="send_again",
    ),
    re_path(
        r"^notifications/not-delivered/(?P<channel>sms|email)/(?P<reason>credentials|sender_refused)/send-again/$",
        notify_views.send_line_again,
        name="send_line_again",
    ),
    path(
        "notifications/whatsapp/webhook/",
        notify_views.whatsapp_webhook,
        name="whatsapp_webhook",
    ),
    path("notifications/sms/status/", notify_views.sms_status_webhook, name="sms_status_webhook"),
    path("checkins/", include("checkins.urls")),
    path("groups/", include("groups.urls")),
    path("mentors/", include("mentors.urls")),
    path("alumni/", include("alumni.urls")),
    path("families/", include("families.urls")),
    path("reports/", include("reports.urls")),
    path("rota/", include("rota.urls")),
    path("recovery-plans/", include("recovery.urls")),
    path("staff/", include("staff.urls")),
    path("admin/", admin.site.urls),
    path(
        "favicon.ico", RedirectView.as_view(url=settings.STATIC_URL + "favicon.svg", permanent=True)
    ),
]

if settings.KENDRA_BENCH:  # the benchmark's floor page (bench/); off unless KENDRA_BENCH=1
    urlpatterns.append(path("bench/", include("bench.urls")))
