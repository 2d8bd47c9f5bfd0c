"""A new personal link shown once, on the page a POST redirects to, and kept nowhere on the
server: only a hash of a link's token is stored (check-in links, calendar feeds).

The POST that makes the link redirects (so a reload makes nothing new) with the plain
token in a signed cookie that lives a minute, is limited to that page's path and is
removed as the page shows it. Only the browser that made the link ever holds it.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.shortcuts import redirect

MAX_AGE = 60  # seconds


def redirect_showing(url, name, value):
    """Redirect to `url`, handing it `value` to show once (see take)."""
    response = redirect(url)
    response.set_signed_cookie(
        name,
        value,
        salt=name,
        max_age=MAX_AGE,
        path=urlsplit(response.url).path,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )
    return response


def take(request, name):
    """The value handed by redirect_showing, or None (none, too old, or tampered with)."""
    try:
        return request.get_signed_cookie(name, default=None, salt=name, max_age=MAX_AGE)
    except signing.BadSignature:
        return None


def forget(request, response, name):
    """Remove the value, so the page shows it only this once."""
    response.delete_cookie(name, path=request.path, samesite="Strict")
    return response
