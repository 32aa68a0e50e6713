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
LOCK = "quiz:answer-flush-lock"
FLUSH_BATCH = 500
FLUSH_EVERY = 1
HASH_TTL = 6 * 3600

# KEYS: 1 paper, 2 closed flag, 3 queue, 4 flush-due, 5.. rate-limit counters
# ARGV: 1 question id, 2 display choices "0,2", 3 now (ms), 4 flush batch, 5 flush interval,
#       6 number of counters, then (limit, window) per counter
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
    args = [question_id, ",".join(str(c) for c in choices), now_ms, FLUSH_BATCH, FLUSH_EVERY]
    args.append(len(limits))
    for _key, limit, window in limits:
        args += [limit, window]
    return _script(keys=keys, args=args)


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
    """Write queued answers to the database; returns how many. With wait, blocks until a flush
    running elsewhere is done, so that on return every answer accepted before the call is in
    the database."""
    client = fast_redis.client()
    if client is None:
        return 0
    queue = fast_redis.key(QUEUE)
    if not wait and not client.llen(queue):
        return 0
    written = 0
    with _Lock(client, wait) as held:
        if not held:
            return 0
        while True:
            raw = client.lrange(queue, 0, limit - 1)
            if not raw:
                break
            written += _store([item.split("|") for item in raw])
            client.ltrim(queue, len(raw), -1)
            if len(raw) < limit:
                break
    return written


def _store(rows: list[list[str]]) -> int:
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
