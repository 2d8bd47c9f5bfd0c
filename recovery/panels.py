from kendra.models import Resident

from . import access
from .models import RecoveryPlan


def resident(request, resident: Resident):
    """The plan's line on the resident page: for those who may read it."""
    if not access.may_read(request.user, resident):
        return None
    plan = RecoveryPlan.objects.filter(resident=resident).only("pk", "written_on").first()
    return {
        "resident": resident,
        "plan": plan,
        "may_write": access.may_write(request.user, resident),
    }
