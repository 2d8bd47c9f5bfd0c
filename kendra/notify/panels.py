"""The centre admin's home: how many messages were not delivered (issue 18)."""

from kendra import access

from . import undelivered


def home(request):
    ids = access.centre_ids_for(request.user, "centre.admin")
    if not ids:
        return None
    return {"count": undelivered.count(ids)}
