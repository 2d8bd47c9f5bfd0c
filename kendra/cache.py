"""The unread count of the navigation bar, kept in Django's cache.

The only thing Kendra keeps in its cache about a person is this number, keyed by their
user id: never anything about a resident, a check-in, an alert or a note. Pages and
panels are computed on every request. If the cache is down the count is computed.
"""

import functools
import logging
import time

import redis as redis_py
from django.core.cache import cache
from django.core.cache.backends import redis as redis_backend
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


class RedisCache(redis_backend.RedisCache):
    """Django's Redis cache that fails fast once Redis has not answered.

    A hung Redis (it accepts, and never answers) must not hang pages: the sockets have
    connect and read timeouts (settings REDIS_CONNECT_TIMEOUT / REDIS_SOCKET_TIMEOUT), and
    after one call times out or cannot connect, every call of this process fails at once
    for DOWN_SECONDS instead of waiting again; the callers above then compute the count.
    """

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _FailFastClient

    def clear(self):
        """With a KEY_PREFIX (settings.REDIS_KEY_PREFIX) only this installation's keys go:
        Redis' FLUSHDB would empty the db for everyone sharing it."""
        if not self.key_prefix:
            return super().clear()
        client = self._cache.get_client(write=True)
        return _Breaker.guard(_delete_prefixed)(self, client, f"{self.key_prefix}:*")


DOWN_SECONDS = 15.0


def _delete_prefixed(_cache, client, pattern):
    keys = list(client.scan_iter(match=pattern, count=1000))
    for start in range(0, len(keys), 1000):
        client.delete(*keys[start : start + 1000])
    return True


class _Breaker:
    """Remembers, per process, that Redis did not answer: calls fail fast for a while."""

    down_until = 0.0

    @classmethod
    def guard(cls, method):
        @functools.wraps(method)
        def call(self, *args, **kwargs):
            if time.monotonic() < cls.down_until:
                raise redis_py.ConnectionError("Redis did not answer a moment ago")
            try:
                return method(self, *args, **kwargs)
            except (redis_py.ConnectionError, redis_py.TimeoutError):
                cls.down_until = time.monotonic() + DOWN_SECONDS
                raise

        return call


class _FailFastClient(redis_backend.RedisCacheClient):
    pass


for _name in (
    "add", "get", "set", "touch", "delete", "get_many", "has_key", "incr", "set_many",
    "delete_many", "clear",
):  # fmt: skip
    setattr(_FailFastClient, _name, _Breaker.guard(getattr(_FailFastClient, _name)))
