"""Validators and normalisers shared by every app."""

import re
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from pathlib import PurePath
from typing import Annotated

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _
from pydantic import Field

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


# A short note in brackets after a name (示例, 化名): never digits, which could be a number.
_NAME_NOTE = re.compile(r"^(.+?)(\s*[（(][^（()）\d]{1,6}[)）])$")


def mask_name(value: str) -> str:
    """王小明 → 王*明, 王明 → 王*; a short trailing note in brackets (示例, 化名) is kept."""
    value = (value or "").strip()
    note = ""
    found = _NAME_NOTE.match(value)
    if found:
        value, note = found.group(1), found.group(2)
    if len(value) <= 1:
        return value + note
    if len(value) == 2:
        return value[0] + "*" + note
    return value[0] + "*" * (len(value) - 2) + value[-1] + note


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


# Characters no text here may hold: C0 controls (line breaks and tabs are decided per field),
# DEL and C1 controls, lone surrogates, and U+FFFE/U+FFFF. PostgreSQL refuses NUL, XML 1.0 (the
# Open311 feed) and Excel (the exports) refuse the rest; none of them is ever typed on purpose.
_NEVER_TEXT = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
_CONTROL_IN_TEXT_RE = re.compile(f"[{_NEVER_TEXT}]")
_CONTROL_IN_LINE_RE = re.compile(f"[{_NEVER_TEXT}\t\n\r]")


def refuse_control_characters(value: str, *, multiline: bool) -> None:
    """Raise a field error for text holding a control character (or a line break or a tab, in
    a one-line field): such text breaks the exports, the Open311 XML and PostgreSQL."""
    found = (_CONTROL_IN_TEXT_RE if multiline else _CONTROL_IN_LINE_RE).search(value)
    if found is None:
        return
    char = found.group()
    if char in "\t\n\r":
        raise ValidationError(
            _("This field holds one line: remove the line breaks and tabs."), code="one_line"
        )
    raise ValidationError(
        _(
            "This text contains an invisible control character (U+%(code)04X) that cannot be "
            "stored. Remove it (retyping the text usually does) and try again."
        ),
        code="control_character",
        params={"code": ord(char)},
    )


def field_error(field: str, message, code: str = "invalid") -> ValidationError:
    """A service's refusal of one field, shown beside it by forms and named by the API."""
    return ValidationError({field: ValidationError(message, code=code)})


def clean_text(
    field: str, value, *, limit: int, required: bool = True, multiline: bool = False
) -> str:
    """Text a service stores: stripped, present when required, within its limit, and free of
    control characters (line breaks only where the text may have lines)."""
    value = (value or "").strip()
    if required and not value:
        raise field_error(field, _("This field is required."), "required")
    if len(value) > limit:
        raise field_error(field, _("At most %(n)s characters.") % {"n": limit}, "long")
    try:
        refuse_control_characters(value, multiline=multiline)
    except ValidationError as error:
        raise field_error(field, error.messages[0], error.code or "invalid") from None
    return value


def refuse_control_characters_in(values: dict, *, multiline: frozenset | set = frozenset()) -> None:
    """The same check over the text of a dict built without a form (Open311's POST): every
    refused field at once, by name; those named in `multiline` may hold line breaks."""
    errors = {}
    for name, value in values.items():
        if isinstance(value, str):
            try:
                refuse_control_characters(value, multiline=name in multiline)
            except ValidationError as error:
                errors[name] = error
    if errors:
        raise ValidationError(errors)


# --- values a client sends: refused with a message when they cannot be stored as given ---------

# The widest integer every database here stores (a signed 64-bit BIGINT). A larger id never matches
# a row, but SQLite raises OverflowError on it and PostgreSQL an error: a 500 instead of "no such".
BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1
_INT_RE = re.compile(r"[+-]?[0-9]+")
# The same bound for API schemas: ``ids: list[DbInt]``.
DbInt = Annotated[int, Field(ge=BIGINT_MIN, le=BIGINT_MAX)]


def client_int(value, *, default=None, low: int = BIGINT_MIN, high: int = BIGINT_MAX):
    """An integer from a query string or a form, or ``default`` when it is not one in [low, high].
    ASCII digits only: '²' passes str.isdigit() and then fails int()."""
    text = "" if value is None else str(value).strip()
    if not _INT_RE.fullmatch(text) or len(text) > 20:
        return default
    number = int(text)
    return number if low <= number <= high else default


# The column's size (Django's EmailField) and RFC 5321's limit on an address in a mail path;
# Django's validate_email alone lets through addresses of up to 320 characters.
EMAIL_MAX_LENGTH = 254


def validate_email_address(value: str) -> None:
    if len(value) > EMAIL_MAX_LENGTH:
        raise ValidationError(
            _("An e-mail address has at most %(n)s characters.") % {"n": EMAIL_MAX_LENGTH},
            code="email_too_long",
        )
    try:
        validate_email(value)
    except ValidationError:
        raise ValidationError(
            _("Enter a valid e-mail address or leave it empty."), code="invalid_email"
        ) from None


# Thousands separators are accepted only where they group thousands: "1,299.50" is 1299.50, but
# "1,5" (a decimal comma) is refused rather than read as 15.
_GROUPED_RE = re.compile(r"[0-9]{1,3}([,，][0-9]{3})+(\.[0-9]*)?")
AMOUNT_MAX = Decimal("1000000000")  # one billion yuan: past any consumer dispute


def parse_amount(value, *, high: Decimal = AMOUNT_MAX) -> Decimal | None:
    """An amount in yuan exactly as typed, or a ValidationError saying why not: never rounded to
    the fen, never clipped to the maximum, no comma dropped."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value).strip()
    if _GROUPED_RE.fullmatch(text):
        text = re.sub("[,，]", "", text)
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise ValidationError(
            _("Enter the amount in yuan, e.g. 1299 or 35.50."), code="invalid_amount"
        )
    if number < 0:
        raise ValidationError(_("The amount cannot be negative."), code="invalid_amount")
    if number > high:
        raise ValidationError(
            _("The amount can be at most %(max)s yuan.") % {"max": f"{high:,.0f}"},
            code="invalid_amount",
        )
    # Compared after the bound, so quantize never meets a number past its precision.
    exact = number.quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    if number != exact:
        raise ValidationError(
            _("Give the amount to the fen at most: two decimal places, e.g. 35.50."),
            code="invalid_amount",
        )
    return exact


def fit_filename(name: str, max_length: int) -> str:
    """A file name that fits its column: the base name is shortened, the extension kept (a
    300-character camera name must not become one without its ".jpg")."""
    name = PurePath(name or "file").name or "file"
    if len(name) <= max_length:
        return name
    suffix = PurePath(name).suffix
    if len(suffix) >= max_length // 2:  # no real extension; just cut
        return name[:max_length]
    return name[: max_length - len(suffix) - 1] + "…" + suffix
