from django.urls import path

from . import views

app_name = "alumni"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("decisions/", views.queue, name="queue"),
    path("milestones/", views.milestone_list, name="milestones"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/consent/", views.consent, name="consent"),
    path("<int:pk>/relapse/", views.relapse, name="relapse"),
    path("visits/", views.visits, name="visits"),
    path("visits/propose/", views.visit_propose, name="visit_propose"),
    path("visits/<int:pk>/", views.visit_detail, name="visit"),
    path("visits/<int:pk>/confirm/", views.visit_confirm, name="visit_confirm"),
    path("visits/<int:pk>/done/", views.visit_done, name="visit_done"),
    path("visits/<int:pk>/cancel/", views.visit_cancel, name="visit_cancel"),
    path("follow-ups/", views.followups, name="followups"),
    path("follow-ups/<int:pk>/", views.followup_outcome, name="followup_outcome"),
]
