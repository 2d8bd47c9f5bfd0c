from django.utils import timezone

from kendra.models import Membership, Role
from rota.models import DutyShift, shift_at


def put_on_duty(centre, user, when=None):
    """Put a counselor on the rota for the shift running at `when` (now by default)."""
    date, shift = shift_at(when or timezone.now())
    membership = Membership.objects.get(user=user, centre=centre, role=Role.COUNSELOR)
    return DutyShift.objects.create(centre=centre, date=date, shift=shift, membership=membership)
