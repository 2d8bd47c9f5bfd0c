"""Every change to the rota goes through these functions (views stay thin)."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kendra import audit

from .models import DutyShift, shift_at


class RotaError(Exception):
    """The shifts could not be added; str(error) says why, in words."""


def days(first, last):
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


@transaction.atomic
def add_shifts(centre, membership, shift, first, last, by):
    """Put `membership` on duty for `shift` on every day from `first` to `last`.

    All or nothing: the form checked for shifts already taken, and the database allows one
    person per shift, so a shift someone else added a moment ago fails the whole lot."""
    rows = [
        DutyShift(centre=centre, date=day, shift=shift, membership=membership, added_by=by)
        for day in days(first, last)
    ]
    try:
        with transaction.atomic():
            DutyShift.objects.bulk_create(rows)
    except IntegrityError:
        raise RotaError(
            _("Someone else put a person on one of these shifts a moment ago. Look again.")
        ) from None
    audit.record(
        by,
        "rota.shifts_added",
        centre=centre,
        detail=f"{membership.user}: {shift} {first:%Y-%m-%d} to {last:%Y-%m-%d}",
    )
    return rows


def _end(shifts, by, note):
    """Take shifts off the rota with a note, each saved (they are kept, not deleted)."""
    now = timezone.now()
    ended = []
    for shift in shifts:
        shift.ended_at, shift.ended_by, shift.end_note = now, by, note
        shift.save(update_fields=["ended_at", "ended_by", "end_note"])
        ended.append(shift)
    return ended


@transaction.atomic
def remove_shift(shift, by, note=""):
    current = DutyShift.objects.select_for_update().filter(pk=shift.pk, ended_at__isnull=True)
    ended = _end(current, by, note or _("Taken off the rota."))
    if ended:
        audit.record(by, "rota.shift_removed", shift, detail=f"{shift.date} {shift.shift}")
    return bool(ended)


def on_membership_ended(sender, membership, by=None, note="", **kwargs):
    """The person's shifts from the running one on end with their membership."""
    date, running = shift_at()
    shifts = DutyShift.objects.select_for_update().filter(
        Q(date__gt=date) | Q(date=date, shift__gte=running),  # "day" sorts before "night"
        membership=membership,
        ended_at__isnull=True,
    )
    why = _("Membership ended: %(note)s") % {"note": note} if note else _("Membership ended.")
    with transaction.atomic():
        ended = _end(list(shifts), by, why)
    if ended:
        audit.record(
            by,
            "rota.shifts_ended",
            centre=membership.centre,
            detail=f"{membership.user}: {len(ended)} shift(s) with the membership",
        )
    return ended
