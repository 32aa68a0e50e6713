"""Reads for the science pages, the campaign home and the API."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from qualitymonth.campaigns.selectors import search_terms
from qualitymonth.showcase.models import Article, week_start


def public_articles() -> QuerySet[Article]:
    return Article.objects.filter(
        status=Article.Status.PUBLISHED, published_at__lte=timezone.now()
    ).select_related("unit")


def articles_editable_by(user) -> QuerySet[Article]:
    """A unit's own articles; for the campaign office, every unit's in its region."""
    from qualitymonth.core.permissions import policy

    return Article.objects.select_related("unit__region").filter(
        unit__in=policy.covered_units(user)
    )


def stories_editable_by(user) -> QuerySet:
    """A unit's own stories; for the campaign office, those of every unit in its region."""
    from qualitymonth.core.permissions import policy
    from qualitymonth.showcase.models import BrandStory

    return BrandStory.objects.select_related("unit__region", "domain", "campaign__region").filter(
        unit__in=policy.covered_units(user)
    )


def search(*, q: str = "", category: str = "", tag: str = "") -> QuerySet[Article]:
    qs = public_articles()
    for term in search_terms(q):
        qs = qs.filter(search_text__contains=term)
    if category in Article.Category.values:
        qs = qs.filter(category=category)
    if tag:
        qs = qs.filter(Q(tags__icontains=tag[:30]))
    return qs.defer("body", "search_text")


def weekly_picks(limit: int = 3) -> list[Article]:
    """This week's picks, or the most read recent articles when none were picked."""
    this_week = week_start(timezone.localdate())
    picked = list(public_articles().filter(weekly_pick=this_week).defer("body")[:limit])
    if picked:
        return picked
    return list(public_articles().order_by("-read_count", "-published_at").defer("body")[:limit])


def public_stories(campaign=None) -> QuerySet:
    from qualitymonth.showcase.models import BrandStory

    qs = BrandStory.objects.filter(
        status=BrandStory.Status.PUBLISHED, published_at__lte=timezone.now()
    ).select_related("domain", "unit")
    return qs.filter(campaign=campaign) if campaign else qs
