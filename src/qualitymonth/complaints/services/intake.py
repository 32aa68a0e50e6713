"""Receiving a case from the web form, the JSON API or Open311: check it, classify it, route it,
start its statutory clock, group it, tell the complainant its tracking number."""

import datetime as dt
import secrets
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitymonth.complaints.models import Attachment, CaseEvent, Complaint
from qualitymonth.complaints.routing import router
from qualitymonth.complaints.services.hotspots import group_assign, respondent_key
from qualitymonth.complaints.taxonomy import Category, Nature
from qualitymonth.core.audit import audit_record
from qualitymonth.core.models import Region, Unit
from qualitymonth.core.notify import Notification, notify_on_commit
from qualitymonth.core.validators import (
    fit_filename,
    normalize_mobile,
    parse_amount,
    validate_email_address,
    validate_mobile,
    validate_uscc,
)
from qualitymonth.core.workdays import add_workdays

K = Complaint.Kind
MAX_ATTACHMENTS = 5
# What an attachment's first bytes must be: the name and the browser's claimed type say nothing.
_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"GIF87a", "image/gif", ".gif"),
    (b"GIF89a", "image/gif", ".gif"),
    (b"%PDF-", "application/pdf", ".pdf"),
)
# Per field: the longest text accepted (the model's max_length, or a sane cap for free text).
_LIMITS = {
    "complainant_name": 50,
    "complainant_address": 200,
    "respondent_name": 200,
    "respondent_address": 200,
    "product_or_service": 120,
    "location": 200,
    "request": 2000,
    "facts": 5000,
}
# SAMR Order No. 20: what a complaint must contain. Reports name whom they report;
# enquiries and suggestions need only a way back to the person and what they ask.
REQUIRED_FIELDS = {
    K.COMPLAINT: (
        "complainant_name",
        "complainant_address",
        "respondent_name",
        "respondent_address",
        "request",
        "facts",
    ),
    K.REPORT: ("complainant_name", "respondent_name", "facts"),
    K.ENQUIRY: ("complainant_name", "facts"),
    K.SUGGESTION: ("complainant_name", "facts"),
}


@dataclass
class CaseInput:
    kind: str
    complainant_name: str = ""
    complainant_mobile: str = ""
    complainant_address: str = ""
    complainant_email: str = ""
    respondent_name: str = ""
    respondent_address: str = ""
    respondent_uscc: str = ""
    request: str = ""
    facts: str = ""
    product_or_service: str = ""
    amount: Decimal | str | None = None
    purchase_date: dt.date | str | None = None
    district: str | None = None  # a district's name or GB/T 2260 code
    location: str = ""
    latitude: Decimal | str | float | None = None
    longitude: Decimal | str | float | None = None
    attachments: list[UploadedFile] = field(default_factory=list)


def required_messages() -> dict[str, str]:
    return {
        "complainant_name": _("Enter your name."),
        "complainant_mobile": _("Enter your mobile number."),
        "complainant_address": _("Enter your address."),
        "respondent_name": _("Enter the name of the business."),
        "respondent_address": _("Enter the business's address."),
        "request": _("Say what you ask for (refund, repair, compensation…)."),
        "facts": _("Describe what happened."),
    }


def _coordinate(value, *, name: str, errors: dict, low, high) -> Decimal | None:
    """A map point's latitude or longitude. No comma is dropped: "24,5" is not 245."""
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or not (low <= number <= high):
        errors[name] = _("The map point is not valid.")
        return None
    return number


def _date(value, errors: dict) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            errors["purchase_date"] = _("Enter the date as YYYY-MM-DD.")
            return None
    if day > timezone.localdate():
        errors["purchase_date"] = _("The date of purchase cannot be in the future.")
    elif day < dt.date(1990, 1, 1):
        errors["purchase_date"] = _("Enter a date after 1990.")
    return day


def _district(value, region: Region, errors: dict) -> Region | None:
    if value in (None, ""):
        return None
    if isinstance(value, Region):
        found = value if value.parent_id == region.pk else None
    else:
        value = str(value).strip()
        found = Region.objects.filter(parent=region, level=Region.Level.DISTRICT).filter(
            code=value
        ).first() or (
            Region.objects.filter(parent=region, level=Region.Level.DISTRICT, name=value).first()
        )
    if found is None:
        errors["district"] = _("Choose one of the city's districts.")
    return found


def _check_attachment(upload: UploadedFile) -> tuple[str, str]:
    """The type and extension of an upload, from its content; raises for anything else."""
    limit = settings.QM_COMPLAINT_ATTACHMENT_MAX_MB
    if upload.size > limit * 1024 * 1024:
        raise ValidationError(
            _("%(name)s is larger than %(n)s MB.") % {"name": upload.name, "n": limit}
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = next(((t, e) for sig, t, e in _SIGNATURES if head.startswith(sig)), None)
    if kind is None and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        kind = ("image/webp", ".webp")
    if kind is None:
        raise ValidationError(
            _("%(name)s is not an image or a PDF. Attach photos (JPEG, PNG) or PDF files.")
            % {"name": upload.name}
        )
    content_type, extension = kind
    if content_type.startswith("image/"):
        from PIL import Image

        try:
            with Image.open(upload) as image:
                image.verify()
        except Exception:
            raise ValidationError(
                _("%(name)s could not be read as an image.") % {"name": upload.name}
            ) from None
        finally:
            upload.seek(0)
    return content_type, extension


def check_attachments(uploads, *, already: int = 0) -> list[tuple]:
    """(upload, content type, extension) for each file; every bad one named in one message."""
    uploads = [upload for upload in uploads if upload]
    if len(uploads) + already > MAX_ATTACHMENTS:
        raise ValidationError(_("Attach at most %(n)s files.") % {"n": MAX_ATTACHMENTS})
    checked, problems = [], []
    for upload in uploads:
        try:
            checked.append((upload, *_check_attachment(upload)))
        except ValidationError as error:
            problems.append(error.messages[0])
    if problems:
        raise ValidationError(" ".join(problems))
    return checked


def validate_case(data: CaseInput, *, region: Region) -> dict:
    """Every problem with the input at once, by field, in the person's language; the clean
    values otherwise."""
    errors: dict[str, str] = {}
    if data.kind not in K.values:
        errors["kind"] = _("Choose what you want to do: complain, report, ask or suggest.")
        kind = K.COMPLAINT
    else:
        kind = K(data.kind)
    clean = {}
    for name, limit in _LIMITS.items():
        value = str(getattr(data, name) or "").strip()
        if len(value) > limit:
            errors[name] = _("Keep this under %(n)s characters.") % {"n": limit}
        clean[name] = value
    required = required_messages()
    for name in REQUIRED_FIELDS[kind]:
        if not clean[name] and name not in errors:
            errors[name] = required[name]
    if clean["facts"] and len(clean["facts"]) < 10 and "facts" not in errors:
        errors["facts"] = _("Describe what happened in at least 10 characters.")
    mobile = normalize_mobile(data.complainant_mobile or "")
    if not mobile:
        errors["complainant_mobile"] = required["complainant_mobile"]
    else:
        try:
            validate_mobile(mobile)
        except ValidationError as error:
            errors["complainant_mobile"] = error.messages[0]
    email = (data.complainant_email or "").strip()
    if email:
        try:
            validate_email_address(email)
        except ValidationError as error:
            errors["complainant_email"] = error.messages[0]
    uscc = (data.respondent_uscc or "").strip().upper()
    if uscc:
        try:
            validate_uscc(uscc)
        except ValidationError as error:
            errors["respondent_uscc"] = error.messages[0]
    amount = None
    try:
        amount = parse_amount(data.amount)
    except ValidationError as error:
        errors["amount"] = error.messages[0]
    latitude = _coordinate(data.latitude, name="latitude", errors=errors, low=-90, high=90)
    longitude = _coordinate(data.longitude, name="longitude", errors=errors, low=-180, high=180)
    if (latitude is None) != (longitude is None) and "latitude" not in errors:
        errors["latitude"] = _("The map point is not valid.")
    checked = []
    try:
        checked = check_attachments(data.attachments)
    except ValidationError as error:
        errors["attachments"] = error.messages[0]
    clean.update(
        kind=kind,
        complainant_mobile=mobile,
        complainant_email=email,
        respondent_uscc=uscc,
        amount=amount,
        purchase_date=_date(data.purchase_date, errors),
        district=_district(data.district, region, errors),
        latitude=latitude.quantize(Decimal("0.000001")) if latitude is not None else None,
        longitude=longitude.quantize(Decimal("0.000001")) if longitude is not None else None,
        attachments=checked,
    )
    if errors:
        raise ValidationError(errors)
    return clean


def _route(complaint: Complaint, join: Complaint | None) -> None:
    if join is not None:
        complaint.unit_id, complaint.group = join.unit_id, join.group
        complaint.nature, complaint.category = join.nature, join.category
        complaint.routed_by, complaint.joined_to = Complaint.RoutedBy.JOINED, join
        complaint.status = Complaint.Status.TRIAGED
        return
    guesses = router.classify(complaint.text)
    if "nature" in guesses and guesses["nature"].label in Nature.values:
        complaint.nature = guesses["nature"].label
    if "category" in guesses and guesses["category"].label in Category.values:
        complaint.category = guesses["category"].label
    guess = guesses.get("unit")
    if guess is None:
        return
    complaint.routing_suggestion = guess.label[:40]
    complaint.routing_confidence = round(guess.confidence, 4)
    unit = Unit.objects.filter(code=guess.label, is_active=True).first()
    if unit and guess.confidence >= settings.QM_ROUTING_THRESHOLD:
        complaint.unit = unit
        complaint.routed_by = Complaint.RoutedBy.MODEL
        complaint.status = Complaint.Status.TRIAGED


def start_clock(complaint: Complaint) -> None:
    """The deadline that runs from receipt: the acceptance decision on a complaint (Order No. 20),
    the decision whether to open a case on a report (the administrative-penalty procedure rules),
    the city's own target for enquiries and suggestions."""
    received = timezone.localdate(complaint.received_at)
    if complaint.kind == K.COMPLAINT:
        complaint.accept_due = add_workdays(received, 7)
        complaint.due_on = complaint.accept_due
    elif complaint.kind == K.REPORT:
        complaint.verify_due = add_workdays(received, 15)
        complaint.due_on = complaint.verify_due
    else:
        complaint.due_on = add_workdays(received, settings.QM_ENQUIRY_TARGET_WORKDAYS)


def _save_attachments(complaint: Complaint, checked) -> None:
    for upload, content_type, extension in checked:
        attachment = Attachment(
            complaint=complaint,
            original_name=fit_filename(
                upload.name, Attachment._meta.get_field("original_name").max_length
            ),
            content_type=content_type,
            size=upload.size,
        )
        # A random name: what the person called the file never reaches the file system.
        attachment.file.save(f"{secrets.token_hex(12)}{extension}", upload, save=False)
        attachment.save()


@transaction.atomic
def complaint_submit(
    *,
    data: CaseInput,
    region: Region,
    channel: str = Complaint.Channel.WEB,
    user=None,
    join: Complaint | None = None,
) -> Complaint:
    clean = validate_case(data, region=region)
    attachments = clean.pop("attachments")
    if join is not None and (join.region_id != region.pk or not join.is_open or not join.unit_id):
        raise ValidationError({"join": _("That case can no longer be joined.")})
    complaint = Complaint(
        region=region,
        channel=channel,
        user=user if getattr(user, "is_authenticated", False) else None,
        **clean,
    )
    complaint.respondent_key = respondent_key(complaint.respondent_name)
    _route(complaint, join)
    start_clock(complaint)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                complaint.save()
            break
        except IntegrityError:
            # Two cases drew the same tracking number (one in a million a day): draw again.
            complaint.pk = None
            complaint.tracking_number = Complaint._meta.get_field("tracking_number").default()
    group_assign(complaint)
    complaint.save(update_fields=["group"])
    _save_attachments(complaint, attachments)
    CaseEvent.objects.create(
        complaint=complaint,
        step="received",
        to_status=Complaint.Status.RECEIVED,
        message=_("Received through %(channel)s.") % {"channel": complaint.get_channel_display()},
    )
    if complaint.unit_id:
        CaseEvent.objects.create(
            complaint=complaint,
            step="routed",
            from_status=Complaint.Status.RECEIVED,
            to_status=complaint.status,
            unit_id=complaint.unit_id,
            message=_("Passed to %(unit)s.") % {"unit": complaint.unit.name},
        )
    audit_record(
        actor=user,
        actor_label="" if getattr(user, "is_authenticated", False) else f"public:{channel}",
        event_type="complaint.submitted",
        target=complaint,
        kind=complaint.kind,
        channel=channel,
        unit=complaint.unit.code if complaint.unit_id else None,
        confidence=complaint.routing_confidence,
        joined=join.tracking_number if join else None,
    )
    notify_on_commit(
        Notification(
            subject=_("Quality Month complaints"),
            text=_(
                "We have received your case %(number)s. Follow it with this number and the last "
                "four digits of your mobile."
            )
            % {"number": complaint.tracking_number},
            mobile=complaint.complainant_mobile,
            email=complaint.complainant_email,
        )
    )
    return complaint


@transaction.atomic
def complaint_attach(*, complaint: Complaint, uploads: list[UploadedFile]) -> list[Attachment]:
    """More files for a case just filed (the API takes the case as JSON, then its files)."""
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    try:
        checked = check_attachments(uploads, already=complaint.attachments.count())
    except ValidationError as error:
        raise ValidationError({"attachments": error.messages[0]}) from None
    _save_attachments(complaint, checked)
    audit_record(
        actor=None,
        actor_label="complainant",
        event_type="complaint.attached",
        target=complaint,
        files=len(checked),
    )
    return list(complaint.attachments.all())
