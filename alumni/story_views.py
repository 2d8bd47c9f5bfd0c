"""Success stories: coordinators write them, alumni agree (or withdraw), staff read them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kendra.forms import int_param

from . import access as alumni_access
from . import actions
from .forms import PublishStoryForm, StoryForm
from .views import _data, _page

STORY_SHOWS = [
    ("all", gettext_lazy("All")),
    ("draft", gettext_lazy("Drafts")),
    ("published", gettext_lazy("Published")),
    ("withdrawn", gettext_lazy("Consent withdrawn")),
]


@login_required
def stories(request):
    """Coordinators: every story of their centres, drafts and withdrawn ones too."""
    alumni_access.require_alumni_page(request.user, "alumni.manage")
    show = request.GET.get("show", "all")
    found = alumni_access.alumni_stories_for(request.user)
    if show == "draft":
        found = found.filter(published=False)
    elif show == "published":
        found = found.visible()
    elif show == "withdrawn":
        found = found.filter(published=True, consent__withdrawn_at__isnull=False)
    else:
        show = "all"
    page = _page(
        request,
        found.select_related("profile__resident", "consent").order_by("-created_at", "-pk"),
    )
    return render(
        request, "alumni/stories.html", {"page": page, "show": show, "shows": STORY_SHOWS}
    )


@login_required
def story_create(request):
    alumni_access.require_alumni_page(request.user, "alumni.manage")
    alumni = (
        alumni_access.alumni_for(request.user, "alumni.manage")
        .select_related("resident")
        .order_by("resident__full_name", "pk")
    )
    profile = int_param(request.GET.get("profile"))
    initial = {} if profile is None else {"profile": profile}
    form = StoryForm(_data(request), alumni=alumni, initial=initial)
    if request.method == "POST" and form.is_valid():
        story = actions.save_story(form, request.user)
        messages.success(
            request,
            _("The story is saved as a draft. It is published only once they agree to it."),
        )
        return redirect(story)
    return render(request, "alumni/story_form.html", {"form": form, "story": None})


@login_required
def story_detail(request, pk):
    story = alumni_access.get_alumni_story(request.user, pk)
    return render(request, "alumni/story_detail.html", {"story": story})


@login_required
def story_edit(request, pk):
    story = alumni_access.get_alumni_story(request.user, pk)
    try:
        actions.check_story_editable(story)
    except actions.RuleBroken as error:
        messages.error(request, str(error))
        return redirect(story)
    alumni = alumni_access.alumni_for(request.user, "alumni.manage").select_related("resident")
    form = StoryForm(_data(request), instance=story, alumni=alumni)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_story(form, request.user)
        except actions.RuleBroken as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Changes saved."))
            return redirect(story)
    return render(request, "alumni/story_form.html", {"form": form, "story": story})


@login_required
def story_publish(request, pk):
    story = alumni_access.get_alumni_story(request.user, pk)
    if story.published:
        messages.info(request, _("This story has already been published."))
        return redirect(story)
    form = PublishStoryForm(_data(request), story=story)
    if request.method == "POST" and form.is_valid():
        try:
            actions.publish_story(
                story, request.user, form.cleaned_data["consent_given"], form.cleaned_data["note"]
            )
        except actions.RuleBroken as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Their consent is recorded and the story is published inside Kendra.")
            )
            return redirect(story)
    return render(request, "alumni/story_publish.html", {"form": form, "story": story})


@login_required
def story_withdraw(request, pk):
    story = alumni_access.get_alumni_story(request.user, pk)
    if not story.is_visible:
        messages.info(request, _("This story is not published, so there is nothing to withdraw."))
        return redirect(story)
    if request.method == "POST":
        try:
            actions.withdraw_story(story, request.user)
        except actions.RuleBroken as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _(
                    "Consent withdrawn. The story is hidden from everyone now; it is kept, not deleted."
                ),
            )
        return redirect(story)
    return render(request, "alumni/story_withdraw.html", {"story": story})


@login_required
def published_stories(request):
    """The "Stories" page: any staff member of the centre reads what alumni agreed to share."""
    alumni_access.require_alumni_page(request.user, "stories.read")
    found = alumni_access.published_stories_for(request.user).select_related("profile__resident")
    page = _page(request, found.order_by("-published_at", "-pk"))
    return render(request, "alumni/published_stories.html", {"page": page})
