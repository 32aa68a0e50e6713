"""A fixed-window counter in the shared cache: good enough to stop a script, cheap per request."""

from django.core.cache import cache


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def allow(key: str, *, limit: int, window: int) -> bool:
    """Count one hit on key; False once the window has seen more than limit hits."""
    cache_key = f"rl:{key}"
    # incr first: on the hot path the counter exists and this is one round trip to the cache.
    try:
        return cache.incr(cache_key) <= limit
    except ValueError:
        if cache.add(cache_key, 1, timeout=window):
            return True
        return cache.incr(cache_key) <= limit
