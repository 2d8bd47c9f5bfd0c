"""The unread count of the navigation bar, kept in Django's cache.

The only thing Kendra keeps in its cache about a person is this number, keyed by their
user id: never anything about a resident, a check-in, an alert or a note. Pages and
panels are computed on every request. If the cache is down the count is computed.
"""

import logging

from django.core.cache import cache
from django.db import transaction

log = logging.getLogger(__name__)

TTL = 300
UNREAD = "kendra:unread:{}"


def _safe(call, *args, default=None):
    try:
        return call(*args)
    except Exception:  # the cache being down must never break a page
        log.warning("cache unavailable", exc_info=True)
        return default


def unread_count(user, compute):
    """The unread count of the navigation bar, kept until forget_unread(user)."""
    cached = getattr(user, "_kendra_unread", None)
    if cached is not None:
        return cached
    key = UNREAD.format(user.pk)
    value = _safe(cache.get, key)
    if value is None:
        value = compute()
        _safe(cache.set, key, value, TTL)
    user._kendra_unread = value
    return value


def forget_unread(*user_ids):
    """Call when in-app notifications of these people are written or read."""
    keys = [UNREAD.format(u) for u in set(user_ids) if u is not None]
    if keys:
        _safe(cache.delete_many, keys)
        transaction.on_commit(lambda: _safe(cache.delete_many, keys))
