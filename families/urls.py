from django.urls import path

from . import meeting_views, views

app_name = "families"

urlpatterns = [
    # Staff
    path("groups/", views.group_list, name="groups"),
    path("groups/new/", views.group_create, name="group_create"),
    path("groups/<int:pk>/", views.group_detail, name="group_detail"),
    path("groups/<int:pk>/edit/", views.group_edit, name="group_edit"),
    path("groups/<int:pk>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:pk>/held/", meeting_views.meeting_held, name="meeting_held"),
    path("visiting/", views.visiting_hours, name="visiting_hours"),
    path("visiting/new/", views.visiting_create, name="visiting_create"),
    path("visiting/<int:pk>/edit/", views.visiting_edit, name="visiting_edit"),
    path("visiting/<int:pk>/status/", views.visiting_status, name="visiting_status"),
    path("residents/<int:resident_pk>/", views.resident_family, name="resident_family"),
    path("residents/<int:resident_pk>/invite/", views.invite, name="invite"),
    path("residents/<int:resident_pk>/sessions/new/", views.session_create, name="session_create"),
    path("members/<int:pk>/revoke/", views.revoke, name="revoke"),
    # The invited person, before they have an account
    path("invitation/<str:token>/", views.accept, name="accept"),
    # The family member
    path("schedule/", views.schedule, name="schedule"),
    path("meetings/<int:pk>/answer/", meeting_views.meeting_answer, name="meeting_answer"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/reset/", views.calendar_reset, name="calendar_reset"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
]
