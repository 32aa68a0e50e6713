"""Judging: balanced assignment, rubric scores, the normalised ranking, and the awards."""

import hashlib
from collections import Counter, defaultdict
from statistics import fmean, pstdev

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitymonth.contest.models import AWARD_ORDER, Assignment, AwardLevel, Contest, Entry, Judge
from qualitymonth.contest.services import vote_queue
from qualitymonth.core.audit import audit_record
from qualitymonth.core.models import Membership
from qualitymonth.core.permissions import Action, policy


def _judge_units(judges: list[Judge]) -> dict[int, set[int]]:
    """Every unit a judge belongs to counts as their own, not only the one named on the panel."""
    units: dict[int, set[int]] = {j.pk: {j.unit_id} - {None} for j in judges}
    by_user = defaultdict(set)
    for user_id, unit_id in Membership.objects.filter(
        user_id__in=[j.user_id for j in judges]
    ).values_list("user_id", "unit_id"):
        by_user[user_id].add(unit_id)
    for judge in judges:
        units[judge.pk] |= by_user[judge.user_id]
    return units


def _tie_break(entry_id: int, judge_id: int) -> str:
    # Stable but not alphabetical: the same judges do not always win the ties.
    return hashlib.blake2s(f"{entry_id}:{judge_id}".encode(), digest_size=4).hexdigest()


@transaction.atomic
def judges_assign(*, contest: Contest, acting_user) -> int:
    """Give every approved entry `judges_per_entry` judges, the least-loaded first, never a judge
    from the entry's own unit nor its author. Returns how many assignments were made."""
    policy.require(acting_user, Action.CONTEST_MANAGE, contest)
    contest = Contest.objects.select_for_update().get(pk=contest.pk)
    judges = list(contest.judges.annotate(load=Count("assignments")))
    if not judges:
        raise ValidationError(_("Add judges to the contest first."), code="no_judges")
    units = _judge_units(judges)
    load = Counter({j.pk: j.load for j in judges})
    taken = set(
        Assignment.objects.filter(entry__contest=contest).values_list("entry_id", "judge_id")
    )
    entries = (
        contest.entries.filter(status=Entry.Status.APPROVED)
        .annotate(n=Count("assignments"))
        .filter(n__lt=contest.judges_per_entry)
        .order_by("n", "id")
    )
    new = []
    short = []
    for entry in entries:
        eligible = [
            j
            for j in judges
            if (entry.pk, j.pk) not in taken
            and j.user_id != entry.author_id
            and (entry.unit_id is None or entry.unit_id not in units[j.pk])
        ]
        eligible.sort(key=lambda j: (load[j.pk], _tie_break(entry.pk, j.pk)))
        chosen = eligible[: contest.judges_per_entry - entry.n]
        if len(chosen) < contest.judges_per_entry - entry.n:
            short.append(entry.pk)
        for judge in chosen:
            load[judge.pk] += 1
            new.append(Assignment(entry=entry, judge=judge))
    Assignment.objects.bulk_create(new)
    audit_record(
        actor=acting_user,
        event_type="contest.judges_assigned",
        target=contest,
        assignments=len(new),
        entries_short_of_judges=short,
    )
    return len(new)


def weighted_total(criteria, scores: dict) -> float:
    """The rubric on a 0–100 scale: each criterion's share of its maximum, weighted."""
    weight_sum = sum(c.weight for c in criteria)
    return round(
        sum(c.weight * float(scores[str(c.pk)]) / c.max_score for c in criteria) / weight_sum * 100,
        3,
    )


@transaction.atomic
def assignment_score(*, assignment: Assignment, acting_user, scores: dict, comment: str = ""):
    assignment = (
        Assignment.objects.select_for_update()
        .select_related("entry__contest__campaign__region", "judge")
        .get(pk=assignment.pk)
    )
    policy.require(acting_user, Action.CONTEST_JUDGE, assignment)
    contest = assignment.entry.contest
    if not contest.judging_open():
        raise ValidationError(_("Judging is not open."), code="closed")
    if assignment.entry.status != Entry.Status.APPROVED:
        raise ValidationError(
            _("This entry is no longer in the contest."), code="invalid_transition"
        )
    criteria = list(contest.criteria.all())
    clean, errors = {}, {}
    for criterion in criteria:
        raw = scores.get(str(criterion.pk), scores.get(criterion.pk))
        try:
            value = float(raw)
        except (TypeError, ValueError):
            errors[f"c{criterion.pk}"] = _("Give a score for %(name)s.") % {"name": criterion.name}
            continue
        if not 0 <= value <= criterion.max_score:
            errors[f"c{criterion.pk}"] = _("%(name)s is scored from 0 to %(max)d.") % {
                "name": criterion.name,
                "max": criterion.max_score,
            }
            continue
        clean[str(criterion.pk)] = value
    if errors:
        raise ValidationError(errors)
    before = assignment.total
    assignment.scores = clean
    assignment.comment = comment.strip()[:2000]
    assignment.total = weighted_total(criteria, clean)
    assignment.scored_at = timezone.now()
    assignment.save(update_fields=["scores", "comment", "total", "scored_at"])
    audit_record(
        actor=acting_user,
        event_type="contest.entry_scored",
        target=assignment.entry,
        before=before,
        after=assignment.total,
    )
    return assignment


def normalise_judges(totals: dict[int, dict[int, float]]) -> dict[int, float]:
    """{judge: {entry: total}} → {entry: mean z-score}. Each judge's totals are turned into
    z-scores against that judge's own mean and spread, so a lenient judge and a strict one weigh
    the same; a judge with one entry or no spread gives 0 (no information about rank)."""
    zs: dict[int, list[float]] = defaultdict(list)
    for scores in totals.values():
        values = list(scores.values())
        mean = fmean(values)
        spread = pstdev(values) if len(values) > 1 else 0.0
        for entry_id, value in scores.items():
            zs[entry_id].append((value - mean) / spread if spread else 0.0)
    return {entry_id: fmean(values) for entry_id, values in zs.items()}


def _scale(values: dict[int, float]) -> dict[int, float]:
    """Min–max onto 0–100 (all equal: 100)."""
    if not values:
        return {}
    low, high = min(values.values()), max(values.values())
    return {k: 100.0 if high == low else (v - low) / (high - low) * 100 for k, v in values.items()}


def final_scores(
    judge_z: dict[int, float], votes: dict[int, int], vote_weight: float
) -> dict[int, tuple[float, float]]:
    """Within one category: {entry: (judge score 0–100, final score 0–100)}."""
    judge = _scale(judge_z)
    top = max(votes.values(), default=0)
    result = {}
    for entry_id, score in judge.items():
        vote_score = 100.0 * votes.get(entry_id, 0) / top if top else 0.0
        result[entry_id] = (
            round(score, 3),
            round((1 - vote_weight) * score + vote_weight * vote_score, 3),
        )
    return result


def _award_counts(contest: Contest) -> dict[int | None, dict[str, int]]:
    counts: dict[int | None, dict[str, int]] = defaultdict(dict)
    for rule in contest.award_rules.all():
        counts[rule.category_id][rule.level] = rule.count
    return counts


@transaction.atomic
def contest_rank(*, contest: Contest, acting_user) -> dict[int, list[Entry]]:
    """Score and rank every approved entry per category and propose awards from the ranking."""
    policy.require(acting_user, Action.CONTEST_MANAGE, contest)
    vote_queue.flush(wait=5.0)  # the public vote counts as it stands, queued votes included
    contest = Contest.objects.select_for_update().get(pk=contest.pk)
    if contest.results_confirmed_at:
        raise ValidationError(_("The awards are confirmed; the ranking is final."), code="finished")
    entries = list(contest.entries.filter(status=Entry.Status.APPROVED).select_related("category"))
    totals: dict[int, dict[int, float]] = defaultdict(dict)
    for judge_id, entry_id, total in Assignment.objects.filter(
        entry__contest=contest, entry__status=Entry.Status.APPROVED, total__isnull=False
    ).values_list("judge_id", "entry_id", "total"):
        totals[judge_id][entry_id] = total
    judge_z = normalise_judges(totals)
    counts = _award_counts(contest)
    ranking: dict[int, list[Entry]] = defaultdict(list)
    by_category = defaultdict(list)
    for entry in entries:
        by_category[entry.category_id].append(entry)
    for category_id, group in by_category.items():
        scored = final_scores(
            {e.pk: judge_z[e.pk] for e in group if e.pk in judge_z},
            {e.pk: e.vote_count for e in group},
            float(contest.vote_weight),
        )
        for entry in group:
            entry.judge_score, entry.final_score = scored.get(entry.pk, (None, None))
            entry.rank, entry.award = None, ""
        ranked = sorted(
            (e for e in group if e.final_score is not None),
            key=lambda e: (-e.final_score, -e.judge_score, e.created_at, e.pk),
        )
        prizes = [
            level
            for level in AWARD_ORDER
            for _n in range(counts[category_id].get(level, counts[None].get(level, 0)))
        ]
        for position, entry in enumerate(ranked, start=1):
            entry.rank = position
            entry.award = prizes[position - 1] if position <= len(prizes) else ""
        ranking[category_id] = ranked
    Entry.objects.bulk_update(entries, ["judge_score", "final_score", "rank", "award"])
    audit_record(
        actor=acting_user,
        event_type="contest.ranked",
        target=contest,
        scored=sum(len(r) for r in ranking.values()),
        unscored=[e.pk for e in entries if e.final_score is None],
    )
    return ranking


@transaction.atomic
def entry_award_set(*, entry: Entry, acting_user, level: str) -> Entry:
    """The office changes a proposed award before confirming (e.g. a prize left unawarded)."""
    entry = (
        Entry.objects.select_for_update()
        .select_related("contest__campaign__region")
        .get(pk=entry.pk)
    )
    policy.require(acting_user, Action.CONTEST_MANAGE, entry.contest)
    if entry.contest.results_confirmed_at:
        raise ValidationError(_("The awards are confirmed; the ranking is final."), code="finished")
    if level and level not in AwardLevel.values:
        raise ValidationError({"award": _("Unknown award.")})
    if level and entry.status != Entry.Status.APPROVED:
        raise ValidationError({"award": _("Only approved entries can win an award.")})
    before = entry.award
    entry.award = level
    entry.save(update_fields=["award", "updated_at"])
    audit_record(
        actor=acting_user, event_type="contest.award_set", target=entry, before=before, after=level
    )
    return entry


@transaction.atomic
def awards_confirm(*, contest: Contest, acting_user) -> Contest:
    """Fix the awards; the results page shows them from `results_at` on."""
    contest = (
        Contest.objects.select_for_update().select_related("campaign__region").get(pk=contest.pk)
    )
    policy.require(acting_user, Action.CONTEST_MANAGE, contest)
    vote_queue.flush(wait=5.0)
    now = timezone.now()
    if now < contest.judging_closes or now < contest.voting_closes:
        raise ValidationError(
            _("Awards can be confirmed once judging and voting have closed."), code="too_early"
        )
    if contest.results_confirmed_at:
        raise ValidationError(_("The awards are already confirmed."), code="finished")
    winners = list(
        contest.entries.filter(status=Entry.Status.APPROVED)
        .exclude(award="")
        .values_list("pk", "award")
    )
    if not winners:
        raise ValidationError(_("Rank the entries first: no award is proposed."), code="invalid")
    unscored = contest.entries.filter(
        Q(status=Entry.Status.APPROVED), Q(final_score__isnull=True)
    ).count()
    contest.results_confirmed_at = now
    contest.save(update_fields=["results_confirmed_at"])
    audit_record(
        actor=acting_user,
        event_type="contest.awards_confirmed",
        target=contest,
        awards=[list(w) for w in winners],
        unscored_entries=unscored,
    )
    return contest
