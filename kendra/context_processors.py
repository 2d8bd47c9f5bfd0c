from django.utils.functional import SimpleLazyObject

from . import access
from . import navigation as nav
from .models import Centre
from .notify.outbox import unread_count


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_sections": []}

    return {
        "nav_sections": SimpleLazyObject(lambda: nav.sections_for(user)),
        "nav_links": SimpleLazyObject(lambda: nav.nav_links_html(user, request.path)),
        "unread_notifications": SimpleLazyObject(lambda: unread_count(user)),
        "centre_switcher": SimpleLazyObject(lambda: _switcher(user)),
    }


def _switcher(user):
    """For a person with roles in several centres: their centres (one query, only for
    them) and the one shown; every page says which centre it shows."""
    ids = access.all_roles_by_centre(user)
    if len(ids) < 2:
        return {}
    centres = list(Centre.objects.filter(pk__in=ids).order_by("name").values_list("pk", "name"))
    shown = access.centre_shown(user)
    names = [name for pk, name in centres if shown in (None, pk)]
    return {"centres": centres, "shown": shown, "names": ", ".join(names)}
