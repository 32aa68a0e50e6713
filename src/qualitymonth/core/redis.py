"""One Redis client per process for the hot paths (rate limits, quiz papers, leaderboards).

Django's cache backend builds a new client object on every call; on endpoints that answer in a
millisecond or two that cost shows, so these paths talk to Redis directly. None without REDIS_URL.

None also while Redis is unreachable. Every caller already has a database path for a deployment
without Redis, so an outage makes the platform slower, not broken: the first failure marks Redis
down for this process (`mark_down`, called by core.outage for an error mid-request), and after
PAUSE seconds one PING decides whether it is back. The moment a process sees it back it records
the outage's end in Redis (`OUTAGE_ENDED`): what was written to the database meanwhile is not in
Redis, so work begun before that moment is finished by the database path (the quiz submit).
"""

import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)

_client = None
_down_until = 0.0
_down_since = 0.0
PAUSE = 2.0
OUTAGE_ENDED = "redis:outage-ended-ms"
OUTAGE_MEMORY = 6 * 3600  # seconds: longer than any attempt or queued item lives


def _connect():
    global _client
    if _client is None:
        import redis

        _client = redis.Redis.from_url(
            settings.REDIS_URL,
            socket_timeout=2,
            # A stopped Redis refuses at once on one machine; across a network a dead host must
            # not hold a request for long either.
            socket_connect_timeout=0.5,
            decode_responses=True,
        )
    return _client


def client():
    """The shared client, or None: no REDIS_URL, or Redis unreachable (see the module doc)."""
    global _down_until, _down_since
    if not settings.REDIS_URL:
        return None
    if _down_until:
        now = time.monotonic()
        if now < _down_until:
            return None
        try:
            _connect().ping()
        except errors():
            _down_until = now + PAUSE
            return None
        _remember_outage_end()
        logger.warning("Redis is reachable again after %.1f s", now - _down_since)
        _down_until = _down_since = 0.0
    return _connect()


def available() -> bool:
    return client() is not None


def errors() -> tuple[type[Exception], ...]:
    """What an unreachable Redis raises (a refused or dropped connection, a timeout)."""
    from redis.exceptions import BusyLoadingError, ConnectionError, TimeoutError

    return (ConnectionError, TimeoutError, BusyLoadingError)


def mark_down(error: Exception | None = None) -> None:
    """Redis failed under this process: use the database paths for a while."""
    global _down_until, _down_since
    if not _down_until:
        _down_since = time.monotonic()
        logger.warning("Redis unreachable (%s); using the database paths", type(error).__name__)
    _down_until = time.monotonic() + PAUSE


def outage_ended_ms() -> int:
    """When this deployment last saw Redis come back (ms since the epoch), or 0."""
    value = client().get(key(OUTAGE_ENDED)) if available() else None
    return int(value or 0)


# What to do once when Redis comes back, registered by whoever keeps copies there that an
# outage can leave stale: each is called with the client by the first process to see Redis back.
_recovery_hooks: list[Callable[[Any], None]] = []


def on_recovery(hook: Callable[[Any], None]) -> None:
    if hook not in _recovery_hooks:
        _recovery_hooks.append(hook)


def _remember_outage_end() -> None:
    """Record the moment, and run the recovery hooks: the first process to see Redis back runs
    them; the others find the sweep claimed."""
    client = _connect()
    try:
        client.set(key(OUTAGE_ENDED), int(time.time() * 1000), ex=OUTAGE_MEMORY)
        if client.set(key("redis:outage-sweep"), "1", nx=True, ex=int(PAUSE * 5)):
            for hook in _recovery_hooks:
                hook(client)
    except errors():
        pass


def delete_matching(client, pattern: str, batch: int = 1000) -> None:
    """Delete the keys matching a pattern, a batch at a time (SCAN, never KEYS)."""
    found = []
    for name in client.scan_iter(match=pattern, count=batch):
        found.append(name)
        if len(found) >= batch:
            client.delete(*found)
            found = []
    if found:
        client.delete(*found)


def reset() -> None:
    """Forget the client and any outage (tests, and settings changes)."""
    global _client, _down_until, _down_since
    _client, _down_until, _down_since = None, 0.0, 0.0


def key(name: str) -> str:
    """Namespaced like the cache, so several deployments (or test workers) can share one Redis."""
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "qm")
    return f"{prefix}:{name}"


_scripts: dict[str, object] = {}


def run_script(source: str, keys: list, args: list):
    """Run a Lua script by its hash (EVALSHA; redis-py loads it again if Redis lost it)."""
    script = _scripts.get(source)
    if script is None:
        script = _scripts[source] = client().register_script(source)
    return script(keys=keys, args=args)


class lock:
    """A short Redis lock held by one process at a time (the flushes of the burst queues).
    `with lock(name, wait=s) as held:` waits up to s seconds; held is False if it never came.

    It lapses after LOCK_SECONDS: a flusher killed while holding it (a crash, SIGKILL) must not
    keep every other flush, and every read that settles the queues first, waiting for a minute.
    A flush that outlives it may overlap the next one; the writers are idempotent for that."""

    LOCK_SECONDS = 10

    def __init__(self, name: str, wait: float = 0.0):
        import secrets

        self.name, self.wait, self.token, self.held = key(name), wait, secrets.token_hex(8), False

    def __enter__(self) -> bool:
        import time

        deadline = time.monotonic() + self.wait
        while not client().set(self.name, self.token, nx=True, ex=self.LOCK_SECONDS):
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.01)
        self.held = True
        return True

    def __exit__(self, *exc) -> None:
        if self.held and client().get(self.name) == self.token:
            client().delete(self.name)


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


def forget_after_commit(queue: str, items: list[str], counters: list[str] | None = None) -> None:
    """Remove these queued items once the transaction that wrote them to the database commits
    (at once outside a transaction). If it rolls back they stay queued and are written again;
    the writers are idempotent (ON CONFLICT, "only while open")."""
    from django.db import transaction

    def forget():
        names = counters or [""] * len(items)
        args = [value for pair in zip(items, names, strict=True) for value in pair]
        run_script(_FORGET, [key(queue)], args)

    transaction.on_commit(forget)
