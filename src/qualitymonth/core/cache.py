"""The cache backends: Redis in production, the database on a laptop.

Django's Redis cache is kept with one client object per connection pool.

Django's own backend builds a new redis.Redis object for every cache call; on hot paths (the
session read of every signed-in request, the vote and quiz endpoints) building it costs as much
as the round trip. A redis.Redis object is thread-safe and cheap to share, so one per pool is
kept instead. Everything else is Django's.
"""

from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from django.db import router, transaction


class _SharedClients(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)
            client = self._clients[index] = self._client(connection_pool=pool)
        return client


def _or_fallback(name: str):
    def method(self, *args, **kwargs):
        from qualitymonth.core import redis as fast_redis

        if self._fallback is None:
            return getattr(DjangoRedisCache, name)(self, *args, **kwargs)
        if fast_redis.available():
            try:
                return getattr(DjangoRedisCache, name)(self, *args, **kwargs)
            except fast_redis.errors() as error:
                fast_redis.mark_down(error)
        return getattr(caches[self._fallback], name)(*args, **kwargs)

    method.__name__ = name
    return method


class RedisCache(DjangoRedisCache):
    """OPTIONS "fallback" names a cache alias used while Redis is unreachable (core.redis says
    when): rate limits, codes and cached pages keep working from the database, slower."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        self._fallback = options.pop("fallback", None)
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = _SharedClients

    for _name in (
        "add", "get", "set", "touch", "delete", "get_many", "has_key", "incr", "set_many",
        "delete_many", "clear",
    ):  # fmt: skip
        locals()[_name] = _or_fallback(_name)
    del _name


class DatabaseCache(DjangoDatabaseCache):
    """Django's database cache with an increment that two processes cannot interleave.

    Django's incr is a read and a write; two workers counting the same limit could both read 4
    and write 5. Inside a transaction SQLite (in IMMEDIATE mode, see settings) holds the write
    lock from the read on, so the second worker reads 5.
    """

    def incr(self, key, delta=1, version=None):
        db = router.db_for_write(self.cache_model_class)
        with transaction.atomic(using=db):
            return super().incr(key, delta, version)
