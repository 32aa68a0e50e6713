"""Who the client is, and fixed-window counters in the shared cache.

Every limit, lock-out, throttle and vote or like flag on the platform names the client through
`client_ip` / `client_key`, so there is one answer to "who is this" and it cannot be chosen by the
client: the connection's own address, or, when `TRUSTED_PROXY_COUNT` proxies sit in front, the
right-most address in X-Forwarded-For that none of them added. Anything further left was written
by the client and is ignored.
"""

import ipaddress

from django.conf import settings
from django.core.cache import cache

from qualitymonth.core import redis as fast_redis


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str:
    """The client's address as the connection (and only trusted proxies) tell it."""
    remote = _address(request.META.get("REMOTE_ADDR", "")) or "unknown"
    proxies = settings.QM_TRUSTED_PROXY_COUNT
    if proxies <= 0 or not _from_proxy(remote):
        return remote
    # Each trusted proxy appends the address it received the request from, and the last one is
    # the connection itself: [client-written…, client, proxy 1, …] + [REMOTE_ADDR].
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    chain = [part for part in forwarded.split(",") if part.strip()] + [remote]
    position = max(len(chain) - 1 - proxies, 0)
    return _address(chain[position]) or remote


def _from_proxy(remote: str) -> bool:
    """Whether the connection comes from where the proxies are (TRUSTED_PROXY_NETWORKS; any
    peer when unset): a client that reaches an app node directly, past the proxy, cannot name
    its own address in X-Forwarded-For."""
    networks = settings.QM_TRUSTED_PROXY_NETWORKS
    if not networks:
        return True
    try:
        address = ipaddress.ip_address(remote)
    except ValueError:
        return False
    return any(address in network for network in networks)


def client_key(request) -> str:
    """The key limits count on: the address, or its /64 for IPv6, since one IPv6 connection
    is usually handed a whole /64 and could otherwise rotate through it."""
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6 and not parsed.ipv4_mapped:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    if parsed.version == 6:
        return str(parsed.ipv4_mapped)
    return address


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


def exceeded(key: str, *, limit: int) -> bool:
    """Whether `allow(key, …)` has already been called more than `limit` times in its window,
    without counting this look."""
    return (cache.get(f"rl:{key}") or 0) >= limit
