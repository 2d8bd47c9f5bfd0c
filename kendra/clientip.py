"""The address of the person at the other end, behind a configured number of proxies.

Each trusted proxy (nginx, a load balancer) appends the address it saw to
X-Forwarded-For. With KENDRA_TRUSTED_PROXIES=N, the client is the address the N-th proxy
saw: the N-th entry from the right of "X-Forwarded-For, REMOTE_ADDR". Entries further
left were written by the client itself and are ignored, so a forged header changes
nothing. With 0 (the default: gunicorn reached directly) the header is ignored entirely.
Used by sign-in lockout (django-axes), the audit trail and the rate limits.
"""

import ipaddress

from django.conf import settings


def client_ip(request):
    """The client's address as text ("" when there is no request)."""
    if request is None:
        return ""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = settings.KENDRA_TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()] + [remote]
    # Fewer hops than proxies: the request did not come through them all; the leftmost
    # address is the best there is (it was still written by a trusted proxy).
    candidate = hops[-(proxies + 1)] if len(hops) > proxies else hops[0]
    return candidate if _is_address(candidate) else remote


def _is_address(text):
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
