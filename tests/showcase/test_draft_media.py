"""A draft story's or article's files (cover, video) are served only to those who may see the
draft: its unit's writers and the campaign office. Everyone else gets 404, as for the draft's
page; published ones stay public."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from qualitymonth.showcase.models import Article, BrandStory
from tests.showcase.test_article_office import png

pytestmark = pytest.mark.django_db
VIDEO = b"\x00\x00\x00\x18ftypmp42" + bytes(200)


@pytest.fixture
def story(campaign, unit):
    story = BrandStory(
        campaign=campaign,
        title="草稿故事",
        slug="draft-story",
        enterprise="示例工坊",
        summary="s",
        body="<p>b</p>",
        unit=unit,
    )
    story.cover.save("cover.png", ContentFile(png().read()), save=False)
    story.video.save("未发布新品.mp4", ContentFile(VIDEO), save=False)
    story.save()
    return story


@pytest.fixture
def article(unit):
    article = Article(
        title="草稿文章",
        slug="draft-article",
        summary="s",
        body="b",
        category="consumer",
        unit=unit,
    )
    article.cover.save("cover.png", ContentFile(png().read()), save=False)
    article.save()
    return article


def _urls(story, article):
    return [story.cover.url, story.video.url, article.cover.url]


def _publish(*items, when=None):
    for item in items:
        type(item).objects.filter(pk=item.pk).update(
            status="published", published_at=when or timezone.now() - dt.timedelta(minutes=1)
        )


def test_a_drafts_files_are_404_for_the_public(client, citizen_client, story, article):
    for url in _urls(story, article):
        assert client.get(url).status_code == 404, url
        assert client.head(url).status_code == 404, url
        assert citizen_client.get(url).status_code == 404, url


def test_a_drafts_files_are_404_for_another_unit(other_staff_client, story, article):
    for url in _urls(story, article):
        assert other_staff_client.get(url).status_code == 404, url


def test_the_writers_unit_and_the_office_read_a_drafts_files(
    staff_client, office_client, story, article
):
    for client in (staff_client, office_client):
        for url in _urls(story, article):
            response = client.get(url)
            assert response.status_code == 200, url
            assert response["Cache-Control"] == "private, no-cache"  # kept by no shared cache
    ranged = staff_client.get(story.video.url, HTTP_RANGE="bytes=0-3")
    assert ranged.status_code == 206 and b"".join(ranged.streaming_content) == VIDEO[:4]


def test_published_files_are_public(client, story, article):
    _publish(story, article)
    for url in _urls(story, article):
        assert client.get(url).status_code == 200, url


def test_files_of_an_item_published_in_the_future_are_not_public_yet(client, story, article):
    _publish(story, article, when=timezone.now() + dt.timedelta(days=1))
    for url in _urls(story, article):
        assert client.get(url).status_code == 404, url


def test_no_spelling_of_the_path_gets_round_the_check(client, story):
    name = story.video.name
    folder, rest = name.split("/", 1)
    for path in (f"{folder}//{rest}", f"./{name}", f"{folder}/../{name}", f"{folder}/./{rest}"):
        assert client.get(f"/media/{path}").status_code == 404, path


def test_a_file_no_story_holds_is_not_served(client, staff_client, story):
    orphan = default_storage.save("stories/2025/left-over.png", ContentFile(png().read()))
    assert client.get(f"/media/{orphan}").status_code == 404
    assert staff_client.get(f"/media/{orphan}").status_code == 404


def test_the_video_name_says_nothing_of_the_upload(story):
    assert "未发布新品" not in story.video.url
