"""Django's Redis cache, keeping one client per connection pool.

Django's RedisCacheClient makes a new redis.Redis for every cache call, and building one
(its table of response callbacks) costs about as much as the call itself on loopback.
A client holds no connection of its own (the pool does, per process, and redis-py resets
it after a fork), and Django keeps one cache object per thread, so one client per pool is
enough. set_many without a timeout (the centres' versions, bumped on every write) is one
MSET, which is atomic on its own, instead of Django's MULTI / MSET / EXEC pipeline. Settings: CACHES["default"]["BACKEND"] = "kendra.redis_cache.RedisCache".
"""

from django.core.cache.backends import redis


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


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
