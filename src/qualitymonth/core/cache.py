"""The cache backends: Redis in production, the database on a laptop.

Django's Redis cache is kept with one client object per connection pool.

Django's own backend builds a new redis.Redis object for every cache call; on hot paths (the
session read of every signed-in request, the vote and quiz endpoints) building it costs as much
as the round trip. A redis.Redis object is thread-safe and cheap to share, so one per pool is
kept instead. Everything else is Django's.
"""

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


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _SharedClients


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
