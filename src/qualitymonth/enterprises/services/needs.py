"""The one-stop service's flow: an enterprise files a need, the office accepts (or declines) and
dispatches it, the provider serves and delivers, the enterprise rates it and it is closed.

Every step is one function here, in one transaction, with its audit row and a message to the
people waiting on it; a step the need's present state does not allow is refused with the code
"invalid_transition" (409 in the API)."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitymonth.core.audit import audit_record
from qualitymonth.core.notify import Notification, notify_on_commit
from qualitymonth.core.permissions import PermissionDenied, policy
from qualitymonth.core.validators import (
    clean_text,
    field_error,
    fit_filename,
    parse_amount,
)
from qualitymonth.core.workdays import add_workdays
from qualitymonth.enterprises.models import (
    Deliverable,
    Enterprise,
    Need,
    Provider,
    ServiceType,
    Visit,
)
from qualitymonth.enterprises.permissions import NeedAction

S = Need.Status
PHOTO_MAX_MB = 5
DELIVERABLE_MAX_MB = 10
# An enterprise that does not rate within this many working days after delivery lets the office
# close the need: the service was given, and the clock should not run for ever.
RATE_WITHIN_WORKDAYS = 10
DESCRIPTION_MAX = 3000
PRODUCTS_MAX = Need._meta.get_field("products").max_length
NOTES_MAX = 3000
REASON_MAX = Need._meta.get_field("decline_reason").max_length
COMMENT_MAX = Need._meta.get_field("rating_comment").max_length
TITLE_MAX = Deliverable._meta.get_field("title").max_length
FEE_MAX = Decimal("99999999.99")  # the column's ten digits
# Pillow's name for a format -> the extension the file is stored (and served) under.
PHOTO_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}


def _today() -> dt.date:
    """Today in the site's time zone (one place, so tests can set the calendar)."""
    return timezone.localdate()


def _lock(need: Need) -> Need:
    return (
        Need.objects.select_for_update(of=("self",))
        .select_related("enterprise__region", "region", "service_type", "provider")
        .get(pk=need.pk)
    )


def _refuse_unless(need: Need, *allowed: str, step: str) -> None:
    if need.status not in allowed:
        raise ValidationError(
            _("This need is %(status)s; “%(step)s” is not possible now.")
            % {"status": need.get_status_display(), "step": step},
            code="invalid_transition",
        )


def _audit(need: Need, actor, event: str, before: str, **detail) -> None:
    audit_record(
        actor=actor,
        event_type=f"need.{event}",
        target=need,
        before=before,
        after=need.status,
        **detail,
    )


def _notify_enterprise(need: Need, text: str) -> None:
    """The enterprise's contact and the person who filed the need hear of each step."""
    mobile = need.enterprise.contact_mobile
    email = getattr(need.filed_by, "email", "") if need.filed_by_id else ""
    if not (mobile or email):
        return
    notify_on_commit(
        Notification(
            subject=_("Quality Month one-stop service"),
            text=_("Need %(number)s: %(text)s") % {"number": need.number, "text": text},
            mobile=mobile,
            email=email or "",
        )
    )


def _notify_provider(need: Need, text: str) -> None:
    # An expert has an account with an address; an institution's queue is its staff's page.
    user = need.provider.user if need.provider and need.provider.user_id else None
    if user is None or not user.email:
        return
    notify_on_commit(
        Notification(
            subject=_("Quality Month one-stop service"),
            text=_("Need %(number)s: %(text)s") % {"number": need.number, "text": text},
            email=user.email,
        )
    )


# --- filing -------------------------------------------------------------------------------------
def _next_number(day: dt.date) -> str:
    prefix = f"N{day:%Y%m%d}"
    last = (
        Need.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    sequence = int(last[len(prefix) :]) + 1 if last and last[len(prefix) :].isdigit() else 1
    return f"{prefix}{sequence:04d}"


def need_file(
    *,
    enterprise: Enterprise,
    service_type: ServiceType,
    description: str,
    acting_user,
    products: str = "",
    wished_from: dt.date | None = None,
    wished_until: dt.date | None = None,
    public_consent: bool = False,
    programme=None,
) -> Need:
    """A need is filed: by a member of the enterprise, by its quality steward on its behalf, or
    by the office (a phone call, a programme's planned visit). The response clock starts today."""
    policy.require(acting_user, NeedAction.FILE, enterprise)
    if service_type is None or not service_type.is_active:
        raise field_error("service_type", _("Choose a service from the catalogue."), "required")
    description = clean_text(
        "description", description, limit=DESCRIPTION_MAX, required=True, multiline=True
    )
    products = clean_text("products", products, limit=PRODUCTS_MAX, required=False, multiline=False)
    wished_from, wished_until = _wished_dates(wished_from, wished_until)
    today = _today()
    # Two needs filed in the same instant may pick the same number: the unique column refuses
    # the second, which takes the next one.
    for _attempt in range(5):
        try:
            with transaction.atomic():
                need = Need.objects.create(
                    number=_next_number(today),
                    region=enterprise.region,
                    enterprise=enterprise,
                    service_type=service_type,
                    description=description,
                    products=products,
                    wished_from=wished_from,
                    wished_until=wished_until,
                    programme=programme,
                    filed_by=acting_user,
                    respond_by=add_workdays(today, service_type.response_workdays),
                    public_consent=bool(public_consent),
                )
                _audit(
                    need,
                    acting_user,
                    "filed",
                    "",
                    service_type=service_type.code,
                    **({"programme": programme.pk} if programme is not None else {}),
                )
                _notify_enterprise(
                    need,
                    _("received; the office will answer by %(day)s.")
                    % {"day": f"{need.respond_by:%Y-%m-%d}"},
                )
                return need
        except IntegrityError:
            continue
    raise ValidationError(_("The need could not be numbered; send it again."), code="busy")


def _wished_dates(wished_from, wished_until) -> tuple:
    if wished_from and wished_until and wished_until < wished_from:
        raise field_error("wished_until", _("The last wished day comes before the first."), "order")
    if wished_until and wished_until < _today():
        raise field_error("wished_until", _("The wished dates are already past."), "past")
    return wished_from, wished_until


# --- the office: accept, decline, dispatch, close ----------------------------------------------
def _accept(need: Need) -> None:
    need.status = S.ACCEPTED
    need.accepted_at = timezone.now()
    # The service cannot be done before the day the enterprise wants it (a programme's planned
    # visit, a wished date): its completion clock starts then, not today.
    start = max(_today(), need.wished_from) if need.wished_from else _today()
    need.complete_by = add_workdays(start, need.service_type.completion_workdays)


@transaction.atomic
def need_accept(*, need: Need, acting_user) -> Need:
    """The office takes the need on; the completion clock starts."""
    need = _lock(need)
    policy.require(acting_user, NeedAction.DISPATCH, need)
    _refuse_unless(need, S.SUBMITTED, step=_("Accept"))
    before = need.status
    _accept(need)
    need.save(update_fields=["status", "accepted_at", "complete_by"])
    _audit(need, acting_user, "accepted", before, complete_by=need.complete_by)
    _notify_enterprise(
        need,
        _("accepted; to be completed by %(day)s.") % {"day": f"{need.complete_by:%Y-%m-%d}"},
    )
    return need


@transaction.atomic
def need_decline(*, need: Need, acting_user, reason: str) -> Need:
    """The office returns the need with a reason the enterprise reads."""
    need = _lock(need)
    policy.require(acting_user, NeedAction.DISPATCH, need)
    reason = clean_text("reason", reason, limit=REASON_MAX, required=True, multiline=True)
    _refuse_unless(need, S.SUBMITTED, S.ACCEPTED, step=_("Decline"))
    before = need.status
    need.status = S.DECLINED
    need.decline_reason = reason
    need.closed_at = timezone.now()
    need.save(update_fields=["status", "decline_reason", "closed_at"])
    _audit(need, acting_user, "declined", before, reason=reason)
    _notify_enterprise(need, _("declined: %(reason)s") % {"reason": reason})
    return need


def provider_offers(provider: Provider, need: Need) -> bool:
    return (
        provider.is_active
        and provider.service_types.filter(pk=need.service_type_id).exists()
        and provider.region_id in {r.pk for r in need.region.ancestors_and_self()}
    )


@transaction.atomic
def need_dispatch(*, need: Need, provider: Provider, acting_user, reason: str = "") -> Need:
    """The office sends the need to a provider that offers its service. From "submitted" this
    also accepts it; a need not yet started may be sent to another provider. Choosing another
    provider than the platform's first suggestion needs a reason (kept in the audit trail)."""
    from qualitymonth.enterprises.need_selectors import dispatch_suggestions

    need = _lock(need)
    policy.require(acting_user, NeedAction.DISPATCH, need)
    _refuse_unless(need, S.SUBMITTED, S.ACCEPTED, S.DISPATCHED, step=_("Dispatch"))
    if provider is None or not provider_offers(provider, need):
        raise field_error(
            "provider", _("Choose a provider that offers this service."), "invalid_provider"
        )
    if need.status == S.DISPATCHED and need.provider_id == provider.pk:
        raise field_error("provider", _("The need is already with this provider."), "duplicate")
    reason = clean_text("reason", reason, limit=REASON_MAX, required=False, multiline=True)
    first = dispatch_suggestions(need).values_list("pk", flat=True).first()
    if first is not None and first != provider.pk and not reason:
        raise field_error(
            "reason",
            _("Say why you chose another provider than the one suggested."),
            "required",
        )
    before, previous = need.status, need.provider_id
    if need.status == S.SUBMITTED:
        _accept(need)
    need.status = S.DISPATCHED
    need.provider = provider
    need.dispatched_at = timezone.now()
    need.save(update_fields=["status", "accepted_at", "complete_by", "provider", "dispatched_at"])
    _audit(
        need,
        acting_user,
        "dispatched",
        before,
        provider=provider.pk,
        previous_provider=previous,
        suggested=first,
        reason=reason,
    )
    _notify_enterprise(need, _("sent to %(provider)s.") % {"provider": provider.name})
    _notify_provider(need, _("a new need for you to serve."))
    return need


@transaction.atomic
def need_close(*, need: Need, acting_user) -> Need:
    """The office closes a delivered need the enterprise did not rate in time."""
    need = _lock(need)
    policy.require(acting_user, NeedAction.DISPATCH, need)
    _refuse_unless(need, S.DELIVERED, step=_("Close"))
    delivered = timezone.localdate(need.delivered_at)
    may_close_after = add_workdays(delivered, RATE_WITHIN_WORKDAYS)
    if _today() <= may_close_after:
        raise ValidationError(
            _("The enterprise may rate the service until %(day)s; close it after that.")
            % {"day": f"{may_close_after:%Y-%m-%d}"},
            code="too_early",
        )
    before = need.status
    need.status = S.CLOSED
    need.closed_at = timezone.now()
    need.save(update_fields=["status", "closed_at"])
    _audit(need, acting_user, "closed", before, unrated=True)
    _notify_enterprise(need, _("closed without a rating."))
    return need


# --- the provider: start, visits, deliverables, delivery ---------------------------------------
@transaction.atomic
def need_start(*, need: Need, acting_user) -> Need:
    need = _lock(need)
    policy.require(acting_user, NeedAction.SERVE, need)
    _refuse_unless(need, S.DISPATCHED, step=_("Start"))
    before = need.status
    need.status = S.IN_SERVICE
    need.save(update_fields=["status"])
    _audit(need, acting_user, "started", before)
    _notify_enterprise(need, _("%(provider)s has started.") % {"provider": need.provider.name})
    return need


def check_photo(upload: UploadedFile | None) -> str:
    """The extension of a visit photo, read from its content; a field error for anything that
    is not a JPEG, PNG or WebP picture of at most PHOTO_MAX_MB."""
    if upload.size > PHOTO_MAX_MB * 1024 * 1024:
        raise field_error(
            "photo", _("The photo is larger than %(n)s MB.") % {"n": PHOTO_MAX_MB}, "too_large"
        )
    extension = _image_extension(upload)
    if extension is None:
        raise field_error("photo", _("The photo must be a JPEG, PNG or WebP picture."), "invalid")
    return extension


def _image_extension(upload: UploadedFile) -> str | None:
    from PIL import Image

    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.verify()
            found = image.format
    except Exception:
        # Pillow raises many kinds (not an image, truncated, a decompression bomb): all mean
        # the same to the person, who should send another file.
        found = None
    finally:
        upload.seek(0)
    return PHOTO_FORMATS.get(found)


def check_deliverable(upload: UploadedFile | None) -> str:
    """The extension of a deliverable (a PDF or a picture), read from its content."""
    if not upload:
        raise field_error("file", _("Attach the report (PDF or picture)."), "required")
    if upload.size > DELIVERABLE_MAX_MB * 1024 * 1024:
        raise field_error(
            "file",
            _("The file is larger than %(n)s MB.") % {"n": DELIVERABLE_MAX_MB},
            "too_large",
        )
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        return ".pdf"
    extension = _image_extension(upload)
    if extension is None:
        raise field_error(
            "file", _("The file must be a PDF or a JPEG, PNG or WebP picture."), "invalid"
        )
    return extension


def _count(field: str, value) -> int:
    try:
        number = int(value or 0)
    except (TypeError, ValueError):
        number = -1
    if not 0 <= number <= 999:
        raise field_error(field, _("Give a number from 0 to 999."), "invalid")
    return number


@transaction.atomic
def visit_log(
    *,
    need: Need,
    acting_user,
    visited_on: dt.date,
    notes: str,
    problems_found: int = 0,
    problems_solved: int = 0,
    photo: UploadedFile | None = None,
) -> Visit:
    """The provider records a visit to the enterprise."""
    need = _lock(need)
    policy.require(acting_user, NeedAction.SERVE, need)
    _refuse_unless(need, S.IN_SERVICE, step=_("Log a visit"))
    errors: dict[str, list] = {}

    def collect(check):
        try:
            return check()
        except ValidationError as error:
            for field, items in error.error_dict.items():
                errors.setdefault(field, []).extend(items)
            return None

    if not isinstance(visited_on, dt.date):
        errors["visited_on"] = [ValidationError(_("Give the date of the visit."), "required")]
    elif visited_on > _today():
        errors["visited_on"] = [
            ValidationError(_("The visit date cannot be in the future."), "future")
        ]
    notes = collect(
        lambda: clean_text("notes", notes, limit=NOTES_MAX, required=True, multiline=True)
    )
    found = collect(lambda: _count("problems_found", problems_found))
    solved = collect(lambda: _count("problems_solved", problems_solved))
    if found is not None and solved is not None and solved > found:
        errors["problems_solved"] = [
            ValidationError(_("More problems solved than found."), "invalid")
        ]
    extension = collect(lambda: check_photo(photo)) if photo else None
    if errors:
        raise ValidationError(errors)
    visit = Visit(
        need=need,
        visited_on=visited_on,
        logged_by=acting_user,
        notes=notes,
        problems_found=found,
        problems_solved=solved,
    )
    if photo:
        # The stored name says only what the content is (core/storage.py makes it random).
        visit.photo.save("visit" + extension, photo, save=False)
    visit.save()
    _audit(
        need,
        acting_user,
        "visit_logged",
        need.status,
        visit=visit.pk,
        visited_on=visited_on,
        problems_found=found,
        problems_solved=solved,
    )
    _notify_enterprise(need, _("visit of %(day)s recorded.") % {"day": f"{visited_on:%Y-%m-%d}"})
    return visit


@transaction.atomic
def deliverable_add(
    *, need: Need, acting_user, title: str, file: UploadedFile | None
) -> Deliverable:
    """The provider uploads a report, certificate or result."""
    need = _lock(need)
    policy.require(acting_user, NeedAction.SERVE, need)
    _refuse_unless(need, S.IN_SERVICE, step=_("Add a deliverable"))
    errors: dict[str, list] = {}
    checked = {}
    for name, check in (
        (
            "title",
            lambda: clean_text("title", title, limit=TITLE_MAX, required=True, multiline=False),
        ),
        ("extension", lambda: check_deliverable(file)),
    ):
        try:
            checked[name] = check()
        except ValidationError as error:
            for field, items in error.error_dict.items():
                errors.setdefault(field, []).extend(items)
    if errors:
        raise ValidationError(errors)
    title, extension = checked["title"], checked["extension"]
    original = fit_filename(file.name, Deliverable._meta.get_field("original_name").max_length)
    deliverable = Deliverable(
        need=need, title=title, original_name=original, uploaded_by=acting_user
    )
    deliverable.file.save("deliverable" + extension, file, save=False)
    deliverable.save()
    _audit(need, acting_user, "deliverable_added", need.status, deliverable=deliverable.pk)
    return deliverable


def clean_fees(*, fee_standard, fee_charged, relief: str = "", is_charged: bool = True) -> dict:
    """The fee fields, checked together: both amounts or neither, the charge never above the
    standard fee, and a relief that matches what the amounts say."""
    errors: dict[str, list] = {}
    amounts = {}
    for field, value in (("fee_standard", fee_standard), ("fee_charged", fee_charged)):
        try:
            amounts[field] = parse_amount(value, high=FEE_MAX)
        except ValidationError as error:
            errors[field] = [ValidationError(error.messages[0], code="invalid_amount")]
    relief = relief or ""
    if relief not in Need.Relief.values:
        errors["relief"] = [ValidationError(_("Choose a fee relief from the list."), "invalid")]
    if errors:
        raise ValidationError(errors)
    standard, charged = amounts["fee_standard"], amounts["fee_charged"]
    if (standard is None) != (charged is None):
        missing = "fee_charged" if charged is None else "fee_standard"
        raise field_error(missing, _("Give both the standard fee and the fee charged."))
    if standard is not None and charged > standard:
        raise field_error(
            "fee_charged", _("The fee charged cannot exceed the standard fee."), "invalid_fee"
        )
    if relief == Need.Relief.WAIVED and charged:
        raise field_error("relief", _("A waived fee means nothing was charged."), "invalid_fee")
    if relief == Need.Relief.REDUCED and (standard is None or charged >= standard):
        raise field_error(
            "relief", _("A reduced fee must be below the standard fee."), "invalid_fee"
        )
    return {"fee_standard": standard, "fee_charged": charged, "relief": relief}


@transaction.atomic
def need_deliver(
    *, need: Need, acting_user, fee_standard=None, fee_charged=None, relief: str = ""
) -> Need:
    """The provider hands the service over (after at least one visit or deliverable), with the
    fees: the difference between standard and charged is the money the campaign saved."""
    need = _lock(need)
    policy.require(acting_user, NeedAction.SERVE, need)
    _refuse_unless(need, S.IN_SERVICE, step=_("Deliver"))
    fees = clean_fees(fee_standard=fee_standard, fee_charged=fee_charged, relief=relief)
    if not (need.visits.exists() or need.deliverables.exists()):
        raise ValidationError(
            _("Log a visit or add a deliverable before delivering."), code="invalid_transition"
        )
    before = need.status
    need.status = S.DELIVERED
    need.delivered_at = timezone.now()
    for field, value in fees.items():
        setattr(need, field, value)
    need.save(update_fields=["status", "delivered_at", *fees])
    _audit(need, acting_user, "delivered", before, **fees)
    _notify_enterprise(
        need, _("delivered. Please confirm and rate the service within 10 working days.")
    )
    return need


@transaction.atomic
def need_fees_record(*, need: Need, acting_user, fee_standard, fee_charged, relief="") -> Need:
    """The office (or the provider) corrects the fees of a delivered need."""
    need = _lock(need)
    if not (
        policy.can(acting_user, NeedAction.DISPATCH, need)
        or policy.can(acting_user, NeedAction.SERVE, need)
    ):
        raise PermissionDenied(NeedAction.DISPATCH)
    _refuse_unless(need, S.DELIVERED, S.CLOSED, step=_("Record the fees"))
    fees = clean_fees(fee_standard=fee_standard, fee_charged=fee_charged, relief=relief)
    before = {field: getattr(need, field) for field in fees}
    for field, value in fees.items():
        setattr(need, field, value)
    need.save(update_fields=list(fees))
    _audit(need, acting_user, "fees_recorded", need.status, was=before, **fees)
    return need


# --- the enterprise: rate -------------------------------------------------------------------
@transaction.atomic
def need_rate(*, need: Need, acting_user, rating, comment: str = "") -> Need:
    """The enterprise confirms the service and rates it (1–5); the need is closed."""
    need = _lock(need)
    policy.require(acting_user, NeedAction.RATE, need)
    _refuse_unless(need, S.DELIVERED, step=_("Rate"))
    try:
        stars = int(rating)
    except (TypeError, ValueError):
        stars = 0
    if not 1 <= stars <= 5:
        raise field_error("rating", _("Give a rating from 1 to 5."), "invalid")
    comment = clean_text("comment", comment, limit=COMMENT_MAX, required=False, multiline=True)
    before = need.status
    need.status = S.CLOSED
    need.rating = stars
    need.rating_comment = comment
    need.closed_at = timezone.now()
    need.save(update_fields=["status", "rating", "rating_comment", "closed_at"])
    _audit(need, acting_user, "rated", before, rating=stars)
    if need.provider_id:
        _notify_provider(need, _("rated %(n)s of 5.") % {"n": stars})
    return need
