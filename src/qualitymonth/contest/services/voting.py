"""Public votes: one per person per entry per day, a daily cap, limits per connection, and flags
for the office. The hot path is one Redis round trip and, on PostgreSQL, one SQL statement."""

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

from qualitymonth.contest.models import Contest, Entry, Vote
from qualitymonth.core import redis as fast_redis
from qualitymonth.core.audit import audit_record
from qualitymonth.core.permissions import Action, policy

_META_TTL = 60.0
_meta: dict[int, tuple[float, int, int]] = {}


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


def _entry_meta(entry_id: int) -> tuple[int, int]:
    """(contest id, votes per day) for an entry, remembered for a minute in this process."""
    hit = _meta.get(entry_id)
    if hit and hit[0] > time.monotonic():
        return hit[1], hit[2]
    row = (
        Entry.objects.filter(pk=entry_id)
        .values_list("contest_id", "contest__votes_per_day")
        .first()
    )
    if row is None:
        raise Entry.DoesNotExist
    _meta[entry_id] = (time.monotonic() + _META_TTL, *row)
    return row


def _counters(keys: list[tuple[str, int]]) -> list[int]:
    """Add one to each (key, window) counter and return the new values: one round trip with
    Redis, the cache otherwise."""
    client = fast_redis.client()
    if client is None:
        values = []
        for key, window in keys:
            if cache.add(key, 1, timeout=window):
                values.append(1)
            else:
                try:
                    values.append(cache.incr(key))
                except ValueError:  # expired in between
                    cache.add(key, 1, timeout=window)
                    values.append(1)
        return values
    pipe = client.pipeline(transaction=False)
    for key, window in keys:
        name = fast_redis.key(key)
        pipe.incr(name)
        pipe.expire(name, window, nx=True)
    return pipe.execute()[0::2]


def _give_back(key: str) -> None:
    client = fast_redis.client()
    if client is None:
        with contextlib.suppress(ValueError):
            cache.decr(key)
    else:
        client.decr(fast_redis.key(key))


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
    with connection.cursor() as cursor:
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


def _why_not(entry_id: int, voter: str, day, now) -> ValidationError:
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
    return ValidationError(
        _("You have already voted for this entry today. Come back tomorrow!"), code="duplicate"
    )


def vote_cast(*, entry_id: int, voter: str, ip: str, device: str, now=None) -> VoteResult:
    """Count one vote, or refuse it with a clear reason (codes: rate_limited, daily_limit,
    duplicate, closed; Entry.DoesNotExist for an entry that is not public)."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    contest_id, per_day = _entry_meta(entry_id)
    limits = settings.QM_VOTE_LIMITS
    ip_hash, device_hash = fingerprint(ip), fingerprint(f"{ip}|{device}")
    cap_key = f"vote:cap:{contest_id}:{voter}:{day:%Y%m%d}"
    minute = int(now.timestamp() // 60)
    ten = int(now.timestamp() // 600)
    per_ip, used, ip_ten, device_ten = _counters(
        [
            (f"vote:ip:{ip_hash}:{minute}", 120),
            (cap_key, 2 * 86400),
            (f"vote:ip10:{ip_hash}:{ten}", 1200),
            (f"vote:dev10:{device_hash}:{ten}", 1200),
        ]
    )
    if per_ip > limits["ip_per_minute"]:
        _give_back(cap_key)
        raise ValidationError(
            _("Too many votes from this connection. Please wait a minute."), code="rate_limited"
        )
    if used > per_day:
        _give_back(cap_key)
        raise ValidationError(
            _("You have used all %(n)d votes for today. Come back tomorrow!") % {"n": per_day},
            code="daily_limit",
        )
    flagged = ""
    if ip_ten > limits["flag_ip_per_10min"]:
        flagged = "ip"
    elif device_ten > limits["flag_device_per_10min"]:
        flagged = "device"
    insert = _insert_postgresql if connection.vendor == "postgresql" else _insert_portable
    count = insert(entry_id, voter, day, ip_hash, device_hash, flagged, now)
    if count is None:
        _give_back(cap_key)
        raise _why_not(entry_id, voter, day, now)
    return VoteResult(vote_count=count, flagged=flagged, left_today=max(per_day - used, 0))


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
    for entry_id, n in per_entry.items():
        Entry.objects.filter(pk=entry_id).update(vote_count=F("vote_count") - n)
    audit_record(
        actor=acting_user,
        event_type="contest.votes_voided",
        target=contest,
        votes=[v.pk for v in votes],
        entries=per_entry,
        reason=reason.strip()[:500],
    )
    return len(votes)
