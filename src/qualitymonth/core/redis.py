"""One Redis client per process for the hot paths (rate limits, quiz papers, leaderboards).

Django's cache backend builds a new client object on every call; on endpoints that answer in a
millisecond or two that cost shows, so these paths talk to Redis directly. None without REDIS_URL.
"""

from django.conf import settings

_client = None


def client():
    global _client
    if not settings.REDIS_URL:
        return None
    if _client is None:
        import redis

        _client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, decode_responses=True)
    return _client


def key(name: str) -> str:
    """Namespaced like the cache, so several deployments (or test workers) can share one Redis."""
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "qm")
    return f"{prefix}:{name}"
