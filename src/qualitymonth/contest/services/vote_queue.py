"""Votes with Redis in front of the database, for the storms a popular entry draws.

A vote is decided in Redis, in one Lua script: the repeat check, the limits, the daily cap and
the fraud flags are applied atomically, and an accepted vote is queued. The queue is written to
the database in batches ("flushed"): when it holds a few hundred votes, at most a second after the
last flush while votes arrive, before anything reads votes to decide (ranking, voiding, the
office's pages), and by `qualitymonth contest flush-votes` run as a worker. The database stays
the record: a flush inserts with ON CONFLICT DO NOTHING and counts only the rows it inserted, so a
batch written twice (a crash between commit and trim) is not counted twice.

What is accepted but not yet flushed lives in Redis alone; production Redis therefore runs with
append-only persistence (see README).
"""

import json

from django.db import IntegrityError, connection, transaction
from django.db.models import F

from qualitymonth.contest import figures
from qualitymonth.contest.models import Entry, Vote
from qualitymonth.core import redis as fast_redis

QUEUE = "vote:queue"
LOCK = "vote:flush-lock"
FLUSH_BATCH = 300  # flush inline once this many votes wait
FLUSH_EVERY = 1  # seconds: at most this long between flushes while votes arrive

# KEYS: 1 seen, 2 ip-minute, 3 cap, 4 ip-10min, 5 device-10min, 6 queue, 7 total, 8 pending,
#       9 flush-due, 10 the account check (see core.identity) or the queue again for a mobile
# ARGV: 1 seen ttl, 2 ip ttl, 3 cap ttl, 4 ten-minute ttl, 5 ip limit, 6 daily cap,
#       7 flag after (ip), 8 flag after (device), 9 the vote (JSON), 10 flush batch,
#       11 flush interval, 12 the session's account hash ('' for a verified mobile)
# Returns {-5} account not confirmed, {-2} total unknown, {-1} repeat, {-3} connection over its
# limit, {-4} cap reached, or {0, used today, entry total, flag, flush due}.
_ACCEPT = """
if ARGV[12] ~= '' then
  local known = redis.call('GET', KEYS[10])
  if not known or known ~= ARGV[12] then return {-5} end
end
if redis.call('EXISTS', KEYS[7]) == 0 then return {-2} end
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then return {-1} end
local function bump(key, ttl)
  local n = redis.call('INCR', key)
  if n == 1 then redis.call('EXPIRE', key, ttl) end
  return n
end
if bump(KEYS[2], ARGV[2]) > tonumber(ARGV[5]) then
  redis.call('DEL', KEYS[1])
  return {-3}
end
local used = bump(KEYS[3], ARGV[3])
if used > tonumber(ARGV[6]) then
  redis.call('DECR', KEYS[3])
  redis.call('DEL', KEYS[1])
  return {-4}
end
local ip10 = bump(KEYS[4], ARGV[4])
local dev10 = bump(KEYS[5], ARGV[4])
local flag = ''
if ip10 > tonumber(ARGV[7]) then flag = 'ip' elseif dev10 > tonumber(ARGV[8]) then flag = 'device' end
local queued = redis.call('RPUSH', KEYS[6], string.sub(ARGV[9], 1, -2) .. ',"f":"' .. flag .. '"}')
redis.call('INCR', KEYS[8])
local total = redis.call('INCR', KEYS[7])
local due = 0
if queued >= tonumber(ARGV[10]) or redis.call('SET', KEYS[9], '1', 'NX', 'EX', ARGV[11]) then
  due = 1
end
return {0, used, total, flag, due}
"""


def total_key(entry_id: int) -> str:
    return f"vote:total:{entry_id}"


def pending_key(entry_id: int) -> str:
    return f"vote:pending:{entry_id}"


def accept(client, *, keys: dict, args: dict, vote: dict, account: tuple[str, str] | None) -> list:
    """Run the decision; initialise the entry's total first when Redis does not know it.
    account is (cache key, session hash) of a signed-in voter: checked in the same round trip."""
    entry_id = vote["e"]
    names = [
        keys["seen"],
        keys["ip"],
        keys["cap"],
        keys["ip10"],
        keys["dev10"],
        QUEUE,
        total_key(entry_id),
        pending_key(entry_id),
        "vote:flush-due",
    ]
    names = [fast_redis.key(k) for k in names] + [account[0] if account else fast_redis.key(QUEUE)]
    argv = [
        args["seen_ttl"],
        120,
        args["cap_ttl"],
        1200,
        args["ip_limit"],
        args["per_day"],
        args["flag_ip"],
        args["flag_device"],
        json.dumps(vote, separators=(",", ":")),
        FLUSH_BATCH,
        FLUSH_EVERY,
        account[1] if account else "",
    ]
    for _attempt in range(3):
        result = fast_redis.run_script(_ACCEPT, names, argv)
        if result[0] != -2:
            return result
        _initialise_total(client, entry_id)
    raise RuntimeError("vote total could not be initialised")


def _initialise_total(client, entry_id: int) -> None:
    """total = the database's count + what waits in the queue, read while no flush runs."""
    with fast_redis.lock(LOCK, wait=2.0) as held:
        if not held:
            return
        stored = Entry.objects.filter(pk=entry_id).values_list("vote_count", flat=True).first()
        pending = int(client.get(fast_redis.key(pending_key(entry_id))) or 0)
        client.set(fast_redis.key(total_key(entry_id)), (stored or 0) + pending, nx=True)


def flush(client=None, *, limit: int = 5000, wait: float = 0.0) -> int:
    """Write queued votes to the database; returns how many were new. Safe to call anywhere:
    one flush runs at a time, and a flush that finds nothing costs one Redis call."""
    client = client or fast_redis.client()
    if client is None:
        return 0
    written = 0
    with fast_redis.lock(LOCK, wait=wait) as held:
        if not held:
            return 0
        while True:
            raw = client.lrange(fast_redis.key(QUEUE), 0, limit - 1)
            if not raw:
                break
            votes = [json.loads(item) for item in raw]
            written += _store(votes)
            fast_redis.forget_after_commit(
                QUEUE, raw, [fast_redis.key(pending_key(vote["e"])) for vote in votes]
            )
            if len(raw) < limit or connection.in_atomic_block:
                break  # inside a transaction the items leave the queue only at its commit
    return written


def queued_at(item: str) -> float:
    """When a queued vote was cast: its "t", in seconds ("f" is the fraud flag, not a time)."""
    return float(json.loads(item)["t"])


def _store(votes: list[dict]) -> int:
    if connection.vendor == "postgresql":
        return _store_postgresql(votes)
    return _store_portable(votes)


def _store_postgresql(votes: list[dict]) -> int:
    entry, vote = Entry._meta.db_table, Vote._meta.db_table
    sql = f"""
        WITH incoming AS (
            SELECT * FROM unnest(
                %s::int[], %s::text[], %s::date[], %s::text[], %s::text[], %s::text[],
                %s::timestamptz[]
            ) AS r(entry_id, voter, day, ip_hash, device_hash, flagged, created_at)
        ), stored AS (
            INSERT INTO {vote} (entry_id, voter, day, ip_hash, device_hash, flagged, created_at)
            SELECT i.* FROM incoming i JOIN {entry} e ON e.id = i.entry_id
            ON CONFLICT ON CONSTRAINT vote_once_a_day DO NOTHING
            RETURNING entry_id
        ), counted AS (
            SELECT entry_id, count(*) AS n FROM stored GROUP BY entry_id
        )
        UPDATE {entry} e SET vote_count = e.vote_count + counted.n
        FROM counted WHERE e.id = counted.entry_id
        RETURNING counted.n
    """
    rows = [_row(v) for v in votes]
    columns = list(zip(*rows, strict=True))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [list(c) for c in columns])
        written = sum(n for (n,) in cursor.fetchall())
        # Inserted by SQL, past the model signals: the dashboard's vote facts of these days.
        figures.votes_changed(figures.campaign_days_of_votes((r[0], r[2]) for r in rows))
        return written


def _row(vote: dict) -> tuple:
    import datetime as dt

    return (
        vote["e"],
        vote["v"],
        dt.date.fromisoformat(vote["d"]),
        vote["i"],
        vote["h"],
        vote.get("f", ""),
        dt.datetime.fromtimestamp(vote["t"], tz=dt.UTC),
    )


def _store_portable(votes: list[dict]) -> int:
    written = 0
    with transaction.atomic():
        known = set(
            Entry.objects.filter(pk__in={v["e"] for v in votes}).values_list("pk", flat=True)
        )
        per_entry: dict[int, int] = {}
        for vote in votes:
            if vote["e"] not in known:
                continue
            entry_id, voter, day, ip_hash, device_hash, flagged, created = _row(vote)
            try:
                with transaction.atomic():
                    Vote.objects.create(
                        entry_id=entry_id,
                        voter=voter,
                        day=day,
                        ip_hash=ip_hash,
                        device_hash=device_hash,
                        flagged=flagged,
                        created_at=created,
                    )
            except IntegrityError:
                continue
            per_entry[entry_id] = per_entry.get(entry_id, 0) + 1
            written += 1
        for entry_id, n in per_entry.items():
            Entry.objects.filter(pk=entry_id).update(vote_count=F("vote_count") + n)
    return written


def pending_counts(entry_ids: list[int]) -> dict[int, int]:
    """Votes accepted but not yet in the database, per entry (for showing live counts)."""
    client = fast_redis.client()
    if client is None or not entry_ids:
        return {}
    values = client.mget([fast_redis.key(pending_key(e)) for e in entry_ids])
    return {e: int(v) for e, v in zip(entry_ids, values, strict=True) if v and int(v) > 0}


def forget_votes(entry_counts: dict[int, int]) -> None:
    """Voided votes leave the live totals too."""
    client = fast_redis.client()
    if client is None:
        return
    pipe = client.pipeline(transaction=False)
    for entry_id, n in entry_counts.items():
        pipe.decrby(fast_redis.key(total_key(entry_id)), n)
    pipe.execute()
