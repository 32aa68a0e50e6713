"""Answers with Redis in front of the database, for the evenings the whole city takes the quiz.

With REDIS_URL set, saving an answer is one Lua script: the rate limits, the paper (is the
question in it, is the choice valid), whether the attempt is closed, the server's deadline, and
then the answer is kept in the attempt's hash and queued. The queue is written to the database in
batches ("flushed"): at most a second apart while answers arrive, and always before anything
reads or scores answers from the database (a submit, the review, the office's statistics), so the
database is complete whenever it is asked. An attempt is closed in Redis before it is scored, so
an answer racing the submit is either in the queue before the close or refused after it.
"""

import datetime as dt
import secrets
import time

from django.db import connection, transaction

from qualitymonth.core import redis as fast_redis
from qualitymonth.quiz.models import AttemptQuestion

QUEUE = "quiz:answer-queue"
FINISH_QUEUE = "quiz:finish-queue"
LOCK = "quiz:answer-flush-lock"
FLUSH_BATCH = 500
FLUSH_EVERY = 1
HASH_TTL = 6 * 3600

# KEYS: 1 paper, 2 closed flag, 3 queue, 4 flush-due, 5.. rate-limit counters, then the
#       attempt's answer hash (what a submit scores)
# ARGV: 1 question id, 2 display choices "0,2", 3 now (ms), 4 flush batch, 5 flush interval,
#       6 number of counters, then (limit, window) per counter, then the hash's lifetime
# Returns {0, deadline ms, flush due} or an error code: -1 no paper cached, -3 rate limited,
# -6 question not in the paper, -8 no such option, -9 one option only, -4 finished, -5 time up.
_ANSWER = """
local counters = tonumber(ARGV[6])
for i = 1, counters do
  local key = KEYS[4 + i]
  local n = redis.call('INCR', key)
  if n == 1 then redis.call('EXPIRE', key, ARGV[6 + 2 * i]) end
  if n > tonumber(ARGV[5 + 2 * i]) then return {-3} end
end
local raw = redis.call('GET', KEYS[1])
if not raw then return {-1} end
local paper = cjson.decode(raw)
if not paper['dm'] then return {-1} end
local qid = tonumber(ARGV[1])
local kind, order = nil, nil
for _, item in ipairs(paper['i']) do
  if item[1] == qid then kind = item[2]; order = item[3] end
end
if not kind then return {-6} end
local chosen = {}
for c in string.gmatch(ARGV[2], '[^,]+') do
  local n = tonumber(c)
  if n >= #order then return {-8} end
  table.insert(chosen, order[n + 1])
end
if kind ~= 'multiple' and #chosen ~= 1 then return {-9} end
if redis.call('EXISTS', KEYS[2]) == 1 then return {-4} end
if tonumber(ARGV[3]) > tonumber(paper['dm']) then return {-5} end
table.sort(chosen)
local value = table.concat(chosen, ',')
redis.call('HSET', KEYS[5 + counters], ARGV[1], value)
redis.call('EXPIRE', KEYS[5 + counters], ARGV[7 + 2 * counters])
local queued = redis.call('RPUSH', KEYS[3],
  paper['a'] .. '|' .. ARGV[1] .. '|' .. value .. '|' .. ARGV[3])
local due = 0
if queued >= tonumber(ARGV[4]) or redis.call('SET', KEYS[4], '1', 'NX', 'EX', ARGV[5]) then
  due = 1
end
return {0, paper['dm'], due}
"""
_script = None


def closed_key(token: str) -> str:
    return fast_redis.key(f"quiz:closed:{token}")


def answer(
    client, *, token: str, paper_key: str, question_id: int, choices: list[int], now_ms: int, limits
):
    """Run the answer script; limits are (key, limit, window) counted in the same round trip."""
    global _script
    if _script is None:
        _script = client.register_script(_ANSWER)
    keys = [paper_key, closed_key(token), fast_redis.key(QUEUE), fast_redis.key("quiz:flush-due")]
    keys += [fast_redis.key(f"rl:{key}") for key, _limit, _window in limits]
    keys.append(answers_key(token))
    args = [question_id, ",".join(str(c) for c in choices), now_ms, FLUSH_BATCH, FLUSH_EVERY]
    args.append(len(limits))
    for _key, limit, window in limits:
        args += [limit, window]
    args.append(HASH_TTL)
    return _script(keys=keys, args=args)


def answers_key(token: str) -> str:
    return fast_redis.key(f"quiz:answers:{token}")


def close(token: str) -> None:
    """No answer is accepted for this attempt any more (set before it is scored)."""
    client = fast_redis.client()
    if client is not None:
        client.set(closed_key(token), "1", ex=HASH_TTL)


class _Lock:
    def __init__(self, client, wait: float):
        self.client, self.wait, self.token, self.held = client, wait, secrets.token_hex(8), False

    def __enter__(self) -> bool:
        deadline = time.monotonic() + self.wait
        while not self.client.set(fast_redis.key(LOCK), self.token, nx=True, ex=60):
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.01)
        self.held = True
        return True

    def __exit__(self, *exc) -> None:
        if self.held and self.client.get(fast_redis.key(LOCK)) == self.token:
            self.client.delete(fast_redis.key(LOCK))


def flush(*, wait: float = 10.0, limit: int = 5000) -> int:
    """Write queued answers, then queued submissions, to the database; returns how many items.
    With wait, blocks until a flush running elsewhere is done. Items stay in their queue until
    their transaction has committed, so an empty queue means nothing is pending anywhere."""
    client = fast_redis.client()
    if client is None:
        return 0
    answers, finished = fast_redis.key(QUEUE), fast_redis.key(FINISH_QUEUE)
    if not wait:
        pipe = client.pipeline(transaction=False)
        pipe.llen(answers)
        pipe.llen(finished)
        if not any(pipe.execute()):
            return 0
    written = 0
    with _Lock(client, wait) as held:
        if not held:
            return 0
        for queue, store in ((answers, _store), (finished, _store_finished)):
            while True:
                raw = client.lrange(queue, 0, limit - 1)
                if not raw:
                    break
                written += store(raw)
                client.ltrim(queue, len(raw), -1)
                if len(raw) < limit:
                    break
    return written


def settle() -> None:
    """Make the database complete before it is read: one round trip when nothing is queued."""
    client = fast_redis.client()
    if client is None:
        return
    pipe = client.pipeline(transaction=False)
    pipe.llen(fast_redis.key(QUEUE))
    pipe.llen(fast_redis.key(FINISH_QUEUE))
    if any(pipe.execute()):
        flush(wait=10.0)


def _store(raw: list[str]) -> int:
    rows = [item.split("|") for item in raw]
    # Later answers to the same question replace earlier ones: keep the last of each in the batch.
    last: dict[tuple[int, int], tuple[list[int], dt.datetime]] = {}
    for attempt_id, question_id, value, at_ms in rows:
        chosen = [int(c) for c in value.split(",") if c]
        last[(int(attempt_id), int(question_id))] = (
            chosen,
            dt.datetime.fromtimestamp(int(at_ms) / 1000, tz=dt.UTC),
        )
    if connection.vendor == "postgresql":
        return _store_postgresql(last)
    with transaction.atomic():
        for (attempt_id, question_id), (chosen, at) in last.items():
            AttemptQuestion.objects.filter(attempt_id=attempt_id, question_id=question_id).update(
                chosen=chosen, answered_at=at
            )
    return len(last)


def _store_postgresql(last) -> int:
    import json

    table = AttemptQuestion._meta.db_table
    sql = f"""
        UPDATE {table} AS item SET chosen = v.chosen::jsonb, answered_at = v.at
        FROM unnest(%s::bigint[], %s::bigint[], %s::text[], %s::timestamptz[])
             AS v(attempt_id, question_id, chosen, at)
        WHERE item.attempt_id = v.attempt_id AND item.question_id = v.question_id
          AND (item.answered_at IS NULL OR item.answered_at <= v.at)
    """
    keys = list(last)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                [a for a, _q in keys],
                [q for _a, q in keys],
                [json.dumps(last[k][0]) for k in keys],
                [last[k][1] for k in keys],
            ],
        )
        return cursor.rowcount


# --- submit ------------------------------------------------------------------------------------
# Closing the attempt in Redis is the moment of submission: answers are refused from then on.
# KEYS: 1 paper, 2 closed flag, 3 answer hash, 4.. rate-limit counters
# ARGV: 1 closed-flag lifetime, 2 number of counters, then (limit, window) per counter
# Returns {-3} rate limited, {-1} paper unknown, {-4} already closed, or {0, paper, answers}.
_SUBMIT = """
local counters = tonumber(ARGV[2])
for i = 1, counters do
  local key = KEYS[3 + i]
  local n = redis.call('INCR', key)
  if n == 1 then redis.call('EXPIRE', key, ARGV[2 + 2 * i]) end
  if n > tonumber(ARGV[1 + 2 * i]) then return {-3} end
end
local raw = redis.call('GET', KEYS[1])
if not raw or not cjson.decode(raw)['s'] then return {-1} end
if not redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[1]) then return {-4} end
return {0, raw, redis.call('HGETALL', KEYS[3])}
"""

# The leaderboard mirror: the attempt replaces the person's entry on a board where it is better
# (lower composite; equal composite, earlier member), then both ranks are read.
# With the submission queued for the database in the same step.
# KEYS: 1 overall board, 2 day board, 3 finish queue, 4 flush-due
# ARGV: 1 participant, 2 composite, 3 member, 4 display info (JSON), 5 the submission (JSON),
#       6 flush batch, 7 flush interval
# Returns {-2} when the mirror is not built, else {0, rank, info, day rank, day info, due}.
_BOARD = """
if redis.call('EXISTS', KEYS[1] .. ':built') == 0 then return {-2} end
local queued = redis.call('RPUSH', KEYS[3], ARGV[5])
local out = {0}
for b = 1, 2 do
  local key = KEYS[b]
  local old = redis.call('HGET', key .. ':m', ARGV[1])
  local better = true
  if old then
    local old_score = tonumber(redis.call('ZSCORE', key, old))
    local new_score = tonumber(ARGV[2])
    if old_score and (old_score < new_score or (old_score == new_score and old <= ARGV[3])) then
      better = false
    end
  end
  if better then
    if old then redis.call('ZREM', key, old) end
    redis.call('ZADD', key, ARGV[2], ARGV[3])
    redis.call('HSET', key .. ':m', ARGV[1], ARGV[3])
    redis.call('HSET', key .. ':i', ARGV[1], ARGV[4])
    redis.call('SET', key .. ':built', '1')
  end
  local member = redis.call('HGET', key .. ':m', ARGV[1])
  out[#out + 1] = redis.call('ZRANK', key, member)
  out[#out + 1] = redis.call('HGET', key .. ':i', ARGV[1])
end
local due = 0
if queued >= tonumber(ARGV[6]) or redis.call('SET', KEYS[4], '1', 'NX', 'EX', ARGV[7]) then
  due = 1
end
out[#out + 1] = due
return out
"""
_scripts: dict = {}


def _run(client, name: str, source: str, keys: list, args: list):
    script = _scripts.get(name)
    if script is None:
        script = _scripts[name] = client.register_script(source)
    return script(keys=keys, args=args)


def claim_submit(client, *, token: str, paper_key: str, limits) -> tuple[int, dict, dict]:
    keys = [paper_key, closed_key(token), answers_key(token)]
    keys += [fast_redis.key(f"rl:{key}") for key, _limit, _window in limits]
    args = [HASH_TTL, len(limits)]
    for _key, limit, window in limits:
        args += [limit, window]
    result = _run(client, "submit", _SUBMIT, keys, args)
    code = int(result[0])
    if code != 0:
        return code, {}, {}
    import json

    flat = result[2]
    return 0, json.loads(result[1]), dict(zip(flat[0::2], flat[1::2], strict=True))


def mirror_and_rank(client, *, board: str, day_board: str, participant: str, composite: int,
                    member: str, info: str, record: str):  # fmt: skip
    keys = [board, day_board, fast_redis.key(FINISH_QUEUE), fast_redis.key("quiz:flush-due")]
    args = [participant, composite, member, info, record, FLUSH_BATCH, FLUSH_EVERY]
    return _run(client, "board", _BOARD, keys, args)


def _store_finished(raw: list[str]) -> int:
    """Submissions made in Redis, written in one transaction per batch: the attempts (only those
    still open: one finished meanwhile by the database path keeps that result), their correct
    items, the leaderboard rows and the audit rows."""
    import json
    from decimal import Decimal

    from qualitymonth.core.models import AuditEvent
    from qualitymonth.quiz import leaderboard
    from qualitymonth.quiz.models import Attempt

    records = {}
    for item in raw:
        record = json.loads(item)
        records[record["a"]] = record  # a submission is queued once; keep the last if not
    ids = list(records)
    at = {a: dt.datetime.fromtimestamp(records[a]["f"] / 1000, tz=dt.UTC) for a in ids}
    table = Attempt._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {table} AS a SET status = v.status, finished_at = v.finished_at,
                duration_ms = v.duration_ms, score = v.score, correct_count = v.correct_count,
                flags = CASE WHEN v.too_fast THEN a.flags || '["too_fast"]'::jsonb
                        ELSE a.flags END
            FROM unnest(%s::bigint[], %s::text[], %s::timestamptz[], %s::int[], %s::numeric[],
                        %s::int[], %s::boolean[])
                 AS v(id, status, finished_at, duration_ms, score, correct_count, too_fast)
            WHERE a.id = v.id AND a.status = 'open'
            RETURNING a.id, a.excluded, a.flags
            """,
            [
                ids,
                [records[a]["st"] for a in ids],
                [at[a] for a in ids],
                [records[a]["d"] for a in ids],
                [Decimal(records[a]["sc"]) for a in ids],
                [len(records[a]["c"]) for a in ids],
                [records[a]["tf"] for a in ids],
            ],
        )
        applied = {row[0]: (row[1], row[2]) for row in cursor.fetchall()}
        if not applied:
            return 0
        pairs = [(a, q) for a in applied for q in records[a]["c"]]
        if pairs:
            cursor.execute(
                f"""
                UPDATE {AttemptQuestion._meta.db_table} AS item SET is_correct = true
                FROM unnest(%s::bigint[], %s::bigint[]) AS u(attempt_id, question_id)
                WHERE item.attempt_id = u.attempt_id AND item.question_id = u.question_id
                """,
                [[a for a, _q in pairs], [q for _a, q in pairs]],
            )
        leaderboard.upsert_many(
            [
                {
                    "attempt_id": a,
                    "quiz_id": records[a]["q"],
                    "day": dt.date.fromisoformat(records[a]["dy"]),
                    "participant": records[a]["p"],
                    "display_name": records[a]["n"],
                    "score": Decimal(records[a]["sc"]),
                    "duration_ms": records[a]["d"],
                    "finished_at": at[a],
                }
                for a, (excluded, _flags) in applied.items()
                if not excluded
            ]
        )
        AuditEvent.objects.bulk_create(
            AuditEvent(
                actor_id=records[a]["u"],
                actor_label=records[a]["n"],
                event_type=f"quiz.{records[a]['st']}",
                object_type="quiz.attempt",
                object_id=str(a),
                object_repr=f"{records[a]['r']} · {records[a]['sc']}"[:200],
                detail={
                    "score": records[a]["sc"],
                    "duration_ms": records[a]["d"],
                    "flags": flags,
                },
            )
            for a, (_excluded, flags) in applied.items()
        )
    return len(applied)
