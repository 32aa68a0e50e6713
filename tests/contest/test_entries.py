"""Submitting entries: phases, upload checks by content, editing, moderation, media with Range."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from qualitymonth.contest import services
from qualitymonth.contest.models import Contest, Entry, Phase
from qualitymonth.core.models import AuditEvent
from qualitymonth.core.permissions import PermissionDenied
from qualitymonth.core.video import container_kind, ffprobe_available
from tests.contest.conftest import cover_upload, set_phase, video_upload
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

needs_ffprobe = pytest.mark.skipif(not ffprobe_available(), reason="ffprobe is not installed")


@pytest.mark.parametrize("phase", [p.value for p in Phase])
def test_the_phase_follows_the_dates(contest, phase):
    assert set_phase(contest, phase).phase() == phase


def test_phases_out_of_order_are_refused(contest):
    contest.submission_closes = contest.submission_opens.replace(year=2000)
    with pytest.raises(ValidationError) as error:
        contest.full_clean(exclude=["campaign"])
    assert "submission_closes" in error.value.message_dict


def test_an_entry_is_submitted_and_waits_for_review(make_entry):
    entry = make_entry()
    assert entry.status == Entry.Status.PENDING and not entry.is_public
    assert entry.video_format == "mp4"
    assert AuditEvent.objects.filter(event_type="contest.entry_submitted").count() == 1


@needs_ffprobe
def test_the_probe_reads_duration_size_and_codec(make_entry):
    entry = make_entry()
    assert entry.codec == "h264" and (entry.width, entry.height) == (320, 180)
    assert 4 <= entry.duration_seconds <= 6


def test_no_submission_after_the_deadline(contest, citizen_user, make_entry):
    set_phase(contest, "review")
    with pytest.raises(ValidationError) as error:
        make_entry(citizen_user)
    assert error.value.code == "closed"
    assert not Entry.objects.exists()


def test_no_submission_before_the_contest_opens(contest, citizen_user, make_entry):
    set_phase(contest, "upcoming")
    with pytest.raises(ValidationError):
        make_entry(citizen_user)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("setup.mp4", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 2000),
        ("notes.mp4", "这不是视频，只是一段文字。".encode() * 50),
        ("empty.mp4", b""),
    ],
)
def test_a_file_that_is_not_a_video_is_refused_whatever_its_name(contest, name, data):
    with pytest.raises(ValidationError) as error:
        services.validate_video(video_upload(name, data), contest=contest)
    assert "MP4, MOV or WebM" in str(error.value)


def test_an_oversized_video_is_refused(contest):
    contest.max_file_mb = 1
    big = video_upload(data=b"\x00\x00\x00\x18ftypmp42" + b"\x00" * (1024 * 1024 + 10))
    with pytest.raises(ValidationError) as error:
        services.validate_video(big, contest=contest)
    assert "larger than 1 MB" in str(error.value)


@needs_ffprobe
def test_a_video_longer_than_allowed_is_refused(contest):
    contest.max_seconds = 3
    with pytest.raises(ValidationError) as error:
        services.validate_video(video_upload(), contest=contest)
    assert "it must last 1 to 3 s" in str(error.value)


@needs_ffprobe
def test_a_damaged_video_with_a_valid_signature_is_refused(contest):
    fake = video_upload(data=b"\x00\x00\x00\x18ftypmp42" + b"\x01" * 5000)
    with pytest.raises(ValidationError) as error:
        services.validate_video(fake, contest=contest)
    assert "cannot be read" in str(error.value)


def test_container_signatures():
    assert container_kind(b"\x00\x00\x00\x18ftypisom\x00\x00") == "mp4"
    assert container_kind(b"\x00\x00\x00\x14ftypqt  \x00\x00") == "mov"
    assert container_kind(b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81") == "webm"
    assert container_kind(b"MZ\x90\x00") is None


def test_a_cover_that_is_not_a_picture_is_refused():
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError):
        services.validate_cover(SimpleUploadedFile("c.jpg", b"<html>not a picture</html>"))
    services.validate_cover(cover_upload())


def test_the_declaration_of_originality_is_required(contest, citizen_user):
    with pytest.raises(ValidationError) as error:
        services.entry_submit(
            contest=contest,
            author=citizen_user,
            category=contest.categories.first(),
            title="标题",
            description="说明",
            author_name="张三",
            video_file=video_upload(),
            cover_file=cover_upload(),
            originality_declared=False,
        )
    assert "originality_declared" in error.value.message_dict


def test_the_submit_page_shows_errors_and_keeps_the_text(contest, citizen_user):
    client = Client()
    client.force_login(citizen_user)
    url = reverse("contest:submit", args=[contest.slug])
    response = client.post(
        url,
        {
            "title": "我的质量故事",
            "category": contest.categories.first().pk,
            "description": "说明文字",
            "author_name": "张三",
            "video": video_upload("virus.mp4", b"MZ" + b"\x00" * 100),
            "cover": cover_upload(),
            "originality_declared": "on",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "我的质量故事" in body and "MP4、MOV 或 WebM" in body
    assert not Entry.objects.exists()


def test_the_submit_page_creates_the_entry(contest, citizen_user):
    client = Client()
    client.force_login(citizen_user)
    response = client.post(
        reverse("contest:submit", args=[contest.slug]),
        {
            "title": "我的质量故事",
            "category": contest.categories.first().pk,
            "description": "说明文字",
            "author_name": "张三",
            "video": video_upload(),
            "cover": cover_upload(),
            "originality_declared": "on",
        },
    )
    assert response.status_code == 302
    assert Entry.objects.get().author == citizen_user


def test_submitting_needs_an_account(contest):
    response = Client().get(reverse("contest:submit", args=[contest.slug]))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_one_person_submits_at_most_five_entries(contest, citizen_user, make_entry):
    for _ in range(5):
        make_entry(citizen_user)
    with pytest.raises(ValidationError) as error:
        make_entry(citizen_user)
    assert error.value.code == "limit"


# --- moderation ----------------------------------------------------------------------------
def test_only_approved_entries_are_public(contest, make_entry, office_user):
    entry = make_entry()
    client = Client()
    assert client.get(entry.get_absolute_url()).status_code == 404
    assert client.get(reverse("contest:media", args=[entry.pk, "video"])).status_code == 404
    services.entry_moderate(entry=entry, acting_user=office_user, decision="approve")
    assert client.get(entry.get_absolute_url()).status_code == 200
    gallery = client.get(contest.get_absolute_url()).content.decode()
    assert entry.title in gallery


def test_the_author_sees_a_rejection_and_its_reason(contest, citizen_user, make_entry, office_user):
    entry = make_entry(citizen_user)
    with pytest.raises(ValidationError):
        services.entry_moderate(entry=entry, acting_user=office_user, decision="reject")
    services.entry_moderate(
        entry=entry, acting_user=office_user, decision="reject", note="画面含有他人商标"
    )
    client = Client()
    client.force_login(citizen_user)
    page = client.get(reverse("contest:mine", args=[contest.slug])).content.decode()
    assert "画面含有他人商标" in page and "已驳回" in page
    # The author may still watch their own entry; nobody else may.
    assert client.get(entry.get_absolute_url()).status_code == 200
    assert Client().get(entry.get_absolute_url()).status_code == 404


def test_asked_for_changes_the_author_edits_and_the_entry_is_reviewed_again(
    contest, citizen_user, make_entry, office_user
):
    entry = make_entry(citizen_user)
    services.entry_moderate(entry=entry, acting_user=office_user, decision="approve")
    services.entry_moderate(
        entry=entry, acting_user=office_user, decision="changes", note="请补充字幕"
    )
    client = Client()
    client.force_login(citizen_user)
    response = client.post(
        reverse("contest:entry_edit", args=[entry.pk]),
        {
            "title": "加了字幕的版本",
            "category": entry.category_id,
            "description": "说明",
            "author_name": "张三",
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == Entry.Status.PENDING and entry.title == "加了字幕的版本"


def test_nobody_but_the_author_edits_an_entry(make_entry, other_staff_user):
    entry = make_entry()
    with pytest.raises(PermissionDenied):
        services.entry_edit(
            entry=entry,
            acting_user=other_staff_user,
            category=entry.category,
            title="x",
            description="y",
            author_name="z",
        )
    client = Client()
    client.force_login(other_staff_user)
    assert client.get(reverse("contest:entry_edit", args=[entry.pk])).status_code == 404


def test_no_edit_after_submission_closes(contest, citizen_user, make_entry):
    entry = make_entry(citizen_user)
    set_phase(contest, "review")
    with pytest.raises(ValidationError):
        services.entry_edit(
            entry=entry,
            acting_user=citizen_user,
            category=entry.category,
            title="x",
            description="y",
            author_name="z",
        )


def test_moderation_is_for_the_campaign_office(contest, make_entry, staff_user):
    entry = make_entry()
    with pytest.raises(PermissionDenied):
        services.entry_moderate(entry=entry, acting_user=staff_user, decision="approve")
    client = Client()
    client.force_login(staff_user)
    assert client.get(reverse("contest_office:moderation", args=[contest.slug])).status_code == 403
    response = client.post(
        reverse("contest_office:moderate", args=[entry.pk]), {"decision": "approve"}
    )
    assert response.status_code == 403
    assert Entry.objects.get(pk=entry.pk).status == Entry.Status.PENDING


def test_the_office_moderates_from_the_queue(contest, make_entry, office_client):
    entry = make_entry()
    queue = office_client.get(reverse("contest_office:moderation", args=[contest.slug]))
    assert entry.title in queue.content.decode()
    response = office_client.post(
        reverse("contest_office:moderate", args=[entry.pk]), {"decision": "reject", "note": ""}
    )
    assert response.status_code == 200  # the reason is missing: the page says so
    assert Entry.objects.get(pk=entry.pk).status == Entry.Status.PENDING
    office_client.post(reverse("contest_office:moderate", args=[entry.pk]), {"decision": "approve"})
    assert Entry.objects.get(pk=entry.pk).status == Entry.Status.APPROVED


# --- media ---------------------------------------------------------------------------------
def test_the_video_is_served_with_range_so_players_can_seek(approved):
    url = reverse("contest:media", args=[approved[0].pk, "video"])
    client = Client()
    whole = client.get(url)
    size = int(whole["Content-Length"])
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes"
    part = client.get(url, HTTP_RANGE="bytes=100-199")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 100-199/{size}"
    assert len(b"".join(part.streaming_content)) == 100
    tail = client.get(url, HTTP_RANGE="bytes=-10")
    assert tail["Content-Range"] == f"bytes {size - 10}-{size - 1}/{size}"
    assert client.get(url, HTTP_RANGE=f"bytes={size + 5}-").status_code == 416


def test_a_pending_video_is_private_but_its_author_and_the_office_see_it(
    make_entry, citizen_user, office_client
):
    entry = make_entry(citizen_user)
    url = reverse("contest:media", args=[entry.pk, "video"])
    author = Client()
    author.force_login(citizen_user)
    response = author.get(url)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert office_client.get(url).status_code == 200
    assert Client().get(url).status_code == 404


def test_the_share_poster_is_a_png_with_the_entry(approved):
    response = Client().get(reverse("contest:poster", args=[approved[0].pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join([response.content])[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_entry_page_carries_share_meta(approved):
    page = Client().get(approved[0].get_absolute_url()).content.decode()
    assert f'<meta property="og:title" content="{approved[0].title}">' in page
    assert 'property="og:image"' in page


def test_gallery_filters_search_and_sorts(contest, approved):
    Entry.objects.filter(pk=approved[3].pk).update(vote_count=50, title="充电桩计量")
    client = Client()
    url = contest.get_absolute_url()
    by_votes = client.get(url, {"sort": "votes"}).content.decode()
    assert by_votes.index("充电桩计量") < by_votes.index(approved[0].title)
    found = client.get(url, {"q": "充电桩"}).content.decode()
    assert "充电桩计量" in found and approved[0].title not in found
    science = client.get(url, {"category": "science"}).content.decode()
    assert approved[0].title not in science and approved[2].title in science


def test_the_gallery_runs_a_fixed_number_of_queries(
    contest, approved, django_assert_max_num_queries
):
    client = Client()
    client.get(contest.get_absolute_url())
    with django_assert_max_num_queries(8):
        client.get(contest.get_absolute_url())


def test_contest_is_not_there_404(db):
    assert Client().get("/contest/nothing-here/").status_code == 404
    assert Contest.objects.count() == 0
    assert UserFactory() is not None
