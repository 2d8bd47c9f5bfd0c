"""What the mentors app tells the others (registered in MentorsConfig.ready through
kendra/providers.py): who mentors a resident now, and whom a user mentors."""

from django.contrib.auth import get_user_model

from .models import Pairing


def _active_pairings():
    return Pairing.objects.filter(ended_at__isnull=True)


def active_mentor(resident):
    """The user account of the resident's active mentor, or None."""
    user_id = (
        _active_pairings()
        .filter(mentee=resident)
        .order_by("-pk")
        .values_list("mentor__user_id", flat=True)
        .first()
    )
    return get_user_model().objects.filter(pk=user_id).first() if user_id else None


def mentee_ids(user):
    """Residents the user mentors now (for what a mentor may see on the alerts page)."""
    return list(_active_pairings().filter(mentor__user=user).values_list("mentee_id", flat=True))
