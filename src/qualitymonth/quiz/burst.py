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
import json

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


def closed_key(token: str) -> str:
    return fast_redis.key(f"quiz:closed:{token}")


def answer(
    *, token: str, paper_key: str, question_id: int, choices: list[int], now_ms: int, limits
):
    """Run the answer script; limits are (key, limit, window) counted in the same round trip."""
    keys = [paper_key, closed_key(token), fast_redis.key(QUEUE), fast_redis.key("quiz:flush-due")]
    keys += [fast_redis.key(f"rl:{key}") for key, _limit, _window in limits]
    keys.append(answers_key(token))
    args = [question_id, ",".join(str(c) for c in choices), now_ms, FLUSH_BATCH, FLUSH_EVERY]
    args.append(len(limits))
    for _key, limit, window in limits:
        args += [limit, window]
    args.append(HASH_TTL)
    return fast_redis.run_script(_ANSWER, keys, args)


def answers_key(token: str) -> str:
    return fast_redis.key(f"quiz:answers:{token}")


def close(token: str) -> None:
    """No answer is accepted for this attempt any more (set before it is scored)."""
    client = fast_redis.client()
    if client is not None:
        client.set(closed_key(token), "1", ex=HASH_TTL)


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
    with fast_redis.lock(LOCK, wait) as held:
        if not held:
            return 0
        for name, store in ((QUEUE, _store), (FINISH_QUEUE, _store_finished)):
            queue = fast_redis.key(name)
            while True:
                raw = client.lrange(queue, 0, limit - 1)
                if not raw:
                    break
                written += store(raw)
                fast_redis.forget_after_commit(name, raw)
                if len(raw) < limit or connection.in_atomic_block:
                    break  # inside a transaction the items leave the queue only at its commit
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


def answer_queued_at(item: str) -> float:
    """When a queued answer ("attempt|question|choices|at_ms") was given, in seconds."""
    return int(item.rsplit("|", 1)[1]) / 1000


def submission_queued_at(item: str) -> float:
    """When a queued submission (JSON; "f" is the finish in ms) was made, in seconds."""
    return json.loads(item)["f"] / 1000


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
# One script: close the attempt (answers are refused from then on), score it from the answers
# kept in Redis and the answer keys, update the person's leaderboard entries where this attempt
# is better, read both ranks, and queue the submission for the database.
# KEYS: 1 paper, 2 closed flag, 3 answer hash, 4 answer keys, 5 finish queue, 6 flush-due,
#       7.. rate-limit counters, then the time Redis last came back after an outage
# ARGV: 1 closed-flag lifetime, 2 now (ms), 3 board key prefix, 4 flush batch, 5 flush interval,
#       6 seconds per answer below which an attempt is too fast, 7 number of counters,
#       then (limit, window) per counter
# Returns {-3} rate limited, {-1} paper unknown, {-7, question ids...} answer keys missing,
# {-2, quiz} mirror not built, {-4} already closed, {-10} started before Redis last came back
# (answers saved by the database path during the outage are not in Redis), or
# {0, status, score (tenths), correct, duration, rank, info, day rank, day info, max, due,
# participant}.
_SUBMIT = """
local counters = tonumber(ARGV[7])
for i = 1, counters do
  local key = KEYS[6 + i]
  local n = redis.call('INCR', key)
  if n == 1 then redis.call('EXPIRE', key, ARGV[7 + 2 * i]) end
  if n > tonumber(ARGV[6 + 2 * i]) then return {-3} end
end
local raw = redis.call('GET', KEYS[1])
if not raw then return {-1} end
local paper = cjson.decode(raw)
if not paper['pp'] then return {-1} end
local outage = redis.call('GET', KEYS[7 + counters])
if outage and tonumber(paper['s'] or 0) <= tonumber(outage) then return {-10} end
local qids = {}
for _, item in ipairs(paper['i']) do qids[#qids + 1] = tostring(item[1]) end
local truths = redis.call('HMGET', KEYS[4], unpack(qids))
local missing = {-7}
for i, truth in ipairs(truths) do
  if not truth then missing[#missing + 1] = qids[i] end
end
if #missing > 1 then return missing end
local prefix = ARGV[3] .. tostring(paper['q']) .. ':'
local boards = {prefix .. 'all', prefix .. paper['dy']}
if redis.call('EXISTS', boards[1] .. ':built') == 0 then return {-2, paper['q']} end
if not redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[1]) then return {-4} end

local answers = {}
local flat = redis.call('HGETALL', KEYS[3])
for i = 1, #flat, 2 do answers[flat[i]] = flat[i + 1] end
local points, partial = tonumber(paper['pp']), paper['pc']
local tenths, correct, answered = 0, {}, 0
for i, qid in ipairs(qids) do
  local chosen = answers[qid]
  if chosen and chosen ~= '' then
    answered = answered + 1
    local kind, truth = string.match(truths[i], '^([^|]*)|(.*)$')
    local right, nright = {}, 0
    for c in string.gmatch(truth, '[^,]+') do right[c] = true; nright = nright + 1 end
    local npicked, wrong = 0, false
    for c in string.gmatch(chosen, '[^,]+') do
      npicked = npicked + 1
      if not right[c] then wrong = true end
    end
    if not wrong and npicked == nright then
      tenths = tenths + points * 10
      correct[#correct + 1] = tonumber(qid)
    elseif kind == 'multiple' and partial and not wrong and npicked < nright then
      tenths = tenths + math.floor(points * 10 * npicked / nright + 0.5)
    end
  end
end
local now, deadline = tonumber(ARGV[2]), tonumber(paper['dm'])
local status, finished = 'submitted', now
if now > deadline then status, finished = 'expired', deadline end
local duration = math.max(finished - tonumber(paper['s']), 0)
local too_fast = answered >= 5 and duration < tonumber(ARGV[6]) * 1000 * answered
local composite = -tenths * 16777216 + math.min(duration, 16777215)
local member = string.format('%014d|%s', finished, paper['p'])
local score = string.format('%d.%d', math.floor(tenths / 10), tenths % 10)
local info = cjson.encode({n = paper['n'], s = score, d = duration, fm = finished})
local out = {0, status, tenths, #correct, duration}
for b = 1, 2 do
  local key = boards[b]
  local old = redis.call('HGET', key .. ':m', paper['p'])
  local better = true
  if old then
    local old_score = tonumber(redis.call('ZSCORE', key, old))
    if old_score and (old_score < composite or (old_score == composite and old <= member)) then
      better = false
    end
  end
  if better then
    if old then redis.call('ZREM', key, old) end
    redis.call('ZADD', key, composite, member)
    redis.call('HSET', key .. ':m', paper['p'], member)
    redis.call('HSET', key .. ':i', paper['p'], info)
    redis.call('SET', key .. ':built', '1')
  end
  out[#out + 1] = redis.call('ZRANK', key, redis.call('HGET', key .. ':m', paper['p']))
  out[#out + 1] = redis.call('HGET', key .. ':i', paper['p'])
end
out[#out + 1] = paper['mx']
local queued = redis.call('RPUSH', KEYS[5], cjson.encode({
  a = paper['a'], q = paper['q'], dy = paper['dy'], p = paper['p'], u = paper['u'],
  n = paper['n'], r = paper['r'], st = status, f = finished, d = duration, sc = score,
  c = correct, tf = too_fast}))
local due = 0
if queued >= tonumber(ARGV[4]) or redis.call('SET', KEYS[6], '1', 'NX', 'EX', ARGV[5]) then
  due = 1
end
out[#out + 1] = due
out[#out + 1] = paper['p']
return out
"""
ANSWER_KEYS = "quiz:answer-keys"


def submit(*, token: str, paper_key: str, now_ms: int, limits, too_fast_seconds: int):
    keys = [
        paper_key,
        closed_key(token),
        answers_key(token),
        fast_redis.key(ANSWER_KEYS),
        fast_redis.key(FINISH_QUEUE),
        fast_redis.key("quiz:flush-due"),
    ]
    keys += [fast_redis.key(f"rl:{key}") for key, _limit, _window in limits]
    keys.append(fast_redis.key(fast_redis.OUTAGE_ENDED))
    args = [HASH_TTL, now_ms, fast_redis.key("lb:"), FLUSH_BATCH, FLUSH_EVERY, too_fast_seconds]
    args.append(len(limits))
    for _key, limit, window in limits:
        args += [limit, window]
    return fast_redis.run_script(_SUBMIT, keys, args)


def remember_answer_keys(client, question_ids: list[int]) -> None:
    """What the submit script scores against: "kind|correct options" per question."""
    from qualitymonth.quiz.models import Question

    values = {
        str(pk): f"{kind}|{','.join(str(a) for a in answer)}"
        for pk, kind, answer in Question.objects.filter(pk__in=question_ids).values_list(
            "pk", "kind", "answer"
        )
    }
    if values:
        client.hset(fast_redis.key(ANSWER_KEYS), mapping=values)


def forget_answer_keys() -> None:
    client = fast_redis.client()
    if client is not None:
        client.delete(fast_redis.key(ANSWER_KEYS))


def _store_finished(raw: list[str]) -> int:
    """Submissions made in Redis, written in one transaction per batch: the attempts (only those
    still open: one finished meanwhile by the database path keeps that result), their correct
    items, the leaderboard rows and the audit rows."""
    import json
    from decimal import Decimal

    from qualitymonth.core.audit import audit_bulk
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
                [len(records[a]["c"] or []) for a in ids],
                [records[a]["tf"] for a in ids],
            ],
        )
        applied = {row[0]: (row[1], row[2]) for row in cursor.fetchall()}
        if not applied:
            return 0
        # (An empty list comes back from the script's JSON as {}.)
        pairs = [(a, q) for a in applied for q in list(records[a]["c"] or [])]
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
        audit_bulk(
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
        _mark_figures_changed({(records[a]["q"], records[a]["dy"]) for a in applied})
    return len(applied)


def _mark_figures_changed(quiz_days: set[tuple[int, str]]) -> None:
    """The attempts above were finished by SQL, past the model signals the dashboard's facts
    listen to: say which (campaign, day) partitions changed, in the same transaction."""
    from qualitymonth.core.figures import mark_changed
    from qualitymonth.quiz.figures import SOURCES
    from qualitymonth.quiz.models import Quiz

    campaigns = dict(
        Quiz.objects.filter(pk__in={q for q, _day in quiz_days}).values_list("pk", "campaign_id")
    )
    pairs = {(campaigns.get(q), dt.date.fromisoformat(day)) for q, day in quiz_days}
    for source in SOURCES:
        mark_changed(source, pairs)
