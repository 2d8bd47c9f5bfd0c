from django.urls import path

from . import views

app_name = "checkins"

urlpatterns = [
    path("grid/", views.grid, name="grid"),
    path("alerts/", views.alert_list, name="alerts"),
    path("alerts/<int:pk>/acknowledge/", views.alert_acknowledge, name="alert_acknowledge"),
    path("alerts/<int:pk>/resolve/", views.alert_resolve, name="alert_resolve"),
    path("plans/<int:resident_pk>/", views.plan_edit, name="plan"),
    path("plans/<int:resident_pk>/new-link/", views.plan_revoke, name="plan_revoke"),
    path("plans/<int:resident_pk>/close-link/", views.plan_close_links, name="plan_close_links"),
    path("c/<str:token>/", views.answer, name="answer"),
]
