"""Writing articles and stories through the API: the same checks, rights and audit as the pages."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from qualitymonth.core.models import AuditEvent
from qualitymonth.showcase.models import Article, BrandStory, week_start
from tests.showcase.test_article_office import png

pytestmark = pytest.mark.django_db


def article_fields(unit, **overrides):
    data = {
        "title": "读懂能效标识",
        "category": "product_safety",
        "unit": unit.code,
        "summary": "能效等级数字越小越节能。",
        "body": "<p>1级最节能。</p><img src=x onerror=alert(1)>",
        "tags": "能效,家电",
    }
    data.update(overrides)
    return data


def test_articles_are_written_published_and_picked_through_the_api(
    staff_client, office_client, unit
):
    response = staff_client.post("/api/office/articles", {**article_fields(unit), "cover": png()})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft" and "onerror" not in body["body"] and body["cover_url"]
    article_id = body["id"]
    # A unit may not publish.
    assert staff_client.post(f"/api/office/articles/{article_id}/publish").status_code == 403
    published = office_client.post(f"/api/office/articles/{article_id}/publish")
    assert published.status_code == 200 and published.json()["status"] == "published"
    again = office_client.post(f"/api/office/articles/{article_id}/publish")
    assert again.status_code == 409
    week = week_start(timezone.localdate())
    picked = office_client.put(
        f"/api/office/articles/{article_id}/pick",
        json.dumps({"week_of": timezone.localdate().isoformat()}),
        content_type="application/json",
    )
    assert picked.status_code == 200 and picked.json()["weekly_pick"] == week.isoformat()
    # Published: the unit can no longer change it.
    changed = staff_client.post(f"/api/office/articles/{article_id}", article_fields(unit))
    assert changed.status_code == 409
    listed = office_client.get("/api/office/articles", {"status": "published", "q": "能效"}).json()
    assert [a["id"] for a in listed["items"]] == [article_id]
    assert AuditEvent.objects.filter(object_id=str(article_id)).count() == 3


def test_bad_article_input_is_refused_by_field(staff_client, unit, other_unit):
    response = staff_client.post("/api/office/articles", article_fields(unit, title=""))
    assert response.status_code == 400 and "title" in response.json()["errors"]
    response = staff_client.post("/api/office/articles", article_fields(other_unit))
    assert response.status_code == 400 and "unit" in response.json()["errors"]
    not_an_image = SimpleUploadedFile("c.png", b"not an image", "image/png")
    response = staff_client.post(
        "/api/office/articles", {**article_fields(unit), "cover": not_an_image}
    )
    assert response.status_code == 400 and "cover" in response.json()["errors"]
    assert not Article.objects.exists()
    assert Client().get("/api/office/articles").status_code == 401


def test_another_unit_cannot_reach_an_article_through_the_api(
    staff_client, other_staff_client, unit
):
    article_id = staff_client.post("/api/office/articles", article_fields(unit)).json()["id"]
    assert (
        other_staff_client.post(
            f"/api/office/articles/{article_id}", article_fields(unit)
        ).status_code
        == 404
    )
    assert other_staff_client.get("/api/office/articles").json()["count"] == 0


def test_stories_go_through_their_workflow_through_the_api(
    staff_client, office_client, client, unit, campaign
):
    fields = {
        "title": "一块瓷砖的标准之路",
        "enterprise": "示例建材有限公司",
        "domain": "product",
        "unit": unit.code,
        "summary": "从企业标准到团体标准。",
        "body": "<p>正文</p><script>alert(1)</script>",
    }
    response = staff_client.post("/api/office/stories", {**fields, "cover": png()})
    assert response.status_code == 201, response.content
    story_id = response.json()["id"]
    assert "<script" not in response.json()["body"]
    submitted = staff_client.post(
        f"/api/office/stories/{story_id}/submit", "{}", content_type="application/json"
    )
    assert submitted.status_code == 200
    refused = office_client.post(
        f"/api/office/stories/{story_id}/return",
        json.dumps({"reason": ""}),
        content_type="application/json",
    )
    assert refused.status_code == 400
    published = office_client.post(
        f"/api/office/stories/{story_id}/publish", "{}", content_type="application/json"
    )
    assert published.status_code == 200
    story = BrandStory.objects.get(pk=story_id)
    assert client.get(f"/api/stories/{story.slug}").json()["title"] == fields["title"]
    first = client.post(f"/api/stories/{story.slug}/like").json()
    second = client.post(f"/api/stories/{story.slug}/like").json()
    assert first == {"counted": True, "like_count": 1}
    assert second == {"counted": False, "like_count": 1}


def test_new_files_are_checked_whichever_way_they_come(staff_client, unit, campaign, monkeypatch):
    from qualitymonth.showcase import services

    monkeypatch.setattr(services, "COVER_MAX_MB", 0)
    too_big = staff_client.post("/api/office/articles", {**article_fields(unit), "cover": png()})
    assert too_big.status_code == 400 and "cover" in too_big.json()["errors"]
    page = staff_client.post(
        "/office/science/new/", {**article_fields(unit), "unit": unit.pk, "cover": png()}
    )
    assert page.status_code == 400 and not Article.objects.exists()
    # A page dressed as a video (MP4 signature, .html name) would be served as HTML from /media/.
    disguised = SimpleUploadedFile(
        "v.html", b"\x00\x00\x00\x18ftypmp42<script>alert(1)</script>", "video/mp4"
    )
    fields = {
        "title": "标题",
        "enterprise": "企业",
        "unit": unit.code,
        "summary": "摘要",
        "body": "<p>正文</p>",
        "video": disguised,
    }
    response = staff_client.post("/api/office/stories", fields)
    assert response.status_code == 400 and "video" in response.json()["errors"]
    assert not BrandStory.objects.exists()


def test_an_office_of_another_region_cannot_reach_a_story(staff_client, unit, campaign):
    from qualitymonth.core.models import Membership
    from tests.factories import CampaignFactory, MembershipFactory, UserFactory

    elsewhere = CampaignFactory()
    outsider = MembershipFactory(
        unit=elsewhere.lead_unit,
        role=Membership.Role.CAMPAIGN_OFFICE,
        user=UserFactory(username="office-elsewhere"),
    ).user
    client = Client()
    client.force_login(outsider)
    fields = {
        "title": "本地故事",
        "enterprise": "本地企业",
        "unit": unit.code,
        "summary": "摘要",
        "body": "<p>正文</p>",
    }
    story_id = staff_client.post("/api/office/stories", fields).json()["id"]
    assert client.get("/api/office/stories").json()["count"] == 0
    moved = {**fields, "unit": elsewhere.lead_unit.code}
    assert client.post(f"/api/office/stories/{story_id}", moved).status_code == 404
    empty = json.dumps({})
    submit = f"/api/office/stories/{story_id}/submit"
    assert client.post(submit, empty, content_type="application/json").status_code == 404
    assert client.get(f"/office/stories/{story_id}/").status_code == 404
    assert BrandStory.objects.get(pk=story_id).unit == unit


def test_likes_from_one_connection_are_capped(client, unit, campaign, monkeypatch):
    from qualitymonth.showcase.models import BrandStory as Story

    story = Story.objects.create(
        campaign=campaign,
        title="t",
        slug="s1",
        enterprise="e",
        summary="s",
        body="b",
        unit=unit,
        status=Story.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    codes = [
        client.post(f"/api/stories/{story.slug}/like", HTTP_USER_AGENT=f"agent-{n}").status_code
        for n in range(32)
    ]
    assert codes[:30] == [200] * 30 and codes[30:] == [429, 429]
