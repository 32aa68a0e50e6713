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


_MOBILE_IN_TEXT_RE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
_ID_NUMBER_RE = re.compile(r"(?<!\d)(\d{6})\d{8}(\d{3}[\dXx])(?!\d)")


def mask_numbers_in_text(text: str) -> str:
    """Free text people typed may hold a mobile or ID-card number: mask them before the text is
    shown to anyone who is not handling the case."""
    text = _MOBILE_IN_TEXT_RE.sub(r"\1****\2", text or "")
    return _ID_NUMBER_RE.sub(r"\1********\2", text)


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


# GB 32100-2015: the unified social credit code's alphabet (no I, O, Z, S, V) and the weights of
# its check character.
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_character(first17: str) -> str:
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> None:
    code = (value or "").strip().upper()
    if len(code) != 18 or any(c not in _USCC_ALPHABET for c in code):
        raise ValidationError(
            _("A unified social credit code has 18 characters: digits and capital letters."),
            code="invalid_uscc",
        )
    if uscc_check_character(code[:17]) != code[17]:
        raise ValidationError(
            _("This unified social credit code is not valid: its check character is wrong."),
            code="invalid_uscc",
        )
