"""Rate limits on the pages opened by a token in the address, without signing in:
personal check-in links, calendar feeds, invitations.

django-ratelimit counts, in the shared cache (Redis; it stores a hash of the token and
the address, never the plain values), and each page is limited twice: per token
(KENDRA_RATE_PER_TOKEN, e.g. "30/m") and per client address across all token pages
(KENDRA_RATE_PER_ADDRESS). The client address is the one behind the trusted proxies
(kendra/clientip.py, settings.RATELIMIT_IP_META_KEY). A refused request gets a plain page
in words with status 429.

A request matching `exempt` (the "I need help now" press on a check-in link) is neither
counted nor refused: every press must reach the help path, whose own rule makes a double
tap within a minute count once (checkins/help_requests.py).

Apply it to a view taking a `token` argument:

    @token_page("invitation")
    def accept(request, token): ...
"""

import functools
import logging

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited

log = logging.getLogger(__name__)
ADDRESS_GROUP = "kendra.token-pages.address"


def token_page(name, *, exempt=None, refused_template="kendra/ratelimited.html"):
    """Decorate a token page view: limited per token and per client address."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            token = kwargs["token"] if "token" in kwargs else args[0]
            if (exempt is None or not exempt(request)) and over_limit(request, name, token):
                return render(request, refused_template, status=429)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def over_limit(request, name, token):
    """Count this request against both limits; True when either is exceeded."""
    try:
        per_token = is_ratelimited(
            request,
            group=f"kendra.token-pages.{name}",
            key=lambda _group, _request: token,
            rate=settings.KENDRA_RATE_PER_TOKEN,
            increment=True,
        )
        per_address = is_ratelimited(
            request,
            group=ADDRESS_GROUP,
            key="ip",
            rate=settings.KENDRA_RATE_PER_ADDRESS,
            increment=True,
        )
    except Exception:  # the cache is down: the page matters more than the limit
        log.warning("rate limit not checked: the cache did not answer", exc_info=True)
        return False
    return per_token or per_address
