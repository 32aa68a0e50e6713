"""Photos taken on site (inspections, rectification replies): read by their content, shrunk, and
stored without any of their metadata.

A phone photo carries the place it was taken (EXIF GPS), the camera's serial number and often a
thumbnail of the uncropped picture. The place is worth keeping for the office (it shows the
inspector was there), so it is read into fields first; then the picture is redrawn into a new
image with no metadata at all, and only that is stored."""

import datetime as dt
import io
import warnings
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitymonth.core.validators import field_error

PHOTO_MAX_MB = 10
PHOTO_MAX_SIDE = 1600
# A 40-megapixel picture is past any phone camera's; a larger one is a decompression bomb.
PHOTO_MAX_PIXELS = 40_000_000
# Pillow's name for a format -> the extension the photo is stored (and served) under.
FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
GPS_IFD, EXIF_IFD = 0x8825, 0x8769
DATETIME_ORIGINAL = 36867


@dataclass(frozen=True)
class PreparedPhoto:
    content: ContentFile
    latitude: Decimal | None
    longitude: Decimal | None
    taken_at: dt.datetime | None


def _refuse(field: str) -> ValidationError:
    return field_error(field, _("The photo must be a JPEG, PNG or WebP picture."), "invalid")


def photo_prepare(upload, *, field: str = "photo") -> PreparedPhoto:
    """A stored-ready copy of an uploaded photo: at most PHOTO_MAX_SIDE pixels a side, turned
    upright, with the location and time it was taken read out and every metadata block gone."""
    from PIL import Image, ImageOps

    if not upload:
        raise field_error(field, _("Choose a photo."), "required")
    if upload.size > PHOTO_MAX_MB * 1024 * 1024:
        raise field_error(
            field, _("The photo is larger than %(n)s MB.") % {"n": PHOTO_MAX_MB}, "too_large"
        )
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
            if image.format not in FORMATS:
                raise _refuse(field)
            if image.width * image.height > PHOTO_MAX_PIXELS:
                raise field_error(
                    field, _("The picture has too many pixels for a photo."), "too_large"
                )
            extension = FORMATS[image.format]
            exif = image.getexif()
            latitude, longitude = _location(exif)
            taken_at = _taken_at(exif)
            image.load()
            image = ImageOps.exif_transpose(image)
            image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
            content = _without_metadata(image, extension)
    except ValidationError:
        raise
    except Exception:
        # Pillow raises many kinds (not an image, truncated, a decompression bomb): all mean the
        # same to the person, who should take another photo.
        raise _refuse(field) from None
    finally:
        upload.seek(0)
    return PreparedPhoto(
        content=ContentFile(content, name=f"photo{extension}"),
        latitude=latitude,
        longitude=longitude,
        taken_at=taken_at,
    )


def _without_metadata(image, extension: str) -> bytes:
    """The pixels redrawn into a new image (no EXIF, XMP, ICC, text chunks, thumbnails)."""
    from PIL import Image

    wanted = "RGB" if extension == ".jpg" else ("RGBA" if _has_alpha(image) else "RGB")
    pixels = image.convert(wanted)
    clean = Image.frombytes(wanted, pixels.size, pixels.tobytes())
    out = io.BytesIO()
    if extension == ".jpg":
        clean.save(out, format="JPEG", quality=85, optimize=True)
    elif extension == ".png":
        clean.save(out, format="PNG", optimize=True)
    else:
        clean.save(out, format="WEBP", quality=85)
    return out.getvalue()


def _has_alpha(image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def _degrees(values, ref) -> Decimal | None:
    try:
        d, m, s = (Decimal(str(float(v))) for v in values)
    except (TypeError, ValueError, InvalidOperation, ZeroDivisionError):
        return None
    value = d + m / 60 + s / 3600
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", "ignore")
    if str(ref).strip().upper() in ("S", "W"):
        value = -value
    return value.quantize(Decimal("0.000001"))


def _location(exif) -> tuple[Decimal | None, Decimal | None]:
    try:
        gps = exif.get_ifd(GPS_IFD)
    except Exception:
        return None, None
    if not gps or 2 not in gps or 4 not in gps:
        return None, None
    latitude = _degrees(gps.get(2), gps.get(1, "N"))
    longitude = _degrees(gps.get(4), gps.get(3, "E"))
    if latitude is None or longitude is None:
        return None, None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None, None
    return latitude, longitude


def _taken_at(exif) -> dt.datetime | None:
    try:
        text = exif.get_ifd(EXIF_IFD).get(DATETIME_ORIGINAL) or exif.get(306)
        taken = dt.datetime.strptime(str(text).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except Exception:
        return None
    # A camera writes local time without a zone: the site's zone is the best guess.
    return timezone.make_aware(taken) if timezone.is_naive(taken) else taken
