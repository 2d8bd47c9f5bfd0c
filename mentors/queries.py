"""Small queries the mentors' pages share."""

from django.db.models import Q

from .models import Pairing


def filter_pairings(pairings, status, mentor, reason, query):
    """The pairing list's filters: active or ended (anything else: all), one mentor (an id),
    one end reason, a name searched in the mentee's and the mentor's names."""
    if status == "active":
        pairings = pairings.active()
    elif status == "ended":
        pairings = pairings.ended()
    if mentor.isascii() and mentor.isdigit():
        pairings = pairings.filter(mentor_id=int(mentor))
    if reason in Pairing.EndReason.values:
        pairings = pairings.filter(end_reason=reason)
    if query:
        pairings = pairings.filter(
            Q(mentee__full_name__icontains=query)
            | Q(mentee__preferred_name__icontains=query)
            | Q(mentor__resident__full_name__icontains=query)
        )
    return pairings
