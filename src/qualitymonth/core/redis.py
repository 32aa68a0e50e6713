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


# Take exactly the given items off a queue, and one off each item's counter (if named), when
# they are there; the caller's write may have been repeated by another flush, so trimming by
# count alone could drop items that were never written. The usual case (the items are still the
# head of the queue) is one LTRIM; otherwise each item is removed by value.
_FORGET = """
local n = #ARGV / 2
local head = redis.call('LRANGE', KEYS[1], 0, n - 1)
local same = #head == n
for i = 1, n do
  if not same then break end
  same = head[i] == ARGV[2 * i - 1]
end
local removed = 0
for i = 1, #ARGV, 2 do
  local gone = same or redis.call('LREM', KEYS[1], 1, ARGV[i]) == 1
  if gone then
    removed = removed + 1
    if ARGV[i + 1] ~= '' then redis.call('DECR', ARGV[i + 1]) end
  end
end
if same then redis.call('LTRIM', KEYS[1], n, -1) end
return removed
"""
_forget = None


def forget_after_commit(queue: str, items: list[str], counters: list[str] | None = None) -> None:
    """Remove these queued items once the transaction that wrote them to the database commits
    (at once outside a transaction). If it rolls back they stay queued and are written again;
    the writers are idempotent (ON CONFLICT, "only while open")."""
    from django.db import transaction

    def forget():
        global _forget
        redis = client()
        if _forget is None:
            _forget = redis.register_script(_FORGET)
        names = counters or [""] * len(items)
        args = [value for pair in zip(items, names, strict=True) for value in pair]
        _forget(keys=[key(queue)], args=args)

    transaction.on_commit(forget)
