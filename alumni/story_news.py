"""Stories tell their author: publishing, changing or taking down a story tells its
alumnus (in Kendra when they have an account, and on their own channel); a consent for
a story withdrawn (here or in the consent ledger) hides it at once and tells the
coordinators. The messages name no story and no centre type: a phone's screen is seen."""

import logging

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from kendra.models import Consent, Membership, Role
from kendra.notify import outbox

from .models import SuccessStory

log = logging.getLogger(__name__)
WHAT = {
    "published": _("has been published"),
    "changed": _("has been changed"),
    "taken_down": _("is no longer shown"),
}


def _send(kind, slot, *, centre, context, **recipient):
    try:
        return outbox.enqueue(kind, slot=slot, centre=centre, context=context, **recipient)
    except outbox.RecipientError as exc:
        log.info("no %s message: %s", kind, exc)
        return None


def tell_alumnus(story, what, version=""):
    """The story's alumnus: by their channel (their record's phone, or their own choice),
    and in Kendra when they sign in (a mentor account). Returns the rows written."""
    resident = story.profile.resident
    with translation.override(resident.preferred_language or settings.LANGUAGE_CODE):
        words = str(WHAT[what])
    slot = f"story-{story.pk}-{what}{version}"
    context = {"story": story, "what": words}
    rows = [_send("story_news", slot, centre=story.centre, context=context, resident=resident)]
    user = getattr(getattr(resident, "mentor_profile", None), "user", None)
    if user is not None:
        rows.append(
            _send(
                "story_news",
                slot,
                centre=story.centre,
                context=context,
                user=user,
                channel="in_app",
            )
        )
    return [row for row in rows if row is not None]


def on_consent_withdrawn(sender, consent, by=None, **kwargs):
    """A story's consent withdrawn: the story is hidden at once (SuccessStory.visible reads
    the consent every time); its coordinators and its alumnus are told."""
    if consent.purpose != Consent.Purpose.STORY_PUBLICATION:
        return []
    story = (
        SuccessStory.objects.filter(consent=consent)
        .select_related("profile__resident", "centre")
        .first()
    )
    if story is None:
        return []
    rows = tell_alumnus(story, "taken_down")
    coordinators = Membership.objects.filter(
        centre_id=story.centre_id,
        role=Role.ALUMNI_COORDINATOR,
        is_active=True,
        user__is_active=True,
    ).select_related("user__profile")
    for membership in coordinators:
        rows.append(
            _send(
                "story_withdrawn",
                f"story-{story.pk}-withdrawn",
                centre=story.centre,
                context={"story": story},
                user=membership.user,
                channel="in_app",
            )
        )
    return [row for row in rows if row is not None]
