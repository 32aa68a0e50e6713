"""Request bodies: refused from their announced length before a byte is read (issue 9, §4)."""

import datetime as dt
import json
import logging

import pytest
from django.test import RequestFactory
from django.test.client import ClientHandler
from django.utils import timezone

from qualitymonth.contest.models import Category, Contest, Entry
from qualitymonth.core.body_limits import MB, body_ceiling
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class UnreadableInput:
    """A wsgi.input that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the request body was read")

    readline = read


def send(path: str, *, length: int | None, method: str = "POST", **environ):
    """The answer of the whole stack (every middleware, the URL, the view) to a request whose
    body announces `length` bytes and cannot be read."""
    environ = RequestFactory()._base_environ(
        PATH_INFO=path,
        REQUEST_METHOD=method,
        CONTENT_TYPE=environ.pop("CONTENT_TYPE", "multipart/form-data; boundary=xyz"),
        **{"wsgi.input": UnreadableInput()},
        **environ,
    )
    if length is not None:
        environ["CONTENT_LENGTH"] = str(length)
    return ClientHandler(enforce_csrf_checks=False)(environ)


@pytest.fixture
def contest(campaign):
    now = timezone.now()
    day = dt.timedelta(days=1)
    return Contest.objects.create(
        campaign=campaign,
        slug="video-contest",
        title="微视频大赛",
        theme="质量",
        rules="原创。",
        submission_opens=now - day,
        submission_closes=now + day,
        review_closes=now + 2 * day,
        judging_closes=now + 3 * day,
        voting_opens=now + 2 * day,
        voting_closes=now + 3 * day,
        results_at=now + 4 * day,
        max_file_mb=300,
    )


def test_an_anonymous_300_mb_post_to_a_missing_address_is_refused_unread():
    response = send("/no/such/page/", length=300 * MB)
    assert response.status_code == 413
    assert "12 MB" in response.content.decode()  # the default ceiling, named to the sender


def test_a_small_post_to_a_missing_address_is_404_and_never_read():
    # No middleware reads the body: the NUL check of bodies moved to the forms and schemas.
    assert send("/no/such/page/", length=MB).status_code == 404
    assert send("/no/such/page/", length=MB, CONTENT_TYPE="application/json").status_code == 404


def test_every_other_page_takes_the_setting(settings):
    settings.QM_REQUEST_BODY_MAX_MB = 2
    assert send("/accounts/login/", length=3 * MB).status_code == 413
    request = RequestFactory().post("/accounts/login/")
    assert body_ceiling(request) == 2 * MB


def test_a_contest_video_upload_takes_up_to_the_contests_limit(contest):
    url = f"/contest/{contest.slug}/submit/"
    # Within the limit the request reaches the view, which sends the anonymous visitor to sign
    # in without reading the upload.
    response = send(url, length=299 * MB)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert send(url, length=320 * MB).status_code == 413
    contest.max_file_mb = 50
    contest.save()
    assert send(url, length=100 * MB).status_code == 413


def test_the_contest_api_uploads_take_the_contests_limit_too(contest):
    category = Category.objects.create(contest=contest, code="public", name="公益宣传类")
    entry = Entry.objects.create(
        contest=contest,
        category=category,
        author=UserFactory(),
        author_name="作者",
        title="作品",
        description="短片。",
        video="entries/film.mp4",
        cover="entries/cover.png",
    )
    expected = (300 + 5 + 1) * MB  # the video, a cover, the text fields
    factory = RequestFactory()
    assert body_ceiling(factory.post(f"/api/contests/{contest.slug}/entries")) == expected
    assert body_ceiling(factory.post(f"/api/contest-entries/{entry.pk}")) == expected
    assert body_ceiling(factory.post(f"/contest/entries/{entry.pk}/edit/")) == expected
    # Another method on the same API path (the vote) and unknown contests keep the default.
    assert body_ceiling(factory.post(f"/api/contest-entries/{entry.pk}/vote")) == 12 * MB
    assert body_ceiling(factory.post("/api/contests/nope/entries")) == 12 * MB
    assert body_ceiling(factory.post("/api/contest-entries/99999999999999999999")) == 12 * MB


def test_other_upload_pages_declare_their_files():
    factory = RequestFactory()
    assert body_ceiling(factory.post("/complaints/new/")) == (5 * 5 + 1) * MB
    assert body_ceiling(factory.post("/api/complaints/attachments")) == (5 * 5 + 1) * MB
    assert body_ceiling(factory.post("/api/office/stories")) == (200 + 5 + 1) * MB


def test_the_api_answers_413_in_its_own_shape():
    response = send("/api/complaints", length=50 * MB, CONTENT_TYPE="application/json")
    assert response.status_code == 413
    assert json.loads(response.content)["code"] == "too_large"


def test_a_chunked_body_without_a_length_is_refused_not_emptied():
    response = send("/complaints/new/", length=None, HTTP_TRANSFER_ENCODING="chunked")
    assert response.status_code == 411


def test_a_length_that_is_not_a_number_is_refused():
    assert send("/complaints/new/", length=None, CONTENT_LENGTH="12abc").status_code == 400


@pytest.mark.parametrize(
    "content_type",
    ["multipart/form-data", "multipart/form-data; boundary=", "Multipart/form-data; boundary=x"],
)
def test_a_multipart_body_without_a_boundary_is_400_without_a_traceback(
    client, caplog, content_type
):
    with caplog.at_level(logging.INFO):
        response = client.post("/accounts/login/", data=b"--x\r\n", content_type=content_type)
        api = client.post("/api/complaints", data=b"--x\r\n", content_type=content_type)
    assert response.status_code == 400 and api.status_code == 400
    assert not [r for r in caplog.records if r.exc_info]
