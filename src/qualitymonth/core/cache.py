"""Django's Redis cache, keeping one client object per connection pool.

Django's own backend builds a new redis.Redis object for every cache call; on hot paths (the
session read of every signed-in request, the vote and quiz endpoints) building it costs as much
as the round trip. A redis.Redis object is thread-safe and cheap to share, so one per pool is
kept instead. Everything else is Django's.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


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
