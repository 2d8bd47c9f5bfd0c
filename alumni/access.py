"""Who may see which alumni profile, visit, follow-up and story, on the core's rule
(kendra/access.py): alumni coordinators and centre admins of the centre; published
stories every staff member of the centre, never family."""

from django.http import Http404

from kendra.access import centre_ids_for, get_for_centre, is_staff_member, require, scope

from .models import AlumniProfile, FollowUp, SuccessStory, Visit


def require_alumni_page(user, perm="alumni.view"):
    """For alumni list pages: 404 to anyone who is not staff (family), 403 to staff without
    `perm` anywhere."""
    if not is_staff_member(user):
        raise Http404
    require(user, perm)


def alumni_for(user, perm="alumni.view"):
    """Alumni profiles of the centres where the user may do `perm`."""
    return AlumniProfile.objects.filter(centre_id__in=centre_ids_for(user, perm))


def get_alumnus(user, pk, perm="alumni.view"):
    """404 outside the user's centres; 403 inside without `perm`."""
    queryset = scope(AlumniProfile.objects.select_related("resident", "centre"), user)
    return get_for_centre(user, queryset, perm, pk=pk)


def alumni_visits_for(user, perm="alumni.view"):
    return Visit.objects.filter(centre_id__in=centre_ids_for(user, perm))


def get_alumni_visit(user, pk, perm="alumni.view"):
    queryset = scope(Visit.objects.select_related("centre"), user)
    return get_for_centre(user, queryset, perm, pk=pk)


def alumni_followups_for(user, perm="alumni.view"):
    return FollowUp.objects.filter(centre_id__in=centre_ids_for(user, perm))


def get_alumni_followup(user, pk, perm="alumni.view"):
    queryset = scope(FollowUp.objects.select_related("profile__resident", "centre"), user)
    return get_for_centre(user, queryset, perm, pk=pk)


def alumni_stories_for(user, perm="alumni.manage"):
    """Success stories (drafts too) of the centres where the user may do `perm`."""
    return SuccessStory.objects.filter(centre_id__in=centre_ids_for(user, perm))


def get_alumni_story(user, pk, perm="alumni.manage"):
    queryset = scope(SuccessStory.objects.select_related("profile__resident", "consent"), user)
    return get_for_centre(user, queryset, perm, pk=pk)


def published_stories_for(user):
    """Stories staff may read: their centres, published, consent for the story in force now."""
    return SuccessStory.objects.visible().filter(centre_id__in=centre_ids_for(user, "stories.read"))
