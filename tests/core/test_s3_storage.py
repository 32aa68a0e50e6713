"""Uploads on an S3-compatible object store (MEDIA_STORAGE=s3, django-storages), tested against
moto's real server on 127.0.0.1: public files land in the media bucket under random names and
come back, Range and guards included, through /media/; private files land in the private bucket
and are only streamed by the views that check the policy."""

import os
import re
import subprocess
import sys

import boto3
import pytest
from django.core.files.storage import default_storage, storages
from django.http import Http404
from django.test import RequestFactory, override_settings
from django.urls import reverse
from moto.server import ThreadedMotoServer

from qualitymonth.complaints.models import Attachment
from qualitymonth.complaints.routing.router import Guess
from qualitymonth.complaints.services import complaint_submit
from qualitymonth.core.media import serve_media
from qualitymonth.core.storage import RandomNameS3Storage
from qualitymonth.showcase.models import Article
from tests.complaints.conftest import complaint_data, png_upload
from tests.showcase.test_article_office import form_data, png

MEDIA_BUCKET = "qm-test-media"
PRIVATE_BUCKET = "qm-test-private"
RANDOM = r"[0-9a-f]{32}"


@pytest.fixture(scope="module")
def s3():
    """A moto server of this module's own, with the two buckets; its boto3 client."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    client = boto3.client(
        "s3",
        endpoint_url=f"http://{host}:{port}",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )
    for bucket in (MEDIA_BUCKET, PRIVATE_BUCKET):
        client.create_bucket(Bucket=bucket)
    yield client
    server.stop()


def _options(client, bucket: str) -> dict:
    # The options settings.py gives the backend when MEDIA_STORAGE=s3.
    return {
        "endpoint_url": client.meta.endpoint_url,
        "access_key": "testing",
        "secret_key": "testing",
        "region_name": "us-east-1",
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": False,
        "bucket_name": bucket,
    }


@pytest.fixture
def on_s3(s3, settings, monkeypatch):
    """The default and the private storage on the moto buckets, as MEDIA_STORAGE=s3 sets them."""
    backend = "qualitymonth.core.storage.RandomNameS3Storage"
    stores = {
        **settings.STORAGES,
        "default": {"BACKEND": backend, "OPTIONS": _options(s3, MEDIA_BUCKET)},
        "private": {"BACKEND": backend, "OPTIONS": _options(s3, PRIVATE_BUCKET)},
    }
    # Django's setting_changed handler empties storages' cache and default_storage, so fields
    # without a storage of their own follow. A field given private_storage took the storage
    # when its model was loaded, as at a server's start: it gets the overridden one here.
    with override_settings(STORAGES=stores):
        monkeypatch.setattr(Attachment._meta.get_field("file"), "storage", storages["private"])
        yield s3


def _keys(client, bucket: str) -> set[str]:
    return {item["Key"] for item in client.list_objects_v2(Bucket=bucket).get("Contents", [])}


def _object(client, bucket: str, key: str) -> bytes:
    return client.get_object(Bucket=bucket, Key=key)["Body"].read()


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def routed_to_unit(monkeypatch, unit):
    """The complaint classifier answers without a model: the case goes to `unit`."""
    guesses = {
        "nature": Guess("quality", 0.8),
        "category": Guess("food", 0.8),
        "unit": Guess(unit.code, 0.95),
    }
    monkeypatch.setattr(
        "qualitymonth.complaints.routing.router.classify", lambda text: dict(guesses)
    )


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("stories/2025/张三 身份证.JPG", rf"stories/2025/{RANDOM}\.jpg"),
        ("complaints/2025/09/receipt.pdf", rf"complaints/2025/09/{RANDOM}\.pdf"),
        ("stories/2025/page.html", rf"stories/2025/{RANDOM}"),
        ("stories/2025/image.svg", rf"stories/2025/{RANDOM}"),
        ("stories/2025/no-extension", rf"stories/2025/{RANDOM}"),
    ],
)
def test_s3_storage_gives_random_names_with_only_accepted_extensions(given, expected):
    storage = RandomNameS3Storage(bucket_name=MEDIA_BUCKET)  # naming needs no connection
    assert re.fullmatch(expected, storage.generate_filename(given))
    assert storage.generate_filename(given) != storage.generate_filename(given)


def test_s3_urls_are_the_apps_media_addresses_not_the_buckets():
    storage = RandomNameS3Storage(bucket_name=MEDIA_BUCKET, endpoint_url="http://s3.internal")
    assert storage.url("stories/2025/ab.mp4") == "/media/stories/2025/ab.mp4"


@pytest.mark.django_db
def test_a_cover_uploaded_in_the_office_lands_in_the_media_bucket_and_is_served_with_ranges(
    on_s3, staff_client, client, unit
):
    assert isinstance(storages["default"], RandomNameS3Storage)
    response = staff_client.post(
        reverse("office_articles:new"), form_data(unit, cover=png("王小红的封面.PNG"))
    )
    assert response.status_code == 302
    name = Article.objects.get().cover.name
    assert re.fullmatch(rf"articles/\d{{4}}/{RANDOM}\.png", name)
    assert name in _keys(on_s3, MEDIA_BUCKET)
    assert not any("王小红" in key for key in _keys(on_s3, MEDIA_BUCKET))
    assert name not in _keys(on_s3, PRIVATE_BUCKET)
    stored = _object(on_s3, MEDIA_BUCKET, name)

    url = Article.objects.get().cover.url
    assert url == f"/media/{name}"
    # The article is a draft: its unit reads the cover, the public does not.
    whole = staff_client.get(url)
    assert whole.status_code == 200
    assert whole["Content-Type"] == "image/png"
    assert whole["Content-Length"] == str(len(stored))
    assert _body(whole) == stored
    ranged = staff_client.get(url, HTTP_RANGE="bytes=8-23")
    assert ranged.status_code == 206
    assert ranged["Content-Range"] == f"bytes 8-23/{len(stored)}"
    assert _body(ranged) == stored[8:24]
    tail = staff_client.get(url, HTTP_RANGE="bytes=-5")
    assert tail.status_code == 206 and _body(tail) == stored[-5:]
    assert client.get(url).status_code == 404
    # The store reads a backslash as "/": spelt that way the draft's cover is still refused.
    folder, _, rest = name.partition("/")
    assert client.get(f"/media/{folder}%5C{rest}").status_code == 404
    assert client.get("/media/" + name.replace("/", "%5C")).status_code == 404


@pytest.mark.django_db
def test_bad_paths_and_ranges_on_s3_are_refused(on_s3, client):
    name = default_storage.save("reports/2025/film.mp4", png())
    assert client.get(f"/media/{name}", HTTP_RANGE="bytes=99999-").status_code == 416
    for path in ("reports/2025/missing.mp4", "../settings.py", "reports/2025", "reports//x"):
        assert client.get(f"/media/{path}").status_code == 404, path
    # A control character never reaches the store: refused before the view, and by the view.
    assert client.get("/media/reports/%00x").status_code in (400, 404)
    with pytest.raises(Http404):
        serve_media(RequestFactory().get("/"), "reports/\x00x")
    assert client.post(f"/media/{name}").status_code == 405


@pytest.mark.django_db
def test_a_complaint_attachment_lands_in_the_private_bucket_and_is_not_served_as_media(
    on_s3, staff_client, other_staff_client, client, campaign, routed_to_unit
):
    case = complaint_submit(
        data=complaint_data(attachments=[png_upload("发票照片.PNG")]), region=campaign.region
    )
    attachment = case.attachments.get()
    name = attachment.file.name
    assert re.fullmatch(rf"complaints/\d{{4}}/\d{{2}}/{RANDOM}\.png", name)
    assert name in _keys(on_s3, PRIVATE_BUCKET)
    assert name not in _keys(on_s3, MEDIA_BUCKET)
    for reader in (client, staff_client):
        assert reader.get(f"/media/{name}").status_code == 404
    # Only the case's handlers read it, through the view that checks the policy.
    url = reverse("office_complaints:attachment", args=[case.tracking_number, attachment.pk])
    response = staff_client.get(url)
    assert response.status_code == 200
    assert _body(response) == _object(on_s3, PRIVATE_BUCKET, name)
    assert other_staff_client.get(url).status_code == 404


@pytest.mark.django_db
def test_deleting_removes_the_object(on_s3, client):
    public = default_storage.save("reports/2025/photo.png", png())
    private = storages["private"].save("complaints/2025/09/receipt.pdf", png())
    assert default_storage.exists(public) and storages["private"].exists(private)
    default_storage.delete(public)
    storages["private"].delete(private)
    assert not default_storage.exists(public)
    assert not storages["private"].exists(private)
    assert public not in _keys(on_s3, MEDIA_BUCKET)
    assert private not in _keys(on_s3, PRIVATE_BUCKET)
    assert client.get(f"/media/{public}").status_code == 404
    default_storage.delete(public)  # deleting what is gone is no error


def test_media_storage_s3_in_settings_stores_in_the_bucket(s3, tmp_path):
    """settings.py's MEDIA_STORAGE=s3 block, read in a fresh process as a node would."""
    script = (
        "import django; django.setup()\n"
        "from django.core.files.base import ContentFile\n"
        "from django.core.files.storage import storages\n"
        "from qualitymonth.complaints.models import Attachment\n"
        "field = Attachment._meta.get_field('file')\n"
        "print(type(storages['default']).__name__, type(field.storage).__name__)\n"
        "print(storages['private'].save('settings-check/x.pdf', ContentFile(b'%PDF')))\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "qualitymonth.settings",
        "MEDIA_STORAGE": "s3",
        "S3_ENDPOINT_URL": s3.meta.endpoint_url,
        "S3_ACCESS_KEY_ID": "testing",
        "S3_SECRET_ACCESS_KEY": "testing",
        "S3_BUCKET": MEDIA_BUCKET,
        "S3_PRIVATE_BUCKET": PRIVATE_BUCKET,
        "QM_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    kinds, saved = result.stdout.split("\n")[:2]
    assert kinds == "RandomNameS3Storage RandomNameS3Storage"
    assert saved in _keys(s3, PRIVATE_BUCKET)
