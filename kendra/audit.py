"""Recording to the append-only audit trail."""

from .models import AuditEvent


def record(user, action, obj=None, *, centre=None, resident=None, detail=""):
    """Write one audit event. `obj` gives the type and id; centre/resident are inferred."""
    object_type = object_id = ""
    if obj is not None:
        object_type = obj._meta.label_lower
        object_id = str(obj.pk)
        centre = centre or getattr(obj, "centre", None)
        if resident is None and obj.__class__.__name__ == "Resident":
            resident = obj
    return AuditEvent.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        centre=centre,
        action=action,
        object_type=object_type,
        object_id=object_id,
        resident=resident,
        detail=detail[:2000],
    )
