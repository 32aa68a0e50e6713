"""Validators and normalisers shared by every app."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
_MOBILE_NOISE_RE = re.compile(r"[\s\-()（）]")


def normalize_mobile(value: str) -> str:
    """'+86 138-0013-8000' -> '13800138000'; anything else is returned stripped for validation."""
    digits = _MOBILE_NOISE_RE.sub("", value or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    return digits


def validate_mobile(value: str) -> None:
    if not _MOBILE_RE.match(normalize_mobile(value)):
        raise ValidationError(
            _("Enter a mainland China mobile number: 11 digits starting with 13–19."),
            code="invalid_mobile",
        )


def mask_mobile(value: str) -> str:
    value = value or ""
    if len(value) < 7:
        return "*" * len(value)
    return f"{value[:3]}****{value[-4:]}"


def mask_name(value: str) -> str:
    value = (value or "").strip()
    if len(value) <= 1:
        return value
    if len(value) == 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]


def validate_xlsx_upload(upload, *, max_mb: int) -> None:
    """An uploaded .xlsx: size-limited and checked by content (a ZIP container), not by name."""
    if upload.size > max_mb * 1024 * 1024:
        raise ValidationError(_("The file is larger than %(n)s MB.") % {"n": max_mb})
    head = upload.read(4)
    upload.seek(0)
    if head != b"PK\x03\x04":
        raise ValidationError(
            _("This is not an Excel .xlsx file. Save it as “Excel Workbook (.xlsx)” and try again.")
        )
