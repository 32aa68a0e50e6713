"""Claims: a person asks to act for an enterprise, with its business licence; the campaign
office of the enterprise's region approves (the person becomes a member) or declines with a
reason."""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitymonth.core.audit import audit_record
from qualitymonth.core.notify import Notification, notify_on_commit
from qualitymonth.core.permissions import policy
from qualitymonth.core.validators import (
    normalize_mobile,
    refuse_control_characters,
    validate_uscc,
)
from qualitymonth.enterprises.models import Claim, Enterprise, EnterpriseMember
from qualitymonth.enterprises.permissions import Action

LICENCE_MAX_MB = 5
# Pillow's name for the format -> the extension the file is stored (and served) under.
LICENCE_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
POSITION_MAX = Claim._meta.get_field("position").max_length
REASON_MAX = Claim._meta.get_field("reason").max_length


def _field_error(field: str, message: str, code: str) -> ValidationError:
    """A field's error with its code (a dict of plain messages would drop the code)."""
    return ValidationError({field: ValidationError(message, code=code)})


def normalize_uscc(value: str) -> str:
    return (value or "").strip().upper()


def check_licence(upload: UploadedFile | None) -> str:
    """The extension of a licence image, read from its content (not its name); raises a field
    error for anything that is not a JPEG, PNG or WebP picture of at most LICENCE_MAX_MB."""
    if not upload:
        raise _field_error(
            "licence", _("Attach a photo or scan of the business licence."), "required"
        )
    if upload.size > LICENCE_MAX_MB * 1024 * 1024:
        raise _field_error(
            "licence",
            _("The licence image is larger than %(n)s MB.") % {"n": LICENCE_MAX_MB},
            "too_large",
        )
    from PIL import Image

    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.verify()
            found = image.format
    except Exception:
        # Pillow raises many kinds (not an image, truncated, a decompression bomb): all mean the
        # same to the person, who should send another picture.
        found = None
    finally:
        upload.seek(0)
    if found not in LICENCE_FORMATS:
        raise _field_error(
            "licence", _("The licence must be a JPEG, PNG or WebP picture."), "invalid"
        )
    return LICENCE_FORMATS[found]


def _enterprise_for(uscc: str) -> Enterprise:
    code = normalize_uscc(uscc)
    if not code:
        raise _field_error(
            "uscc", _("Enter the enterprise's unified social credit code."), "required"
        )
    # An exception the office registered fails the GB 32100 check but is in the registry: look
    # it up before checking the code.
    enterprise = Enterprise.objects.select_related("region").filter(uscc=code).first()
    if enterprise is not None:
        return enterprise
    try:
        validate_uscc(code)
    except ValidationError as error:
        raise _field_error("uscc", error.messages[0], "invalid_uscc") from None
    raise _field_error(
        "uscc",
        _(
            "No enterprise with this code is in the registry yet. The campaign office must "
            "register it first: send it an enquiry with the enterprise's name and code, "
            "then claim it again."
        ),
        "not_registered",
    )


def claim_submit(
    *, user, mobile: str | None, uscc: str, position: str, licence: UploadedFile | None
) -> Claim:
    """File a claim for the enterprise with this code; the mobile is the one the person proved."""
    if not getattr(user, "is_authenticated", False):
        raise ValidationError(_("Log in to claim an enterprise."), code="unauthenticated")
    if not mobile:
        raise ValidationError(
            _("Verify your mobile number before claiming an enterprise."), code="mobile_required"
        )
    # Every field is checked, so one answer names every problem (codes: the API's status).
    errors: dict[str, list[ValidationError]] = {}
    enterprise = None
    try:
        enterprise = _enterprise_for(uscc)
    except ValidationError as error:
        errors["uscc"] = error.error_dict["uscc"]
    position = (position or "").strip()
    try:
        _check_position(position)
    except ValidationError as error:
        errors["position"] = [ValidationError(m, code=error.code) for m in error.messages]
    extension = None
    try:
        extension = check_licence(licence)
    except ValidationError as error:
        errors["licence"] = error.error_dict["licence"]
    if enterprise is not None:
        duplicate = _already(enterprise, user)
        if duplicate:
            errors["uscc"] = [ValidationError(duplicate, code="duplicate")]
    if errors:
        raise ValidationError(errors)
    # The stored name says only what the content is (core/storage.py gives it a random name).
    licence.name = "licence" + extension
    try:
        with transaction.atomic():
            claim = Claim.objects.create(
                enterprise=enterprise,
                user=user,
                mobile=normalize_mobile(mobile),
                position=position,
                licence=licence,
            )
            audit_record(
                actor=user,
                event_type="enterprise.claim_submitted",
                target=claim,
                enterprise=enterprise.pk,
            )
    except IntegrityError:
        # Two submissions at once: the constraint keeps one pending claim, the other is told.
        raise _field_error(
            "uscc",
            _("Your claim for this enterprise is already waiting for the office."),
            "duplicate",
        ) from None
    return claim


def _check_position(position: str) -> None:
    if not position:
        raise ValidationError(_("Say what your position in the enterprise is."), code="required")
    if len(position) > POSITION_MAX:
        raise ValidationError(_("At most %(n)s characters.") % {"n": POSITION_MAX}, code="long")
    refuse_control_characters(position, multiline=False)


def _already(enterprise: Enterprise, user) -> str:
    """Why this person may not claim this enterprise again ("" when they may)."""
    if EnterpriseMember.objects.filter(enterprise=enterprise, user=user).exists():
        return _("You already act for this enterprise.")
    if Claim.objects.filter(enterprise=enterprise, user=user, status=Claim.Status.PENDING).exists():
        return _("Your claim for this enterprise is already waiting for the office.")
    return ""


def _decide(*, claim: Claim, acting_user, status: str, reason: str = "") -> Claim:
    policy.require(acting_user, Action.CLAIM_DECIDE, claim.enterprise)
    with transaction.atomic():
        locked = Claim.objects.select_for_update().get(pk=claim.pk)
        if locked.status != Claim.Status.PENDING:
            raise ValidationError(_("This claim was already decided."), code="invalid_transition")
        locked.status = status
        locked.reason = reason
        locked.decided_by = acting_user
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "reason", "decided_by", "decided_at"])
        if status == Claim.Status.APPROVED:
            EnterpriseMember.objects.get_or_create(
                enterprise_id=locked.enterprise_id, user=locked.user
            )
        audit_record(
            actor=acting_user,
            event_type=f"enterprise.claim_{status}",
            target=locked,
            enterprise=locked.enterprise_id,
            claimant=locked.user_id,
            reason=reason,
        )
        notify_on_commit(
            Notification(
                subject=_("Quality Month"),
                text=(
                    _("Your claim for %(name)s was approved: you can now act for it.")
                    if status == Claim.Status.APPROVED
                    else _("Your claim for %(name)s was declined: %(reason)s")
                )
                % {"name": claim.enterprise.name, "reason": reason},
                mobile=locked.mobile,
                email=getattr(locked.user, "email", "") or "",
            )
        )
    claim.refresh_from_db()
    return claim


def claim_approve(*, claim: Claim, acting_user) -> Claim:
    """The office accepts the claim: the person becomes a member of the enterprise."""
    return _decide(claim=claim, acting_user=acting_user, status=Claim.Status.APPROVED)


def claim_decline(*, claim: Claim, acting_user, reason: str) -> Claim:
    """The office refuses the claim; the person is told why."""
    policy.require(acting_user, Action.CLAIM_DECIDE, claim.enterprise)
    reason = (reason or "").strip()
    if not reason:
        raise _field_error(
            "reason", _("Say why the claim is declined; the person will read it."), "required"
        )
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("At most %(n)s characters.") % {"n": REASON_MAX}})
    try:
        refuse_control_characters(reason, multiline=True)
    except ValidationError as error:
        raise ValidationError({"reason": error.messages}) from None
    return _decide(
        claim=claim, acting_user=acting_user, status=Claim.Status.DECLINED, reason=reason
    )
