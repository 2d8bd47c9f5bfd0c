from django.urls import path

from . import register_views, session_views, views

app_name = "groups"

urlpatterns = [
    path("", views.group_list, name="list"),
    path("today/", session_views.today, name="today"),
    path("new/", views.group_create, name="create"),
    path("register/", register_views.register, name="register"),
    path("<int:pk>/", views.group_detail, name="detail"),
    path("<int:pk>/edit/", views.group_edit, name="edit"),
    path("<int:pk>/archive/", views.group_archive, name="archive"),
    path("<int:pk>/generate/", views.group_generate, name="generate"),
    path("<int:pk>/members/add/", views.member_add, name="member_add"),
    path("<int:pk>/members/<int:member_pk>/leave/", views.member_leave, name="member_leave"),
    path("<int:pk>/sessions/new/", session_views.session_create, name="session_create"),
    path("sessions/<int:pk>/", session_views.session_detail, name="session"),
    path("sessions/<int:pk>/log/", session_views.session_log, name="session_log"),
    path("sessions/<int:pk>/mark/", session_views.session_mark, name="session_mark"),
    path("sessions/<int:pk>/sign/", session_views.session_sign, name="session_sign"),
    path("sessions/<int:pk>/cosign/", session_views.session_cosign, name="session_cosign"),
    path("sessions/<int:pk>/addendum/", session_views.session_addendum, name="session_addendum"),
    path("sessions/<int:pk>/cancel/", session_views.session_cancel, name="session_cancel"),
    path("sessions/<int:pk>/move/", session_views.session_move, name="session_move"),
    path("sessions/<int:pk>/lead/", session_views.session_lead, name="session_lead"),
    path("sessions/<int:pk>/sheet/", session_views.session_sheet, name="session_sheet"),
]
