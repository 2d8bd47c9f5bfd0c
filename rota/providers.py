"""What the rota tells the others (registered in RotaConfig.ready through
kendra/providers.py): who is the counselor on duty."""

from .models import DutyShift


def on_duty(centre_id, when=None):
    """The counselor(s) on duty at `when` (None: now); nobody where the rota is empty."""
    shifts = DutyShift.objects.on_duty(centre_id, when).select_related("membership__user__profile")
    return [s.membership.user for s in shifts.order_by("pk")]
