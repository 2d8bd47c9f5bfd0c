from django.urls import path

from . import centre_views, views

app_name = "staff"

urlpatterns = [
    path("", views.staff_list, name="home"),
    path("centres/<int:pk>/", views.staff_list, name="list"),
    path("centres/<int:pk>/invite/", views.invite, name="invite"),
    path("centres/<int:pk>/settings/", centre_views.centre_settings, name="centre_settings"),
    path("centres/<int:pk>/settings/plans/", centre_views.apply_defaults, name="apply_defaults"),
    path("settings/", centre_views.centre_settings, name="settings_home"),
    path("members/<int:pk>/", views.person, name="person"),
    path("members/<int:pk>/deactivate/", views.deactivate, name="deactivate"),
    path("invitations/<int:pk>/cancel/", views.invitation_cancel, name="invitation_cancel"),
    # The invited person, before they can sign in
    path("join/<str:token>/", views.accept, name="accept"),
]
