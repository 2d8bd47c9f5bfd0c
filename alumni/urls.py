from django.urls import path

from . import followup_views, story_views, views, visit_views

app_name = "alumni"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("decisions/", views.queue, name="queue"),
    path("milestones/", views.milestone_list, name="milestones"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/consent/", views.consent, name="consent"),
    path("<int:pk>/relapse/", views.relapse, name="relapse"),
    path("visits/", visit_views.visits, name="visits"),
    path("visits/propose/", visit_views.visit_propose, name="visit_propose"),
    path("visits/<int:pk>/", visit_views.visit_detail, name="visit"),
    path("visits/<int:pk>/confirm/", visit_views.visit_confirm, name="visit_confirm"),
    path("visits/<int:pk>/done/", visit_views.visit_done, name="visit_done"),
    path("visits/<int:pk>/cancel/", visit_views.visit_cancel, name="visit_cancel"),
    path("stories/", story_views.stories, name="stories"),
    path("stories/new/", story_views.story_create, name="story_create"),
    path("stories/read/", story_views.published_stories, name="published_stories"),
    path("stories/<int:pk>/", story_views.story_detail, name="story"),
    path("stories/<int:pk>/edit/", story_views.story_edit, name="story_edit"),
    path("stories/<int:pk>/publish/", story_views.story_publish, name="story_publish"),
    path("stories/<int:pk>/withdraw/", story_views.story_withdraw, name="story_withdraw"),
    path("follow-ups/", followup_views.followups, name="followups"),
    path("follow-ups/<int:pk>/", followup_views.followup_outcome, name="followup_outcome"),
]
