"""Recording to the append-only audit trail."""

from .models import AuditEvent


def record(user, action, obj=None, *, centre=None, resident=None, detail=""):
    """Write one audit event. `obj` gives the type and id; centre/resident are inferred."""
    object_type = object_id = ""
    centre_id = centre.pk if centre is not None else None
    if obj is not None:
        object_type = obj._meta.label_lower
        object_id = str(obj.pk)
        # The id, not the object: reading obj.centre would cost a query.
        centre_id = centre_id or getattr(obj, "centre_id", None)
        if resident is None and obj.__class__.__name__ == "Resident":
            resident = obj
    return AuditEvent.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        centre_id=centre_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        resident=resident,
        detail=detail[:2000],
    )
