"""The leaderboard: each person's best attempt, ranked by score (high first), then time used
(short first), then finishing time (early first), then participant key.

`LeaderboardEntry` rows are the source of truth. When REDIS_URL is set, every board is mirrored in
a Redis sorted set so that "top 100" and "my rank" cost one round trip each however many people
refresh at once; `qualitymonth quiz rebuild-leaderboard` rebuilds the mirror from the database.
Both paths give the same order (a test checks it).
"""

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from qualitymonth.core import redis as fast_redis
from qualitymonth.quiz.models import Attempt, LeaderboardEntry, Quiz

DURATION_BITS = 24  # up to 4.6 hours of time used per attempt; the limit is 4 hours


@dataclass(frozen=True)
class Row:
    rank: int
    participant: str
    name: str
    score: Decimal
    duration_ms: int
    finished_at: dt.datetime

    @property
    def duration_s(self) -> float:
        return round(self.duration_ms / 1000, 1)


def _sort_key(
    score: Decimal, duration_ms: int, finished_at: dt.datetime, participant: str
) -> tuple:
    return (-score, duration_ms, finished_at, participant)


def is_better(attempt: Attempt, entry: LeaderboardEntry | None) -> bool:
    if entry is None:
        return True
    return _sort_key(
        attempt.score, attempt.duration_ms, attempt.finished_at, attempt.participant
    ) < _sort_key(entry.score, entry.duration_ms, entry.finished_at, entry.participant)


def _finished_of(info: dict) -> dt.datetime:
    """Finishing time from a mirror entry: ISO text, or milliseconds (written by the submit script
    in quiz/burst.py)."""
    if "f" in info:
        return dt.datetime.fromisoformat(info["f"])
    return dt.datetime.fromtimestamp(info["fm"] / 1000, tz=dt.UTC)


# --- Redis mirror ---------------------------------------------------------------------------
def redis_client():
    return fast_redis.client()


def _board_key(quiz_id: int, day: dt.date | None) -> str:
    return fast_redis.key(f"lb:{quiz_id}:{day.isoformat() if day else 'all'}")


def _composite(score: Decimal, duration_ms: int) -> int:
    tenths = int(Decimal(score) * 10)
    return -tenths * (1 << DURATION_BITS) + min(duration_ms, (1 << DURATION_BITS) - 1)


def _member(finished_at: dt.datetime, participant: str) -> str:
    # Equal composite scores are ordered by member, lexicographically: the zero-padded
    # finishing time in milliseconds puts the earlier finisher first.
    return f"{int(finished_at.timestamp() * 1000):014d}|{participant}"


def _mirror(entry: LeaderboardEntry, pipe, old_member: str | None = None) -> None:
    key = _board_key(entry.quiz_id, entry.day)
    member = _member(entry.finished_at, entry.participant)
    info = display_info(entry.display_name, entry.score, entry.duration_ms, entry.finished_at)
    if old_member and old_member != member:
        pipe.zrem(key, old_member)
    pipe.zadd(key, {member: _composite(entry.score, entry.duration_ms)})
    pipe.hset(f"{key}:m", entry.participant, member)
    pipe.hset(f"{key}:i", entry.participant, info)
    pipe.set(f"{key}:built", "1")


# Public names for the submit path that updates the mirror inside a Redis script
# (services.attempts.attempt_submit_quick).
def board_key(quiz_id: int, day: dt.date | None) -> str:
    return _board_key(quiz_id, day)


def composite(score: Decimal, duration_ms: int) -> int:
    return _composite(score, duration_ms)


def member(finished_at: dt.datetime, participant: str) -> str:
    return _member(finished_at, participant)


def display_info(name: str, score: Decimal, duration_ms: int, finished_at: dt.datetime) -> str:
    return json.dumps({"n": name, "s": str(score), "d": duration_ms, "f": finished_at.isoformat()})


def row_from(participant: str, position, raw) -> "Row | None":
    if position is None or raw is None:
        return None
    info = json.loads(raw)
    return Row(
        int(position) + 1,
        participant,
        info["n"],
        Decimal(info["s"]),
        info["d"],
        _finished_of(info),
    )


def upsert_many(rows: list[dict]) -> None:
    """Each row, an attempt, becomes its person's overall and daily entry where it is better
    (PostgreSQL, in the caller's transaction; the Redis mirror was updated when it happened)."""
    from django.db import connection

    best: dict[tuple, dict] = {}
    for row in rows:
        for day in (None, row["day"]):
            key = (row["quiz_id"], day, row["participant"])
            old = best.get(key)
            rank = _sort_key(row["score"], row["duration_ms"], row["finished_at"], "")
            if old is None or rank < _sort_key(
                old["score"], old["duration_ms"], old["finished_at"], ""
            ):
                best[key] = {**row, "day": day}
    table = LeaderboardEntry._meta.db_table
    better = (
        f"WHERE EXCLUDED.score > {table}.score OR (EXCLUDED.score = {table}.score AND "
        f"(EXCLUDED.duration_ms, EXCLUDED.finished_at) < ({table}.duration_ms, {table}.finished_at))"
    )
    update = (
        "SET attempt_id = EXCLUDED.attempt_id, display_name = EXCLUDED.display_name, "
        "score = EXCLUDED.score, duration_ms = EXCLUDED.duration_ms, "
        "finished_at = EXCLUDED.finished_at"
    )
    for overall in (True, False):
        chosen = [r for (_q, day, _p), r in best.items() if (day is None) == overall]
        if not chosen:
            continue
        target = (
            "(quiz_id, participant) WHERE day IS NULL" if overall else "(quiz_id, day, participant)"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {table} (quiz_id, day, participant, attempt_id, display_name, score,
                                     duration_ms, finished_at)
                SELECT * FROM unnest(%s::bigint[], %s::date[], %s::text[], %s::bigint[],
                                     %s::text[], %s::numeric[], %s::int[], %s::timestamptz[])
                ON CONFLICT {target} DO UPDATE {update} {better}
                """,
                [
                    [r["quiz_id"] for r in chosen],
                    [r["day"] for r in chosen],
                    [r["participant"] for r in chosen],
                    [r["attempt_id"] for r in chosen],
                    [r["display_name"] for r in chosen],
                    [r["score"] for r in chosen],
                    [r["duration_ms"] for r in chosen],
                    [r["finished_at"] for r in chosen],
                ],
            )


def mirror_entries(entries: list[LeaderboardEntry]) -> None:
    """Mirror changed entries: one round trip to read the old members, one to write."""
    client = redis_client()
    if client is None or not entries:
        return
    keys = [_board_key(e.quiz_id, e.day) for e in entries]
    pipe = client.pipeline(transaction=False)
    for key, entry in zip(keys, entries, strict=True):
        pipe.exists(f"{key}:built")
        pipe.hget(f"{key}:m", entry.participant)
    found = pipe.execute()
    if not all(found[0::2]):
        # The mirror was lost (Redis restarted or flushed): rebuild it whole, not one entry.
        rebuild(entries[0].quiz_id)
        return
    pipe = client.pipeline(transaction=True)
    for entry, old in zip(entries, found[1::2], strict=True):
        _mirror(entry, pipe, old)
    pipe.execute()


def _unmirror(client, quiz_id: int, day: dt.date | None, participant: str) -> None:
    key = _board_key(quiz_id, day)
    old = client.hget(f"{key}:m", participant)
    if old:
        pipe = client.pipeline()
        pipe.zrem(key, old)
        pipe.hdel(f"{key}:m", participant)
        pipe.hdel(f"{key}:i", participant)
        pipe.execute()


# --- writes (called by services inside their transaction) -----------------------------------
def record(attempt: Attempt) -> list[LeaderboardEntry]:
    """Make the attempt the person's entry on the overall and the daily board where it is their
    best. Returns the entries that changed (to mirror after commit)."""
    if attempt.excluded or not attempt.is_finished:
        return []
    changed = []
    for day in (None, attempt.day):
        entry = (
            LeaderboardEntry.objects.select_for_update()
            .filter(quiz_id=attempt.quiz_id, day=day, participant=attempt.participant)
            .first()
        )
        if not is_better(attempt, entry):
            continue
        if entry is None:
            entry = LeaderboardEntry(
                quiz_id=attempt.quiz_id, day=day, participant=attempt.participant
            )
        entry.attempt = attempt
        entry.display_name = attempt.masked_name
        entry.score = attempt.score
        entry.duration_ms = attempt.duration_ms
        entry.finished_at = attempt.finished_at
        entry.save()
        changed.append(entry)
    return changed


def recompute(
    quiz_id: int, participant: str, days: set[dt.date]
) -> list[tuple[dt.date | None, LeaderboardEntry | None]]:
    """After an exclusion: rebuild one person's entries from their remaining attempts."""
    results = []
    for day in [None, *sorted(days)]:
        LeaderboardEntry.objects.filter(quiz_id=quiz_id, day=day, participant=participant).delete()
        attempts = Attempt.objects.filter(
            quiz_id=quiz_id, participant=participant, status__in=Attempt.FINISHED, excluded=False
        )
        if day is not None:
            attempts = attempts.filter(day=day)
        best = attempts.order_by("-score", "duration_ms", "finished_at").first()
        entry = None
        if best is not None:
            entry = LeaderboardEntry.objects.create(
                quiz_id=quiz_id,
                day=day,
                participant=participant,
                attempt=best,
                display_name=best.masked_name,
                score=best.score,
                duration_ms=best.duration_ms,
                finished_at=best.finished_at,
            )
        results.append((day, entry))
    return results


def mirror_recomputed(quiz_id: int, participant: str, results) -> None:
    client = redis_client()
    if client is None:
        return
    for day, entry in results:
        _unmirror(client, quiz_id, day, participant)
        if entry is not None:
            pipe = client.pipeline()
            _mirror(entry, pipe)
            pipe.execute()


# --- reads ------------------------------------------------------------------------------------
def _db_order(qs):
    return qs.order_by("-score", "duration_ms", "finished_at", "participant")


def top(quiz: Quiz, *, day: dt.date | None = None, limit: int = 100) -> list[Row]:
    client = redis_client()
    if client is not None:
        key = _board_key(quiz.pk, day)
        members = client.zrange(key, 0, limit - 1)
        if members:
            participants = [m.split("|", 1)[1] for m in members]
            infos = client.hmget(f"{key}:i", participants)
            rows = []
            for rank, (participant, raw) in enumerate(
                zip(participants, infos, strict=True), start=1
            ):
                info = (
                    json.loads(raw)
                    if raw
                    else {"n": "", "s": "0", "d": 0, "f": "1970-01-01T00:00:00+00:00"}
                )
                rows.append(
                    Row(
                        rank,
                        participant,
                        info["n"],
                        Decimal(info["s"]),
                        info["d"],
                        _finished_of(info),
                    )
                )
            return rows
        if client.exists(f"{key}:built"):
            return []
        # An empty mirror may simply not be built yet (Redis restarted): answer from the database.
    entries = _db_order(LeaderboardEntry.objects.filter(quiz=quiz, day=day))[:limit]
    return [
        Row(rank, e.participant, e.display_name, e.score, e.duration_ms, e.finished_at)
        for rank, e in enumerate(entries, start=1)
    ]


# "my rank" in one round trip: member lookup, rank and display info together.
_RANK_SCRIPT = """
local member = redis.call('HGET', KEYS[2], ARGV[1])
if not member then return nil end
local rank = redis.call('ZRANK', KEYS[1], member)
if not rank then return nil end
return {rank, redis.call('HGET', KEYS[3], ARGV[1])}
"""


# The same, starting from an attempt's token: the participant is read from the token's "who" key
# (quiz.papers) inside Redis, so a reader's "my rank" is still a single round trip.
_RANK_BY_TOKEN_SCRIPT = """
local participant = redis.call('GET', KEYS[1])
if not participant or redis.call('EXISTS', KEYS[5]) == 0 then return {0} end
local member = redis.call('HGET', KEYS[3], participant)
if not member then return {1, participant} end
local rank = redis.call('ZRANK', KEYS[2], member)
if not rank then return {1, participant} end
return {2, participant, rank, redis.call('HGET', KEYS[4], participant)}
"""


def rank_by_token(quiz: Quiz, token: str, *, day: dt.date | None = None) -> tuple[bool, Row | None]:
    """(found, row) for the attempt's participant; found is False when Redis cannot tell (no
    Redis, or the paper is no longer cached) and the caller should ask the database."""
    client = redis_client()
    if client is None:
        return False, None
    from qualitymonth.quiz.papers import who_key

    key = _board_key(quiz.pk, day)
    found = fast_redis.run_script(
        _RANK_BY_TOKEN_SCRIPT, [who_key(token), key, f"{key}:m", f"{key}:i", f"{key}:built"], []
    )
    if int(found[0]) == 0:
        return False, None
    if int(found[0]) == 1:
        return True, None
    info = json.loads(found[3])
    row = Row(
        int(found[2]) + 1,
        found[1],
        info["n"],
        Decimal(info["s"]),
        info["d"],
        _finished_of(info),
    )
    return True, row


def rank_of(quiz: Quiz, participant: str, *, day: dt.date | None = None) -> Row | None:
    client = redis_client()
    if client is not None:
        key = _board_key(quiz.pk, day)
        pipe = client.pipeline()
        pipe.hget(f"{key}:m", participant)
        pipe.hget(f"{key}:i", participant)
        member, raw = pipe.execute()
        if member:
            position = client.zrank(key, member)
            if position is not None:
                info = json.loads(raw)
                return Row(
                    position + 1,
                    participant,
                    info["n"],
                    Decimal(info["s"]),
                    info["d"],
                    _finished_of(info),
                )
    entry = LeaderboardEntry.objects.filter(quiz=quiz, day=day, participant=participant).first()
    if entry is None:
        return None
    ahead = LeaderboardEntry.objects.filter(quiz=quiz, day=day).filter(
        Q(score__gt=entry.score)
        | Q(score=entry.score, duration_ms__lt=entry.duration_ms)
        | Q(score=entry.score, duration_ms=entry.duration_ms, finished_at__lt=entry.finished_at)
        | Q(
            score=entry.score,
            duration_ms=entry.duration_ms,
            finished_at=entry.finished_at,
            participant__lt=participant,
        )
    )
    return Row(
        ahead.count() + 1,
        participant,
        entry.display_name,
        entry.score,
        entry.duration_ms,
        entry.finished_at,
    )


def rebuild(quiz_id: int) -> int:
    """Rebuild the Redis mirror of every board of the quiz from the database."""
    client = redis_client()
    if client is None:
        return 0
    from qualitymonth.quiz import burst

    burst.settle()  # submissions still queued belong in the rebuilt boards
    prefix = _board_key(quiz_id, None).rsplit(":", 1)[0]
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
    entries = list(LeaderboardEntry.objects.filter(quiz_id=quiz_id))
    pipe = client.pipeline()
    for entry in entries:
        _mirror(entry, pipe)
    pipe.set(f"{_board_key(quiz_id, None)}:built", "1")
    pipe.execute()
    return len(entries)
