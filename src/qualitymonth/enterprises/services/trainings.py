"""Enterprise trainings (首席质量官, 卓越绩效) and the CQO register.

A training is a campaign activity the office (or its organiser) marks as one; an enterprise's
user registers for the enterprise through the campaigns' own registration (capacity, wait list,
duplicates, check-in and the attendance certificate as for everyone). An enterprise records the
CQO its legal representative appointed; after a CQO training, each CQO who was checked in gets a
certificate number and is on the register of trained CQOs."""

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitymonth.campaigns.models import Activity, Registration
from qualitymonth.campaigns.services.registrations import registration_create
from qualitymonth.core.audit import audit_record
from qualitymonth.core.notify import Notification, notify_on_commit
from qualitymonth.core.permissions import PermissionDenied, policy
from qualitymonth.core.validators import (
    clean_text,
    field_error,
    normalize_mobile,
    validate_mobile,
)
from qualitymonth.enterprises.models import (
    ChiefQualityOfficer,
    Enterprise,
    Training,
    TrainingAttendance,
)
from qualitymonth.enterprises.training_permissions import CqoAction, TrainingAction

NAME_MAX = ChiefQualityOfficer._meta.get_field("name").max_length
POSITION_MAX = ChiefQualityOfficer._meta.get_field("position").max_length
LETTER_MAX_MB = 5
# Pillow's name for a format -> the extension the letter is stored (and served) under.
LETTER_IMAGE_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
NUMBER_PREFIX = "CQO"

logger = logging.getLogger(__name__)


def _today() -> dt.date:
    return timezone.localdate()


def _mobile(value: str) -> str:
    mobile = normalize_mobile(value)
    try:
        validate_mobile(mobile)
    except ValidationError as error:
        raise field_error("mobile", error.messages[0], "invalid_mobile") from None
    return mobile


def _collect(errors: dict, check):
    """Run one check, gathering its field errors so the person sees them all at once."""
    try:
        return check()
    except ValidationError as error:
        for field, items in error.error_dict.items():
            errors.setdefault(field, []).extend(items)
        return None


# --- the office: mark an activity as a training ---------------------------------------------------
@transaction.atomic
def training_mark(*, activity: Activity, kind: str, acting_user) -> Training:
    """Mark an activity as an enterprise training (or change its kind)."""
    policy.require(acting_user, TrainingAction.MANAGE, activity)
    if kind not in Training.Kind.values:
        raise field_error("kind", _("Choose the kind of training."), "required")
    if activity.status == Activity.Status.CANCELLED:
        raise ValidationError(
            _("A cancelled activity cannot become a training."), code="invalid_transition"
        )
    training = Training.objects.select_for_update().filter(activity=activity).first()
    before = training.kind if training else ""
    if training is None:
        training = Training.objects.create(activity=activity, kind=kind)
    elif training.kind != kind:
        if training.certified_cqos.exists():
            raise ValidationError(
                _("This training has certified CQOs; its kind can no longer change."),
                code="invalid_transition",
            )
        training.kind = kind
        training.save(update_fields=["kind"])
    audit_record(
        actor=acting_user,
        event_type="training.mark",
        target=training,
        before=before,
        after=kind,
        activity=activity.pk,
    )
    return training


# --- the enterprise: register for a training --------------------------------------------------
@transaction.atomic
def training_register(
    *,
    training: Training,
    enterprise: Enterprise,
    cqo: ChiefQualityOfficer | None = None,
    name: str = "",
    mobile: str = "",
    acting_user,
) -> TrainingAttendance:
    """A member registers someone for the enterprise; for a CQO training the attendee may be one
    of its CQOs (name and mobile are then the CQO's). Capacity, the wait list and duplicate
    numbers are the campaigns' registration rules."""
    policy.require(acting_user, TrainingAction.ATTEND, enterprise)
    if cqo is not None:
        if cqo.enterprise_id != enterprise.pk or cqo.ended_on is not None:
            raise field_error("cqo", _("Choose a serving CQO of this enterprise."), "invalid")
        if training.kind != Training.Kind.CQO:
            raise field_error("cqo", _("Only a CQO training is attended as a CQO."), "invalid")
        name, mobile = cqo.name, cqo.mobile
    errors: dict = {}
    name = _collect(errors, lambda: clean_text("name", name, limit=NAME_MAX))
    mobile = _collect(errors, lambda: _mobile(mobile))
    if errors:
        raise ValidationError(errors)
    registration = registration_create(
        activity=training.activity, name=name, mobile=mobile, user=acting_user
    )
    attendance = TrainingAttendance.objects.create(
        registration=registration, training=training, enterprise=enterprise, cqo=cqo
    )
    audit_record(
        actor=acting_user,
        event_type="training.register",
        target=attendance,
        enterprise=enterprise.pk,
        registration=registration.pk,
        cqo=cqo.pk if cqo else None,
        status=registration.status,
    )
    return attendance


# --- the enterprise: its CQOs ---------------------------------------------------------------------
def check_letter(upload: UploadedFile) -> str:
    """The extension of a letter of appointment (a PDF or a picture), read from its content."""
    if upload.size > LETTER_MAX_MB * 1024 * 1024:
        raise field_error(
            "appointment_letter",
            _("The file is larger than %(n)s MB.") % {"n": LETTER_MAX_MB},
            "too_large",
        )
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        return ".pdf"
    from PIL import Image

    found = None
    try:
        with Image.open(upload) as image:
            image.verify()
            found = image.format
    except Exception:
        # Not an image, truncated, a decompression bomb: all mean "send another file".
        found = None
    finally:
        upload.seek(0)
    if found not in LETTER_IMAGE_FORMATS:
        raise field_error(
            "appointment_letter",
            _("The letter must be a PDF or a JPEG, PNG or WebP picture."),
            "invalid",
        )
    return LETTER_IMAGE_FORMATS[found]


@transaction.atomic
def cqo_record(
    *,
    enterprise: Enterprise,
    name: str,
    mobile: str,
    position: str,
    appointed_on: dt.date | None,
    appointment_letter: UploadedFile | None = None,
    acting_user,
) -> ChiefQualityOfficer:
    """Record the CQO the enterprise's legal representative appointed."""
    policy.require(acting_user, CqoAction.RECORD, enterprise)
    errors: dict = {}
    name = _collect(errors, lambda: clean_text("name", name, limit=NAME_MAX))
    mobile = _collect(errors, lambda: _mobile(mobile))
    position = _collect(errors, lambda: clean_text("position", position, limit=POSITION_MAX))
    if not isinstance(appointed_on, dt.date):
        errors["appointed_on"] = [ValidationError(_("Give the date of appointment."), "required")]
    elif appointed_on > _today():
        errors["appointed_on"] = [
            ValidationError(_("The date of appointment cannot be in the future."), "future")
        ]
    extension = (
        _collect(errors, lambda: check_letter(appointment_letter)) if appointment_letter else None
    )
    if errors:
        raise ValidationError(errors)
    if enterprise.cqos.filter(mobile=mobile, ended_on__isnull=True).exists():
        raise field_error(
            "mobile", _("A serving CQO of this enterprise has this mobile number."), "duplicate"
        )
    cqo = ChiefQualityOfficer(
        enterprise=enterprise,
        name=name,
        mobile=mobile,
        position=position,
        appointed_on=appointed_on,
        recorded_by=acting_user,
    )
    if appointment_letter:
        # The stored name says only what the content is (core/storage.py makes it random).
        cqo.appointment_letter.save("letter" + extension, appointment_letter, save=False)
    cqo.save()
    audit_record(
        actor=acting_user,
        event_type="cqo.record",
        target=cqo,
        enterprise=enterprise.pk,
        appointed_on=appointed_on,
        letter=bool(appointment_letter),
    )
    return cqo


@transaction.atomic
def cqo_end(
    *, cqo: ChiefQualityOfficer, acting_user, ended_on: dt.date | None = None
) -> ChiefQualityOfficer:
    """End a CQO's appointment (the certificate, if any, stays on the register's history)."""
    cqo = (
        ChiefQualityOfficer.objects.select_for_update().select_related("enterprise").get(pk=cqo.pk)
    )
    policy.require(acting_user, CqoAction.RECORD, cqo.enterprise)
    if cqo.ended_on is not None:
        raise ValidationError(_("This appointment has already ended."), code="invalid_transition")
    ended_on = ended_on or _today()
    if ended_on > _today() or ended_on < cqo.appointed_on:
        raise field_error(
            "ended_on",
            _("The end date must fall between the appointment and today."),
            "invalid",
        )
    cqo.ended_on = ended_on
    cqo.save(update_fields=["ended_on"])
    audit_record(actor=acting_user, event_type="cqo.end", target=cqo, ended_on=ended_on)
    return cqo


# --- the office: certificates after a CQO training ----------------------------------------------
def training_finished(training: Training) -> bool:
    activity = training.activity
    return activity.status == Activity.Status.COMPLETED or (
        activity.status == Activity.Status.PUBLISHED and activity.phase() == "ended"
    )


def _next_number(year: int) -> str:
    prefix = f"{NUMBER_PREFIX}-{year}-"
    last = (
        ChiefQualityOfficer.objects.filter(certificate_number__startswith=prefix)
        .order_by("-certificate_number")
        .values_list("certificate_number", flat=True)
        .first()
    )
    tail = last[len(prefix) :] if last else ""
    return f"{prefix}{(int(tail) + 1) if tail.isdigit() else 1:05d}"


def _certify(cqo: ChiefQualityOfficer, training: Training, year: int, now) -> None:
    # Two offices certifying at the same moment may pick the same number: the unique column
    # refuses the second, which takes the next one.
    for _attempt in range(5):
        cqo.certificate_number = _next_number(year)
        try:
            with transaction.atomic():
                cqo.certified_at = now
                cqo.certified_by_training = training
                cqo.save(
                    update_fields=["certificate_number", "certified_at", "certified_by_training"]
                )
                return
        except IntegrityError:
            continue
    raise ValidationError(_("The certificates could not be numbered; try again."), code="busy")


@transaction.atomic
def cqos_certify(*, training: Training, acting_user) -> list[ChiefQualityOfficer]:
    """Give a certificate number to every CQO who attended this CQO training and was checked in;
    those certified already keep theirs. Returns the CQOs certified now."""
    training = (
        Training.objects.select_for_update(of=("self",))
        .select_related("activity__campaign__region", "activity__organiser")
        .get(pk=training.pk)
    )
    policy.require(acting_user, TrainingAction.MANAGE, training.activity)
    if training.kind != Training.Kind.CQO:
        raise ValidationError(
            _("Only a CQO training gives CQO certificates."), code="invalid_transition"
        )
    if not training_finished(training):
        raise ValidationError(
            _("Certificates are issued once the training has ended."), code="too_early"
        )
    year = timezone.localtime(training.activity.starts_at).year
    cqo_ids = (
        TrainingAttendance.objects.filter(
            training=training,
            cqo__isnull=False,
            cqo__certificate_number__isnull=True,
            registration__status=Registration.Status.CONFIRMED,
            registration__checked_in_at__isnull=False,
        )
        .values_list("cqo_id", flat=True)
        .distinct()
    )
    cqos = list(
        ChiefQualityOfficer.objects.select_for_update()
        .filter(pk__in=list(cqo_ids), certificate_number__isnull=True)
        .select_related("enterprise")
        .order_by("enterprise__name", "pk")
    )
    now = timezone.now()
    for cqo in cqos:
        _certify(cqo, training, year, now)
        audit_record(
            actor=acting_user,
            event_type="cqo.certify",
            target=cqo,
            number=cqo.certificate_number,
            training=training.pk,
        )
    audit_record(
        actor=acting_user,
        event_type="training.certify",
        target=training,
        certified=len(cqos),
    )
    _notify_certified(cqos, training)
    return cqos


def _notify_certified(cqos: list[ChiefQualityOfficer], training: Training) -> None:
    """Each enterprise's members (and its contact) hear of their CQOs' certificates."""
    from qualitymonth.enterprises.models import EnterpriseMember

    by_enterprise: dict[int, list[ChiefQualityOfficer]] = {}
    for cqo in cqos:
        by_enterprise.setdefault(cqo.enterprise_id, []).append(cqo)
    if not by_enterprise:
        return
    emails: dict[int, set[str]] = {}
    for member in EnterpriseMember.objects.filter(enterprise_id__in=by_enterprise).select_related(
        "user"
    ):
        if member.user.email:
            emails.setdefault(member.enterprise_id, set()).add(member.user.email)
    for enterprise_id, certified in by_enterprise.items():
        enterprise = certified[0].enterprise
        text = _("%(training)s: CQO certificates issued: %(numbers)s.") % {
            "training": training.activity.title,
            "numbers": ", ".join(c.certificate_number for c in certified),
        }
        subject = _("Quality Month CQO training")
        for email in sorted(emails.get(enterprise_id, ())):
            notify_on_commit(Notification(subject=subject, text=text, email=email))
        if enterprise.contact_mobile:
            notify_on_commit(
                Notification(subject=subject, text=text, mobile=enterprise.contact_mobile)
            )


def certify_when_completed(sender, *, activity, acting_user, **kwargs) -> None:
    """A CQO training that is completed certifies its checked-in CQOs at once (the office's
    button stays for CQOs checked in later). Whoever completed it may not issue certificates
    (rare: a unit without the right): the office's button does it then."""
    training = Training.objects.filter(activity=activity, kind=Training.Kind.CQO).first()
    if training is None:
        return
    try:
        cqos_certify(training=training, acting_user=acting_user)
    except (PermissionDenied, ValidationError):
        logger.info("CQO certificates of training %s left to the office's button", training.pk)
