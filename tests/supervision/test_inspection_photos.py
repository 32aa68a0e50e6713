"""Site photos: read by content, shrunk to 1600 px, the GPS position read out and every metadata
block gone from the stored file; anything that is not a JPEG, PNG or WebP picture (or is a
decompression bomb, or too large) is refused by field."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from qualitymonth.supervision.services import photos
from tests.supervision.inspection_helpers import image_bytes, photo_upload


def test_the_location_is_read_and_every_metadata_block_is_stripped():
    prepared = photos.photo_prepare(photo_upload("x.jpg", fmt="JPEG", gps=True))
    assert prepared.latitude == Decimal("24.460000")
    assert prepared.longitude == Decimal("118.090000")
    assert prepared.taken_at is not None and prepared.taken_at.hour == 9
    stored = Image.open(io.BytesIO(prepared.content.read()))
    assert stored.format == "JPEG" and prepared.content.name == "photo.jpg"
    assert not stored.getexif() and "exif" not in stored.info
    assert b"TestCam" not in prepared.content.open().read()


@pytest.mark.parametrize("fmt,extension", [("PNG", ".png"), ("WEBP", ".webp")])
def test_png_and_webp_keep_their_format_without_metadata(fmt, extension):
    prepared = photos.photo_prepare(photo_upload(fmt=fmt, gps=True))
    assert prepared.content.name == f"photo{extension}"
    assert b"TestCam" not in prepared.content.read()


def test_a_large_photo_is_shrunk_to_1600_pixels():
    prepared = photos.photo_prepare(photo_upload(fmt="JPEG", size=(4000, 3000)))
    assert Image.open(io.BytesIO(prepared.content.read())).size == (1600, 1200)
    assert prepared.latitude is None


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        b"GIF89a" + b"\x00" * 20,
        image_bytes("PNG")[:40],  # truncated
    ],
    ids=["empty", "svg", "gif", "truncated"],
)
def test_what_is_not_a_photo_is_refused_by_field(content):
    with pytest.raises(ValidationError) as refused:
        photos.photo_prepare(SimpleUploadedFile("a.png", content) if content else None)
    assert "photo" in refused.value.message_dict


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    # A 10000 x 10000 PNG of one colour compresses to a few KB and would take 300 MB decoded.
    bomb = Image.new("L", (10_000, 10_000))
    out = io.BytesIO()
    bomb.save(out, format="PNG")
    assert out.tell() < 1_000_000
    with pytest.raises(ValidationError) as refused:
        photos.photo_prepare(SimpleUploadedFile("bomb.png", out.getvalue()))
    assert refused.value.message_dict["photo"]


def test_a_file_over_10_mb_is_refused(monkeypatch):
    monkeypatch.setattr(photos, "PHOTO_MAX_MB", 0)
    with pytest.raises(ValidationError) as refused:
        photos.photo_prepare(photo_upload())
    assert refused.value.error_dict["photo"][0].code == "too_large"
