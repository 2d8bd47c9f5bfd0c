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
    path("stories/", views.stories, name="stories"),
    path("stories/new/", views.story_create, name="story_create"),
    path("stories/read/", views.published_stories, name="published_stories"),
    path("stories/<int:pk>/", views.story_detail, name="story"),
    path("stories/<int:pk>/edit/", views.story_edit, name="story_edit"),
    path("stories/<int:pk>/publish/", views.story_publish, name="story_publish"),
    path("stories/<int:pk>/withdraw/", views.story_withdraw, name="story_withdraw"),
    path("follow-ups/", views.followups, name="followups"),
    path("follow-ups/<int:pk>/", views.followup_outcome, name="followup_outcome"),
]
