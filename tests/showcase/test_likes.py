"""Likes: one per address a day without an account, one per person with one."""

import pytest
from django.test import Client

from qualitymonth.showcase.models import BrandStory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def published_story(campaign, unit):
    from django.utils import timezone

    return BrandStory.objects.create(
        campaign=campaign,
        slug="kiln",
        title="一座窑的标准",
        enterprise="示例陶瓷企业",
        summary="工序写进标准",
        body="<p>正文</p>",
        unit=unit,
        status=BrandStory.Status.PUBLISHED,
        published_at=timezone.now(),
    )


def like(client, story, **meta):
    return client.post(f"/api/stories/{story.slug}/like", **meta)


def test_sixty_browser_names_from_one_address_count_once(campaign, unit):
    story = published_story(campaign, unit)
    client = Client()
    for n in range(60):
        like(client, story, HTTP_USER_AGENT=f"agent-{n}", REMOTE_ADDR="10.0.0.7")
    story.refresh_from_db()
    assert story.like_count == 1


def test_fresh_sessions_from_one_address_count_once(campaign, unit):
    story = published_story(campaign, unit)
    for _ in range(5):
        client = Client()
        client.get(story.get_absolute_url(), REMOTE_ADDR="10.0.0.8")
        like(client, story, REMOTE_ADDR="10.0.0.8")
    story.refresh_from_db()
    assert story.like_count == 1


def test_signed_in_people_behind_one_address_each_count_once(campaign, unit):
    story = published_story(campaign, unit)
    for name in ("reader-a", "reader-b"):
        client = Client()
        client.force_login(UserFactory(username=name))
        like(client, story, REMOTE_ADDR="10.0.0.9")
        like(client, story, REMOTE_ADDR="10.0.0.9")
    story.refresh_from_db()
    assert story.like_count == 2
