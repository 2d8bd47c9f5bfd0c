"""The Redis cache backend keeps one client per connection pool (kendra/redis_cache.py)."""

from django.core.cache import caches

from kendra.redis_cache import RedisCache


def test_one_client_serves_every_call_and_values_round_trip():
    backend = caches["default"]
    assert isinstance(backend, RedisCache)  # the tests run on Redis, as production does
    first = backend._cache.get_client(write=True)
    assert backend._cache.get_client(write=True) is first
    assert backend._cache.get_client("key") is first  # one server: reads use the same pool
    backend.set_many({"kendra:test:a": 5, "kendra:test:b": {"x": [1, 2]}}, 30)
    assert backend.get_many(["kendra:test:a", "kendra:test:b", "kendra:test:none"]) == {
        "kendra:test:a": 5,
        "kendra:test:b": {"x": [1, 2]},
    }
    assert backend.incr("kendra:test:a") == 6
    backend.delete_many(["kendra:test:a", "kendra:test:b"])
    assert backend.get("kendra:test:a") is None


def test_set_many_for_ever_is_one_mset_and_keeps_no_expiry(monkeypatch):
    backend = caches["default"]
    client = backend._cache.get_client(write=True)
    backend.set("kendra:test:v1", 1, 30)  # had an expiry: set for ever, it has none

    def no_pipeline(*args, **kwargs):
        raise AssertionError("a pipeline (MULTI / EXEC) for a plain MSET")

    monkeypatch.setattr(client, "pipeline", no_pipeline)
    backend.set_many({"kendra:test:v1": 2, "kendra:test:v2": {"at": 3}}, None)
    monkeypatch.undo()

    assert backend.get_many(["kendra:test:v1", "kendra:test:v2"]) == {
        "kendra:test:v1": 2,
        "kendra:test:v2": {"at": 3},
    }
    assert client.ttl(backend.make_key("kendra:test:v1")) == -1  # no expiry
    backend.delete_many(["kendra:test:v1", "kendra:test:v2"])
