import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from qualitymonth.showcase import services
from qualitymonth.showcase.models import Article, week_start

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">点我</a>',
    '<iframe src="https://evil.example"></iframe>',
    '<p style="background:url(javascript:alert(1))" onclick="alert(1)">文字</p>',
    "<svg onload=alert(1)></svg>",
]


def make(unit, **kwargs) -> Article:
    data = {
        "slug": kwargs.pop("slug", "article"),
        "unit": unit,
        "category": "metrology",
        "title": "计量单位小知识",
        "summary": "千克是法定计量单位",
        "body": "<p>1斤等于500克。</p>",
        "tags": "计量单位,公平秤",
        "status": Article.Status.PUBLISHED,
        "published_at": timezone.now() - dt.timedelta(hours=1),
    }
    data.update(kwargs)
    return services.prepare(Article(**data)).save() or Article.objects.get(slug=data["slug"])


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_script_survives_in_an_article(client, unit, payload):
    article = make(unit, body=f"<p>正文</p>{payload}")
    html = client.get(article.get_absolute_url()).content.decode()
    body = html[html.index('class="article-body"') :]
    for bad in ("<script", "onerror", "javascript:", "<iframe", "onclick", "onload", "style="):
        assert bad not in body.lower()
    assert "正文" in body


def test_a_row_written_around_the_service_is_sanitised_on_the_way_out(client, unit):
    article = make(unit)
    Article.objects.filter(pk=article.pk).update(body="<p>ok</p><script>alert(1)</script>")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "alert(1)" not in html
    api = client.get(f"/api/articles/{article.slug}").json()
    assert "<script" not in api["body"]


def test_search_category_and_tag_filters(client, unit):
    make(unit, slug="units")
    make(unit, slug="ccc", title="认准CCC标志", summary="强制性产品认证", category="certification",
         body="<p>插头插座要有CCC标志。</p>", tags="CCC,认证")  # fmt: skip
    url = reverse("showcase:articles")

    def results(**params) -> str:
        html = client.get(url, params).content.decode()
        return html[html.index('id="results"') :]

    assert "认准CCC标志" in results(q="插头 标志")
    assert "认准CCC标志" not in results(q="公平秤")
    assert "计量单位小知识" not in results(category="certification")
    assert "认准CCC标志" in results(tag="认证")
    assert client.get(url, {"category": "bogus", "page": "x"}).status_code == 200
    rows = client.get("/api/articles", {"q": "CCC"}).json()["items"]
    assert [r["slug"] for r in rows] == ["ccc"]


def test_drafts_and_future_articles_are_not_public(client, unit):
    draft = make(unit, slug="draft", status=Article.Status.DRAFT)
    future = make(unit, slug="future", published_at=timezone.now() + dt.timedelta(days=1))
    for article in (draft, future):
        assert client.get(article.get_absolute_url()).status_code == 404
        assert client.get(f"/api/articles/{article.slug}").status_code == 404


def test_reads_count_once_per_reader_per_day(unit):
    article = make(unit)
    reader = Client()
    reader.get(article.get_absolute_url())
    reader.get(article.get_absolute_url())
    Client(REMOTE_ADDR="10.9.8.7").get(article.get_absolute_url())
    article.refresh_from_db()
    assert article.read_count == 2


def test_weekly_picks_show_on_the_campaign_home(client, campaign, unit):
    make(unit, slug="picked", title="本周推荐文章", weekly_pick=week_start(timezone.localdate()))
    make(unit, slug="other", title="另一篇文章")
    html = client.get(reverse("campaigns:home")).content.decode()
    assert "本周推荐文章" in html and "另一篇文章" not in html


def test_demo_articles_load_and_are_clean(campaign):
    from qualitymonth.showcase.demo.loader import load

    load(campaign)
    assert Article.objects.filter(status="published").count() >= 12
    assert Article.objects.exclude(weekly_pick=None).count() == 3
    assert all("<script" not in a.body for a in Article.objects.all())
