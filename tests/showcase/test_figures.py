"""The showcase's dashboard figures agree with the stories and articles themselves: after
creates, updates (views, likes and reads counted by the services), deletes; by unit, district,
domain, dates and scope; the public part names no person."""

import datetime as dt
import json
from dataclasses import asdict

import pytest
from django.db.models import Q, Sum
from django.utils import timezone

from qualitymonth.core.figures import Filters
from qualitymonth.core.models import Region
from qualitymonth.dashboard.figures import View, compose
from qualitymonth.showcase import services
from qualitymonth.showcase.figures import ShowcaseFigures
from qualitymonth.showcase.models import Article, BrandStory
from tests.factories import CampaignFactory, UnitFactory

pytestmark = pytest.mark.django_db

START, END = dt.date(2031, 9, 1), dt.date(2031, 9, 30)


@pytest.fixture
def campaign(db):
    return CampaignFactory(year=2031, starts_on=START, ends_on=END)


@pytest.fixture
def district_unit(campaign):
    district = Region.objects.filter(parent=campaign.region).order_by("code").first()
    return UnitFactory(region=district, code="district-unit", name="思明区市场监管局")


def at(day: int, month: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2031, month, day, 10))


def story(campaign, unit, n, *, day=5, month=9, status="published", domain=None, views=0):
    return BrandStory.objects.create(
        campaign=campaign,
        slug=f"story-{n}",
        title=f"品牌故事{n}",
        enterprise="示例企业",
        summary="摘要",
        body="<p>正文</p>",
        unit=unit,
        domain=domain,
        status=status,
        published_at=at(day, month) if status == "published" else None,
        view_count=views,
    )


def article(unit, n, *, day=5, month=9, status="published", reads=0, category="metrology"):
    return Article.objects.create(
        title=f"科普文章{n}",
        slug=f"article-{n}",
        summary="摘要",
        body="<p>正文</p>",
        category=category,
        unit=unit,
        status=status,
        published_at=at(day, month) if status == "published" else None,
        read_count=reads,
    )


def truth(campaign, *, units=None, district=None, since=START, until=END, domain=None):
    stories = BrandStory.objects.filter(
        campaign=campaign, status="published", published_at__date__lte=until
    )
    if since != START:
        stories = stories.filter(published_at__date__gte=since)
    articles = Article.objects.filter(
        Q(unit__region=campaign.region) | Q(unit__region__parent=campaign.region),
        status="published",
        published_at__date__range=(since, until),
    )
    if units is not None:
        stories, articles = stories.filter(unit__in=units), articles.filter(unit__in=units)
    if district is not None:
        stories = stories.filter(unit__region=district)
        articles = articles.filter(unit__region=district)
    if domain is not None:
        stories = stories.filter(domain=domain)
    s = stories.aggregate(v=Sum("view_count"), lk=Sum("like_count"))
    return {
        "showcase_stories": stories.count(),
        "showcase_story_views": s["v"] or 0,
        "showcase_story_likes": s["lk"] or 0,
        "showcase_articles": articles.count(),
        "showcase_article_reads": articles.aggregate(r=Sum("read_count"))["r"] or 0,
    }


def shown(campaign, *, scope=None, today=END, **filters):
    (section,) = compose(
        campaign, filters=Filters(**filters), scope=scope, today=today, sections=["showcase"]
    ).sections
    return {f.key: f.value for f in section.figures}, section


def test_figures_follow_creates_updates_and_deletes(campaign, unit, district_unit):
    first = story(campaign, unit, 1, views=10)
    second = story(campaign, district_unit, 2, day=20, views=3)
    story(campaign, unit, 3, status="draft")
    story(campaign, unit, 4, day=25, month=8)  # published before the month: counted
    elsewhere = UnitFactory()  # a unit of another city: its articles are not this campaign's
    first_article = article(unit, 1, reads=7)
    article(district_unit, 2, day=12, reads=2, category="standards")
    article(unit, 3, day=25, month=8, reads=100)  # before the campaign: not counted
    article(elsewhere, 4, reads=50)
    article(unit, 5, status="draft")
    values, section = shown(campaign)
    assert values == truth(campaign)
    assert values["showcase_stories"] == 3 and values["showcase_articles"] == 2

    # Views, likes and reads as the services count them; an unpublished story; a deletion.
    services.story_count_view(story=first, reader="a")
    services.story_like(story=first, reader="a")
    services.article_count_read(article=first_article, reader="a")
    second.status = BrandStory.Status.DRAFT
    second.save()
    Article.objects.get(slug="article-2").delete()
    values, section = shown(campaign)
    assert values == truth(campaign)
    assert values["showcase_story_views"] == 11 and values["showcase_story_likes"] == 1
    assert values["showcase_article_reads"] == 8
    top = next(c for c in section.charts if c.key == "showcase_top_stories")
    assert top.categories[0] == "品牌故事1" and top.series[0].data[0] == 11
    reads = next(c for c in section.charts if c.key == "showcase_reads_by_category")
    assert (
        dict(zip(reads.categories, reads.series[0].data, strict=True))["Weights and measures"] == 8
    )


def test_unit_district_domain_dates_and_scope_narrow_them(campaign, unit, district_unit):
    domain = campaign.domains.first()
    story(campaign, unit, 1, views=10, domain=domain)
    story(campaign, district_unit, 2, day=20, views=3)
    article(unit, 1, reads=7)
    article(district_unit, 2, day=12, reads=2)
    assert shown(campaign, unit_id=unit.pk)[0] == truth(campaign, units=[unit])
    assert shown(campaign, scope=frozenset({district_unit.pk}))[0] == truth(
        campaign, units=[district_unit]
    )
    values, _section = shown(campaign, district_id=district_unit.region_id)
    assert values == truth(campaign, district=district_unit.region_id)
    assert values["showcase_stories"] == values["showcase_articles"] == 1
    since = dt.date(2031, 9, 10)
    assert shown(campaign, date_from=since)[0] == truth(campaign, since=since)
    assert shown(campaign, today=dt.date(2031, 9, 10))[0] == truth(
        campaign, until=dt.date(2031, 9, 10)
    )
    values, section = shown(campaign, domain_id=domain.pk)
    assert values["showcase_stories"] == 1 and values["showcase_articles"] == 2
    assert next(f for f in section.figures if f.key == "showcase_articles").note
    focus = campaign.focus_areas.first()
    assert shown(campaign, focus_area_id=focus.pk)[1].ignored_filters == ["focus area"]


def test_nothing_to_show_gives_no_section_and_no_sentence(campaign):
    assert compose(campaign, today=END, sections=["showcase"]).sections == []
    assert ShowcaseFigures().overview(View(campaign=campaign, today=END)) == []


def test_the_overview_sentence_carries_the_numbers(campaign, unit):
    story(campaign, unit, 1, views=1234)
    article(unit, 1, reads=56)
    (sentence,) = ShowcaseFigures().overview(View(campaign=campaign, today=END))
    assert "1,234" in sentence and "56" in sentence


def test_the_public_part_has_titles_and_counts_only(campaign, unit):
    story(campaign, unit, 1, views=10)
    article(unit, 1, reads=7)
    (section,) = compose(campaign, public=True, today=END, sections=["showcase"]).sections
    assert len(section.figures) == 5 and len(section.charts) == 2
    text = json.dumps(asdict(section), default=str, ensure_ascii=False)
    assert "品牌故事1" in text and unit.name not in text and "示例企业" not in text
