from django.urls import path

from . import views

app_name = "mentors"

urlpatterns = [
    path("queue/", views.queue, name="queue"),
    path("residents/<int:pk>/suggestions/", views.suggestions, name="suggestions"),
    path("residents/<int:pk>/assign/", views.assign, name="assign"),
    path("pairings/", views.pairing_list, name="pairings"),
    path("pairings/<int:pk>/", views.pairing_detail, name="pairing_detail"),
    path("pairings/<int:pk>/end/", views.end, name="end"),
    path("pairings/<int:pk>/reassign/", views.reassign, name="reassign"),
    path("pairings/<int:pk>/contact/", views.log_contact, name="log_contact"),
    path("mine/", views.my_mentees, name="my_mentees"),
    path("profiles/", views.profile_list, name="profiles"),
    path("profiles/new/", views.profile_create, name="profile_create"),
    path("profiles/<int:pk>/edit/", views.profile_edit, name="profile_edit"),
]
