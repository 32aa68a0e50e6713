import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from qualitymonth.core.models import AuditEvent
from qualitymonth.core.permissions import PermissionDenied
from qualitymonth.showcase import services
from qualitymonth.showcase.models import BrandStory

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(campaign, unit):
    return BrandStory.objects.create(
        campaign=campaign,
        slug="tea",
        title="一片茶叶的标准化之路",
        enterprise="示例茶企",
        domain=campaign.domains.first(),
        summary="把工序写进企业标准",
        body=services.sanitize("<p>正文</p><script>alert(1)</script>"),
        unit=unit,
    )


def test_units_submit_and_the_office_publishes(story, staff_user, office_user, other_staff_user):
    with pytest.raises(PermissionDenied):
        services.story_step(story=story, step="submit", acting_user=other_staff_user)
    story = services.story_step(story=story, step="submit", acting_user=staff_user)
    assert story.status == "review"
    with pytest.raises(PermissionDenied):
        services.story_step(story=story, step="publish", acting_user=staff_user)
    with pytest.raises(ValidationError):
        services.story_step(story=story, step="return", acting_user=office_user, reason="")
    story = services.story_step(story=story, step="publish", acting_user=office_user)
    assert story.status == "published" and story.published_at
    assert AuditEvent.objects.filter(event_type__startswith="story.").count() == 2
    with pytest.raises(ValidationError):
        services.story_step(story=story, step="publish", acting_user=office_user)


def test_only_published_stories_are_public_and_scripts_never_run(client, story, office_user):
    assert client.get(story.get_absolute_url()).status_code == 404
    BrandStory.objects.filter(pk=story.pk).update(status="published")
    story.refresh_from_db()
    BrandStory.objects.filter(pk=story.pk).update(published_at="2020-01-01T00:00:00Z")
    html = client.get(story.get_absolute_url()).content.decode()
    assert "正文" in html and "alert(1)" not in html
    assert "一片茶叶的标准化之路" in client.get(reverse("showcase:stories")).content.decode()
    assert "一片茶叶的标准化之路" in client.get(reverse("showcase:broadcast")).content.decode()
    assert client.get("/api/stories").json()["items"][0]["slug"] == "tea"


def test_views_and_likes_count_once_per_person_per_day(story):
    BrandStory.objects.filter(pk=story.pk).update(
        status="published", published_at="2020-01-01T00:00:00Z"
    )
    person = Client()
    for _ in range(3):
        person.get(story.get_absolute_url())
        person.post(reverse("showcase:story_like", args=[story.slug]))
    Client(REMOTE_ADDR="10.1.2.3").post(reverse("showcase:story_like", args=[story.slug]))
    story.refresh_from_db()
    assert story.view_count == 1
    assert story.like_count == 2
    assert person.get(reverse("showcase:story_like", args=[story.slug])).status_code == 405


@pytest.mark.parametrize(
    ("content", "ok"),
    [
        (b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64, True),
        (b"\x1a\x45\xdf\xa3" + b"\x00" * 64, True),
        (b"MZ\x90\x00" + b"\x00" * 64, False),
        (b"just text pretending to be a video", False),
    ],
    ids=["mp4", "webm", "exe", "text"],
)
def test_videos_are_checked_by_content(content, ok):
    upload = SimpleUploadedFile("film.mp4", content)
    if ok:
        services.validate_video(upload)
    else:
        with pytest.raises(ValidationError):
            services.validate_video(upload)


def test_oversized_video_is_refused():
    upload = SimpleUploadedFile("film.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 2048)
    with pytest.raises(ValidationError, match="larger"):
        services.validate_video(upload, max_mb=0)


def test_demo_stories_load_with_covers(campaign):
    from qualitymonth.showcase.demo.loader import load_stories

    load_stories(campaign)
    stories = list(BrandStory.objects.all())
    assert len(stories) >= 8
    assert all(s.status == "published" and s.cover for s in stories)
    from PIL import Image

    with Image.open(io.BytesIO(stories[0].cover.read())) as image:
        assert image.size == (640, 360)
