"""Uploaded media answer Range requests, so a video player can seek."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db
DATA = bytes(range(256)) * 4  # 1,024 bytes


@pytest.fixture
def video(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "film.mp4").write_bytes(DATA)
    return "/media/reports/film.mp4"


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_whole_file_says_ranges_are_accepted(client, video):
    response = client.get(video)
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "video/mp4"
    assert body(response) == DATA


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [
        ("bytes=0-9", 0, 9),
        ("bytes=1000-", 1000, 1023),
        ("bytes=-24", 1000, 1023),
        ("bytes=10-5000", 10, 1023),
    ],
)
def test_a_range_gets_206_and_exactly_those_bytes(client, video, header, first, last):
    response = client.get(video, HTTP_RANGE=header)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {first}-{last}/1024"
    assert response["Content-Length"] == str(last - first + 1)
    assert body(response) == DATA[first : last + 1]


@pytest.mark.parametrize("header", ["bytes=2000-", "bytes=50-10", "bytes=-0"])
def test_an_unsatisfiable_range_gets_416(client, video, header):
    response = client.get(video, HTTP_RANGE=header)
    assert response.status_code == 416
    assert response["Content-Range"] == "bytes */1024"


def test_a_malformed_range_gets_the_whole_file(client, video):
    assert client.get(video, HTTP_RANGE="bytes=0-1,5-9").status_code == 200


def test_nothing_outside_the_media_folder_is_served(client, video):
    assert client.get("/media/../settings.py").status_code == 404
    assert client.get("/media/reports/missing.mp4").status_code == 404
    assert client.post(video).status_code == 405
    assert str(settings.MEDIA_ROOT)
