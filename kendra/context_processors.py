from django.utils.functional import SimpleLazyObject

from . import navigation as nav
from .notify.outbox import unread_count


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_sections": []}

    return {
        "nav_sections": SimpleLazyObject(lambda: nav.sections_for(user)),
        "nav_links": SimpleLazyObject(lambda: nav.nav_links_html(user, request.path)),
        "unread_notifications": SimpleLazyObject(lambda: unread_count(user)),
    }
