"""Demo science articles (three are this week's picks) and brand stories, published over the
last weeks."""

import datetime as dt
import io

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from qualitymonth.core.models import Unit
from qualitymonth.showcase import services
from qualitymonth.showcase.demo.articles import ARTICLES
from qualitymonth.showcase.demo.stories import STORIES
from qualitymonth.showcase.models import Article, BrandStory, week_start


@transaction.atomic
def load(campaign) -> None:
    load_stories(campaign)
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


def _cover(colour: tuple[int, int, int]) -> ContentFile:
    """A plain gradient cover made on the spot: the demo ships no picture files."""
    from PIL import Image

    light = tuple(c + (255 - c) // 2 for c in colour)
    strip = Image.new("RGB", (2, 1))
    strip.putpixel((0, 0), colour)
    strip.putpixel((1, 0), light)
    image = strip.resize((640, 360), Image.Resampling.BILINEAR)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return ContentFile(buffer.getvalue())


def load_stories(campaign) -> None:
    if BrandStory.objects.exists():
        return
    domains = {d.code: d for d in campaign.domains.all()}
    now = timezone.now()
    for n, (slug, domain, enterprise, title, summary, body, colour) in enumerate(STORIES):
        story = BrandStory(
            campaign=campaign,
            slug=slug,
            domain=domains.get(domain),
            enterprise=enterprise,
            title=title,
            summary=summary,
            body=body,
            unit=campaign.lead_unit,
            status=BrandStory.Status.PUBLISHED,
            published_at=now - dt.timedelta(days=n + 1, hours=3),
            view_count=(len(STORIES) - n) * 53,
            like_count=(len(STORIES) - n) * 7,
        )
        services.story_prepare(story)
        story.cover.save(f"{slug}.jpg", _cover(colour), save=False)
        story.save()
