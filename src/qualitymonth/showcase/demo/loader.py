"""Demo science articles, published over the last weeks; three are this week's picks."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from qualitymonth.core.models import Unit
from qualitymonth.showcase import services
from qualitymonth.showcase.demo.articles import ARTICLES
from qualitymonth.showcase.models import Article, week_start


@transaction.atomic
def load(campaign) -> None:
    if Article.objects.exists():
        return
    units = {u.code: u for u in Unit.objects.all()}
    now = timezone.now()
    monday = week_start(timezone.localdate())
    for n, (slug, unit, category, title, summary, body, tags, source) in enumerate(ARTICLES):
        article = Article(
            slug=slug,
            unit=units.get(unit) or campaign.lead_unit,
            category=category,
            title=title,
            summary=summary,
            body=body,
            tags=tags,
            source=source,
            status=Article.Status.PUBLISHED,
            published_at=now - dt.timedelta(days=2 * n + 1),
            weekly_pick=monday if n in (0, 5, 7) else None,
            read_count=(len(ARTICLES) - n) * 37,
        )
        services.prepare(article).save()
