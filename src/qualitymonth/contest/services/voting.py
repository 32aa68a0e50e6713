"""Public votes: one per person per entry per day, a daily cap, limits per connection, and flags
for the office.

With Redis, a vote is decided in one Redis round trip and written to the database in batches
behind the request (services/vote_queue.py). Without Redis (a laptop, the SQLite default) the
same rules run against the cache and the vote is written at once."""

import contextlib
import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitymonth.contest import figures
from qualitymonth.contest.models import Contest, Entry, Vote
from qualitymonth.contest.services import vote_queue
from qualitymonth.core import redis as fast_redis
from qualitymonth.core.audit import audit_record
from qualitymonth.core.permissions import Action, policy

_META_TTL = 30.0
_meta: dict[int, tuple[float, "EntryMeta"]] = {}


@dataclass(frozen=True)
class EntryMeta:
    contest_id: int
    votes_per_day: int
    voting_opens: object
    voting_closes: object
    public: bool


class AccountNotConfirmed(Exception):
    """The vote script could not confirm the signed-in account from its copy of the check."""


@dataclass(frozen=True)
class VoteResult:
    vote_count: int
    flagged: str
    left_today: int


def fingerprint(value: str) -> str:
    """A keyed hash: enough to see that votes come from one place, useless to find the place."""
    return hashlib.blake2b(
        value.encode(), key=settings.SECRET_KEY.encode()[:64], digest_size=8
    ).hexdigest()


def reset_local_caches() -> None:
    """For tests: forget what this process remembers about entries."""
    _meta.clear()


def _entry_meta(entry_id: int) -> EntryMeta:
    """What a vote needs to know about its entry, remembered for half a minute in this process
    (a change of status or dates takes that long to reach the vote endpoint)."""
    hit = _meta.get(entry_id)
    if hit and hit[0] > time.monotonic():
        return hit[1]
    row = (
        Entry.objects.filter(pk=entry_id)
        .values_list(
            "contest_id",
            "contest__votes_per_day",
            "contest__voting_opens",
            "contest__voting_closes",
            "status",
        )
        .first()
    )
    if row is None:
        raise Entry.DoesNotExist
    meta = EntryMeta(*row[:4], public=row[4] == Entry.Status.APPROVED)
    _meta[entry_id] = (time.monotonic() + _META_TTL, meta)
    return meta


# Without Redis (vote_queue.py is the path with it) the same claim runs on Django's cache.
def _claim(seen: tuple[str, int], counters: list[tuple[str, int]]) -> list[int] | None:
    """None when this vote was already claimed; else the counters after adding one to each."""
    if not cache.add(seen[0], 1, timeout=seen[1]):
        return None
    values = []
    for key, window in counters:
        if cache.add(key, 1, timeout=window):
            values.append(1)
            continue
        try:
            values.append(cache.incr(key))
        except ValueError:  # expired in between
            cache.add(key, 1, timeout=window)
            values.append(1)
    return values


def _release(seen_key: str, cap_key: str | None) -> None:
    """Undo a claim that did not become a vote: the person may try again, the cap is given back."""
    if seen_key:
        cache.delete(seen_key)
    if cap_key:
        with contextlib.suppress(ValueError):
            cache.decr(cap_key)


def _insert_postgresql(entry_id: int, voter: str, day, ip_hash, device_hash, flagged, now):
    """Check the entry and the phase, store the vote and count it, in one statement; None when
    nothing was stored (duplicate, not votable)."""
    entry, contest, vote = Entry._meta.db_table, Contest._meta.db_table, Vote._meta.db_table
    sql = f"""
        WITH target AS (
            SELECT e.id FROM {entry} e JOIN {contest} c ON c.id = e.contest_id
            WHERE e.id = %(entry)s AND e.status = 'approved'
              AND c.voting_opens <= %(now)s AND %(now)s < c.voting_closes
        ), stored AS (
            INSERT INTO {vote} (entry_id, voter, day, ip_hash, device_hash, flagged, created_at)
            SELECT id, %(voter)s, %(day)s, %(ip)s, %(device)s, %(flagged)s, %(now)s FROM target
            ON CONFLICT ON CONSTRAINT vote_once_a_day DO NOTHING
            RETURNING entry_id
        )
        UPDATE {entry} SET vote_count = vote_count + 1
        WHERE id IN (SELECT entry_id FROM stored) RETURNING vote_count
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "entry": entry_id,
                "voter": voter,
                "day": day,
                "ip": ip_hash,
                "device": device_hash,
                "flagged": flagged,
                "now": now,
            },
        )
        row = cursor.fetchone()
        if row:  # inserted by SQL, past the model signals the dashboard's facts listen to
            figures.votes_changed(figures.campaign_days_of_votes([(entry_id, day)]))
    return row[0] if row else None


def _insert_portable(entry_id: int, voter: str, day, ip_hash, device_hash, flagged, now):
    try:
        with transaction.atomic():
            target = (
                Entry.objects.select_related("contest")
                .filter(pk=entry_id, status=Entry.Status.APPROVED)
                .first()
            )
            if target is None or not target.contest.voting_open(now):
                return None
            Vote.objects.create(
                entry_id=entry_id,
                voter=voter,
                day=day,
                ip_hash=ip_hash,
                device_hash=device_hash,
                flagged=flagged,
                created_at=now,
            )
            Entry.objects.filter(pk=entry_id).update(vote_count=F("vote_count") + 1)
            return Entry.objects.values_list("vote_count", flat=True).get(pk=entry_id)
    except IntegrityError:
        return None


def _duplicate() -> ValidationError:
    return ValidationError(
        _("You have already voted for this entry today. Come back tomorrow!"), code="duplicate"
    )


def _why_not(entry_id: int, now) -> ValidationError:
    entry = (
        Entry.objects.select_related("contest")
        .filter(pk=entry_id, status=Entry.Status.APPROVED)
        .first()
    )
    if entry is None:
        raise Entry.DoesNotExist
    contest = entry.contest
    if now < contest.voting_opens:
        return ValidationError(
            _("Voting opens on %(date)s.")
            % {"date": timezone.localtime(contest.voting_opens).strftime("%Y-%m-%d %H:%M")},
            code="closed",
        )
    if now >= contest.voting_closes:
        return ValidationError(_("Voting has closed."), code="closed")
    return _duplicate()


def _closed(meta: EntryMeta, now) -> ValidationError | None:
    if now < meta.voting_opens:
        return ValidationError(
            _("Voting opens on %(date)s.")
            % {"date": timezone.localtime(meta.voting_opens).strftime("%Y-%m-%d %H:%M")},
            code="closed",
        )
    if now >= meta.voting_closes:
        return ValidationError(_("Voting has closed."), code="closed")
    return None


def _rate_limited() -> ValidationError:
    return ValidationError(
        _("Too many votes from this connection. Please wait a minute."), code="rate_limited"
    )


def _cap_reached(per_day: int) -> ValidationError:
    return ValidationError(
        _("You have used all %(n)d votes for today. Come back tomorrow!") % {"n": per_day},
        code="daily_limit",
    )


def vote_cast(
    *,
    entry_id: int,
    voter: str,
    ip: str,
    device: str,
    account: tuple[str, str] | None = None,
    now=None,
) -> VoteResult:
    """Count one vote, or refuse it with a clear reason (codes: rate_limited, daily_limit,
    duplicate, closed; Entry.DoesNotExist for an entry that is not public). account, with Redis,
    is the (key, session hash) the vote script checks for a signed-in voter; when the check
    fails AccountNotConfirmed is raised and nothing is counted."""
    now = now or timezone.now()
    meta = _entry_meta(entry_id)
    if not meta.public:
        raise Entry.DoesNotExist
    closed = _closed(meta, now)
    if closed is not None:
        raise closed
    day = timezone.localdate(now)
    ip_hash, device_hash = fingerprint(ip), fingerprint(f"{ip}|{device}")
    keys = {
        "seen": f"vote:seen:{entry_id}:{voter}:{day:%Y%m%d}",
        "ip": f"vote:ip:{ip_hash}:{int(now.timestamp() // 60)}",
        "cap": f"vote:cap:{meta.contest_id}:{voter}:{day:%Y%m%d}",
        "ip10": f"vote:ip10:{ip_hash}:{int(now.timestamp() // 600)}",
        "dev10": f"vote:dev10:{device_hash}:{int(now.timestamp() // 600)}",
    }
    client = fast_redis.client()
    if client is not None:
        return _cast_queued(
            client, entry_id, voter, day, ip_hash, device_hash, now, meta, keys, account
        )
    return _cast_now(entry_id, voter, day, ip_hash, device_hash, now, meta, keys)


def _cast_queued(client, entry_id, voter, day, ip_hash, device_hash, now, meta, keys, account):
    limits = settings.QM_VOTE_LIMITS
    result = vote_queue.accept(
        client,
        keys=keys,
        args={
            "seen_ttl": 2 * 86400,
            "cap_ttl": 2 * 86400,
            "ip_limit": limits["ip_per_minute"],
            "per_day": meta.votes_per_day,
            "flag_ip": limits["flag_ip_per_10min"],
            "flag_device": limits["flag_device_per_10min"],
        },
        vote={
            "e": entry_id,
            "v": voter,
            "d": day.isoformat(),
            "i": ip_hash,
            "h": device_hash,
            "t": now.timestamp(),
        },
        account=account,
    )
    status = result[0]
    if status == -5:
        raise AccountNotConfirmed
    if status == -1:
        raise _duplicate()
    if status == -3:
        raise _rate_limited()
    if status == -4:
        raise _cap_reached(meta.votes_per_day)
    _status, used, total, flagged, due = result
    if due:
        vote_queue.flush(client)
    return VoteResult(
        vote_count=int(total),
        flagged=flagged.decode() if isinstance(flagged, bytes) else flagged,
        left_today=max(meta.votes_per_day - int(used), 0),
    )


def _cast_now(entry_id, voter, day, ip_hash, device_hash, now, meta, keys):
    limits = settings.QM_VOTE_LIMITS
    counts = _claim(
        (keys["seen"], 2 * 86400),
        [(keys["ip"], 120), (keys["cap"], 2 * 86400), (keys["ip10"], 1200), (keys["dev10"], 1200)],
    )
    if counts is None:
        raise _duplicate()
    per_ip, used, ip_ten, device_ten = counts
    if per_ip > limits["ip_per_minute"]:
        _release(keys["seen"], keys["cap"])
        raise _rate_limited()
    if used > meta.votes_per_day:
        _release(keys["seen"], keys["cap"])
        raise _cap_reached(meta.votes_per_day)
    flagged = ""
    if ip_ten > limits["flag_ip_per_10min"]:
        flagged = "ip"
    elif device_ten > limits["flag_device_per_10min"]:
        flagged = "device"
    insert = _insert_postgresql if connection.vendor == "postgresql" else _insert_portable
    try:
        count = insert(entry_id, voter, day, ip_hash, device_hash, flagged, now)
    except Exception:
        _release(keys["seen"], keys["cap"])
        raise
    if count is None:
        try:
            reason = _why_not(entry_id, now)
        except Entry.DoesNotExist:
            _release(keys["seen"], keys["cap"])
            raise
        # A repeat the cache did not know about stays claimed; anything else is released so
        # the person can vote once it is possible.
        _release(keys["seen"] if reason.code != "duplicate" else "", keys["cap"])
        raise reason
    return VoteResult(
        vote_count=count, flagged=flagged, left_today=max(meta.votes_per_day - used, 0)
    )


def votes_flush(*, wait: float = 0.0) -> int:
    """Write the votes waiting in Redis to the database (nothing to do without Redis)."""
    return vote_queue.flush(wait=wait)


FLAG_LABELS = {
    "ip": _("many votes from one connection within ten minutes"),
    "device": _("many votes from one browser within ten minutes"),
}


@transaction.atomic
def votes_void(*, contest: Contest, acting_user, vote_ids: list[int], reason: str) -> int:
    """Void flagged votes: they stop counting, stay on record, and the audit row lists them."""
    policy.require(acting_user, Action.CONTEST_MANAGE, contest)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why these votes are voided.")})
    vote_queue.flush(wait=5.0)
    votes = list(
        Vote.objects.select_for_update()
        .filter(entry__contest=contest, pk__in=vote_ids, voided_at__isnull=True)
        .exclude(flagged="")
    )
    if not votes:
        raise ValidationError(
            _("None of these votes is flagged and still counted."), code="invalid"
        )
    now = timezone.now()
    per_entry: dict[int, int] = {}
    for vote in votes:
        vote.voided_at = now
        per_entry[vote.entry_id] = per_entry.get(vote.entry_id, 0) + 1
    Vote.objects.bulk_update(votes, ["voided_at"])
    figures.votes_changed({(contest.campaign_id, vote.day) for vote in votes})
    for entry_id, n in per_entry.items():
        Entry.objects.filter(pk=entry_id).update(vote_count=F("vote_count") - n)
    transaction.on_commit(lambda: vote_queue.forget_votes(per_entry))
    audit_record(
        actor=acting_user,
        event_type="contest.votes_voided",
        target=contest,
        votes=[v.pk for v in votes],
        entries=per_entry,
        reason=reason.strip()[:500],
    )
    return len(votes)
