"""Django's Redis cache, keeping one client per connection pool.

Django's RedisCacheClient makes a new redis.Redis for every cache call, and building one
(its table of response callbacks) costs about as much as the call itself on loopback.
A client holds no connection of its own (the pool does, per process, and redis-py resets
it after a fork), and Django keeps one cache object per thread, so one client per pool is
enough. set_many without a timeout (the centres' versions, bumped on every write) is one
MSET, which is atomic on its own, instead of Django's MULTI / MSET / EXEC pipeline. Settings: CACHES["default"]["BACKEND"] = "kendra.redis_cache.RedisCache".

A hung Redis (accepts, never answers) must not hang pages: the pool's sockets have connect
and read timeouts (settings REDIS_CONNECT_TIMEOUT / REDIS_SOCKET_TIMEOUT), and after one
call times out or cannot connect, every call of this process fails at once for
DOWN_SECONDS instead of waiting again; kendra/cache.py then computes the page afresh.
"""

import functools
import time

from django.core.cache.backends import redis

DOWN_SECONDS = 15.0


class _Breaker:
    """Remembers, per process, that Redis did not answer: calls fail fast for a while."""

    down_until = 0.0

    @classmethod
    def guard(cls, method):
        @functools.wraps(method)
        def call(self, *args, **kwargs):
            import redis as redis_py

            if time.monotonic() < cls.down_until:
                raise redis_py.ConnectionError("Redis did not answer a moment ago")
            try:
                return method(self, *args, **kwargs)
            except (redis_py.ConnectionError, redis_py.TimeoutError):
                cls.down_until = time.monotonic() + DOWN_SECONDS
                raise

        return call


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def set_many(self, data, timeout):
        if timeout is not None:
            return super().set_many(data, timeout)
        client = self.get_client(None, write=True)
        client.mset({key: self._serializer.dumps(value) for key, value in data.items()})


for _name in (
    "add", "get", "set", "touch", "delete", "get_many", "has_key", "incr", "set_many",
    "delete_many", "clear",
):  # fmt: skip
    setattr(RedisCacheClient, _name, _Breaker.guard(getattr(RedisCacheClient, _name)))


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
