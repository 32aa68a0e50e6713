"""A fixed-window counter in the shared cache: good enough to stop a script, cheap per request."""

from django.core.cache import cache

from qualitymonth.core import redis as fast_redis


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


def allow_all(rules: list[tuple[str, int, int]]) -> bool:
    """Count one hit on each (key, limit, window); False if any is over its limit. With Redis,
    all the counters cost one round trip."""
    client = fast_redis.client()
    if client is None:
        return all([allow(key, limit=limit, window=window) for key, limit, window in rules])
    pipe = client.pipeline(transaction=False)
    for key, _limit, window in rules:
        name = fast_redis.key(f"rl:{key}")
        pipe.incr(name)
        pipe.expire(name, window, nx=True)
    counts = pipe.execute()[0::2]
    return all(count <= limit for count, (_key, limit, _window) in zip(counts, rules, strict=True))
