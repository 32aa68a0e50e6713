"""Reads for the contest pages and the API."""

from django.db.models import Count, Q, QuerySet

from qualitymonth.contest.models import Assignment, Contest, Entry, Judge, Vote
from qualitymonth.core.validators import client_int

SORTS = {"new": ["-approved_at", "-id"], "votes": ["-vote_count", "-approved_at", "-id"]}


def current_contest(campaign=None) -> Contest | None:
    """The given campaign's latest contest (by default the site-wide current campaign's), else
    the latest of all."""
    from qualitymonth.campaigns.selectors import current_campaign

    campaign = campaign or current_campaign()
    qs = Contest.objects.order_by("-submission_opens")
    return (qs.filter(campaign=campaign).first() if campaign else None) or qs.first()


def entry_upload_mb(*, slug: str | None = None, entry_id=None) -> int | None:
    """The largest files an entry's form carries (its contest's video limit and a cover), for
    the request's body ceiling; None when the contest is unknown (the page answers 404)."""
    from qualitymonth.contest.services.entries import COVER_MAX_MB

    contests = Contest.objects.all()
    if slug is not None:
        contests = contests.filter(slug=slug)
    elif (pk := client_int(entry_id, low=1)) is not None:
        contests = contests.filter(entries__pk=pk)
    else:
        return None
    video_mb = contests.values_list("max_file_mb", flat=True).first()
    return None if video_mb is None else video_mb + COVER_MAX_MB


def gallery(contest: Contest, *, category: str = "", q: str = "", sort: str = "new") -> QuerySet:
    qs = contest.entries.filter(status=Entry.Status.APPROVED).select_related("category")
    if category:
        qs = qs.filter(category__code=category)
    for word in q.split()[:5]:
        qs = qs.filter(Q(title__icontains=word) | Q(description__icontains=word))
    return qs.order_by(*SORTS.get(sort, SORTS["new"]))


def judge_progress(contest: Contest) -> list[Judge]:
    return list(
        contest.judges.select_related("user", "unit")
        .prefetch_related("user__memberships__unit")
        .annotate(
            assigned=Count("assignments"),
            scored=Count("assignments", filter=Q(assignments__total__isnull=False)),
        )
    )


def assignments_for(user) -> QuerySet:
    """A judge's own assignments; the author is never part of what a judge is shown."""
    return (
        Assignment.objects.filter(judge__user=user, entry__status=Entry.Status.APPROVED)
        .select_related("entry__category", "entry__contest")
        .order_by("total", "entry_id")
    )


def flagged_votes(contest: Contest) -> QuerySet:
    return (
        Vote.objects.filter(entry__contest=contest)
        .exclude(flagged="")
        .select_related("entry")
        .order_by("voided_at", "-id")
    )


def busiest_connections(contest: Contest, limit: int = 10) -> list[dict]:
    return list(
        Vote.objects.filter(entry__contest=contest, voided_at__isnull=True)
        .values("ip_hash")
        .annotate(n=Count("id"), flagged=Count("id", filter=~Q(flagged="")))
        .order_by("-n")[:limit]
    )


def status_counts(contest: Contest) -> dict[str, int]:
    rows = contest.entries.values("status").annotate(n=Count("id"))
    counts = {s: 0 for s in Entry.Status.values}
    counts.update({r["status"]: r["n"] for r in rows})
    return counts
