"""The directories a city's office keeps for "双随机、一公开": subjects (enterprises, school
canteens, elevators), inspectors and the links they declare, check items, product categories,
and the city's own figures (`Rules`). Every write is checked by the policy, validated here
(forms and the API only check shapes) and audited in its transaction."""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitymonth.core.audit import audit_record
from qualitymonth.core.models import Membership, Region, Unit
from qualitymonth.core.permissions import policy
from qualitymonth.core.validators import clean_text, client_int, field_error
from qualitymonth.supervision.models import (
    Canteen,
    CheckItem,
    Checklist,
    ConflictLink,
    Elevator,
    Inspector,
    ProductCategory,
    RiskGrade,
    Rules,
    Subject,
    SubjectKind,
)
from qualitymonth.supervision.permissions import SupervisionAction

LICENCE_RE = re.compile(r"JY\d{14}")
REGISTRATION_RE = re.compile(r"[A-Z0-9][A-Z0-9-]{3,29}")
CODE_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
PHONE_RE = re.compile(r"\d{3,12}")
# The checklists the inspection topic ships; a city may add its own (Checklist rows).
CHECKLISTS = ("canteen", "elevator", "sampling")
SHARE_MIN, SHARE_MAX = Decimal("0.01"), Decimal("100")
PUBLICATION_MAX = 60
FINE_MAX = Decimal("100000000")
# (field, lowest, highest) of the city's figures; the national rule is the floor where it sets one.
RULE_BOUNDS = {
    "canteen_sample_grams": (125, 1000),
    "canteen_sample_hours": (48, 720),
    "elevator_maintenance_days": (1, 90),
    "retest_days": (15, 60),
}

COMMON_FIELDS = ("name", "address", "district", "supervising_unit", "risk_grade", "enterprise")
CANTEEN_FIELDS = ("school", "school_kind", "canteen", "licence_number")
ELEVATOR_FIELDS = (
    "registration_code",
    "building",
    "user_unit",
    "maintenance_company",
    "last_maintained_on",
    "certificate_number",
    "certificate_expires_on",
)


def _audit(actor, event: str, target, **detail) -> None:
    audit_record(actor=actor, event_type=f"supervision.directory.{event}", target=target, **detail)


class _Errors:
    """Collects field errors so a form or a sheet row shows all of them at once."""

    def __init__(self):
        self.found: dict[str, list[ValidationError]] = {}

    def add(self, field: str, message, code: str = "invalid") -> None:
        self.found.setdefault(field, []).append(ValidationError(message, code=code))

    def take(self, error: ValidationError) -> None:
        for field, errors in error.error_dict.items():
            self.found.setdefault(field, []).extend(errors)

    def text(self, field: str, value, **kwargs) -> str:
        try:
            return clean_text(field, value if isinstance(value, str) else "", **kwargs)
        except ValidationError as error:
            self.take(error)
            return ""

    def raise_any(self) -> None:
        if self.found:
            raise ValidationError(self.found)


def city_of(region: Region) -> Region:
    """The city a region belongs to (itself when it is one)."""
    if region.level == Region.Level.DISTRICT and region.parent_id:
        return region.parent
    return region


def _require_city(region, acting_user) -> Region:
    if not isinstance(region, Region) or region.level != Region.Level.CITY:
        policy.require(acting_user, SupervisionAction.DIRECTORY, None)
        raise field_error("city", _("Choose a city."), "required")
    policy.require(acting_user, SupervisionAction.DIRECTORY, region)
    return region


# --- subjects ------------------------------------------------------------------------------------
def _date(errors: _Errors, field: str, value, *, not_after: dt.date | None = None):
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value).strip()[:10])
        except ValueError:
            errors.add(field, _("Give a date as YYYY-MM-DD."))
            return None
    if not dt.date(1990, 1, 1) <= value <= dt.date(2100, 12, 31):
        errors.add(field, _("Give a date between 1990 and 2100."))
        return None
    if not_after is not None and value > not_after:
        errors.add(field, _("The date has not come yet."), "future")
        return None
    return value


def _district(errors: _Errors, city: Region, value) -> Region | None:
    if value in (None, ""):
        return None
    if not isinstance(value, Region) or value.parent_id != city.pk:
        errors.add("district", _("Choose a district of the city."))
        return None
    return value


def _unit(errors: _Errors, city: Region, value) -> Unit | None:
    if value in (None, ""):
        return None
    if not isinstance(value, Unit) or city.pk not in (value.region_id, value.region.parent_id):
        errors.add("supervising_unit", _("Choose a unit of the city or of one of its districts."))
        return None
    return value


def _enterprise(errors: _Errors, city: Region, value, *, required: bool):
    from qualitymonth.enterprises.models import Enterprise

    if value in (None, ""):
        if required:
            errors.add("enterprise", _("Choose the enterprise from the registry."), "required")
        return None
    if not isinstance(value, Enterprise) or city.pk not in (
        value.region_id,
        value.region.parent_id,
    ):
        errors.add("enterprise", _("Choose an enterprise of the city's registry."))
        return None
    return value


def _clean_subject(city: Region, kind: str, data: dict, instance: Subject | None) -> dict:
    """The subject's fields and its details' (canteen / elevator), checked; every problem at
    once as field errors."""
    errors = _Errors()
    if kind not in SubjectKind.values:
        errors.add("kind", _("Choose the kind of subject."), "required")
        errors.raise_any()
    enterprise = _enterprise(
        errors, city, data.get("enterprise"), required=kind == SubjectKind.ENTERPRISE
    )
    cleaned = {
        "enterprise": enterprise,
        "address": errors.text("address", data.get("address"), limit=200, required=False),
        "district": _district(errors, city, data.get("district")),
        "supervising_unit": _unit(errors, city, data.get("supervising_unit")),
        "risk_grade": str(data.get("risk_grade") or "").strip().upper(),
        "industry": None,
    }
    if cleaned["risk_grade"] not in ("", *RiskGrade.values):
        errors.add("risk_grade", _("Choose a risk grade from A to D."))
    name = errors.text("name", data.get("name"), limit=120, required=False)
    details: dict = {}
    if kind == SubjectKind.ENTERPRISE and enterprise is not None:
        # The registry is the source: name, district and industry are copied from it.
        name = name or enterprise.name
        cleaned["district"] = cleaned["district"] or enterprise.district
        cleaned["industry"] = enterprise.industry
        cleaned["address"] = (
            cleaned["address"]
            or (enterprise.operating_address or enterprise.registered_address)[:200]
        )
        taken = Subject.objects.filter(region=city, kind=kind, enterprise=enterprise)
        if instance is not None:
            taken = taken.exclude(pk=instance.pk)
        if taken.exists():
            errors.add("enterprise", _("This enterprise is already in the directory."), "duplicate")
    elif kind == SubjectKind.CANTEEN:
        details = {
            "school": errors.text("school", data.get("school"), limit=120),
            "school_kind": str(data.get("school_kind") or ""),
            "canteen": errors.text("canteen", data.get("canteen"), limit=60, required=False),
            "licence_number": str(data.get("licence_number") or "").strip().upper(),
        }
        if details["school_kind"] not in Canteen.SchoolKind.values:
            errors.add("school_kind", _("Choose the kind of school."), "required")
        licence = details["licence_number"]
        unchanged = instance is not None and licence == instance.canteen.licence_number
        if not licence:
            errors.add("licence_number", _("This field is required."), "required")
        elif not unchanged and not LICENCE_RE.fullmatch(licence):
            errors.add(
                "licence_number",
                _("A food business licence number is JY followed by 14 digits."),
            )
        else:
            taken = Canteen.objects.filter(subject__region=city, licence_number=licence)
            if instance is not None:
                taken = taken.exclude(subject=instance)
            if taken.exists():
                errors.add(
                    "licence_number",
                    _("A canteen with this licence number is already in the directory."),
                    "duplicate",
                )
        name = name or f"{details['school']}{details['canteen'] or _('canteen')}"[:120]
    elif kind == SubjectKind.ELEVATOR:
        today = timezone.localdate()
        details = {
            "registration_code": str(data.get("registration_code") or "").strip().upper(),
            "building": errors.text("building", data.get("building"), limit=120),
            "user_unit": errors.text("user_unit", data.get("user_unit"), limit=120),
            "maintenance_company": errors.text(
                "maintenance_company", data.get("maintenance_company"), limit=120
            ),
            "last_maintained_on": _date(
                errors, "last_maintained_on", data.get("last_maintained_on"), not_after=today
            ),
            "certificate_number": errors.text(
                "certificate_number", data.get("certificate_number"), limit=40, required=False
            ),
            "certificate_expires_on": _date(
                errors, "certificate_expires_on", data.get("certificate_expires_on")
            ),
        }
        code = details["registration_code"]
        if not code:
            errors.add("registration_code", _("This field is required."), "required")
        elif not REGISTRATION_RE.fullmatch(code):
            errors.add(
                "registration_code",
                _("A registration code has 4 to 30 letters, digits or hyphens."),
            )
        else:
            taken = Elevator.objects.filter(registration_code=code)
            if instance is not None:
                taken = taken.exclude(subject=instance)
            if taken.exists():
                errors.add(
                    "registration_code",
                    _("An elevator with this registration code is already registered."),
                    "duplicate",
                )
        name = name or f"{details['building']} {code}".strip()[:120]
    if not name and "name" not in errors.found:
        errors.add("name", _("This field is required."), "required")
    errors.raise_any()
    cleaned["name"] = name
    return {"subject": cleaned, "details": details}


def _save_details(subject: Subject, details: dict) -> None:
    if subject.kind == SubjectKind.CANTEEN:
        subject.canteen = Canteen.objects.update_or_create(subject=subject, defaults=details)[0]
    elif subject.kind == SubjectKind.ELEVATOR:
        subject.elevator = Elevator.objects.update_or_create(subject=subject, defaults=details)[0]


def _duplicate_code(subject_kind: str) -> ValidationError:
    field = "licence_number" if subject_kind == SubjectKind.CANTEEN else "registration_code"
    return field_error(field, _("This code was registered at the same moment."), "duplicate")


@transaction.atomic
def subject_create(*, region: Region, kind: str, data: dict, acting_user) -> Subject:
    """A new entry of the city's directory of subjects. `data` holds model values (a district
    Region, an Enterprise, a Unit, dates); see COMMON_FIELDS and the kinds' fields."""
    city = _require_city(region, acting_user)
    cleaned = _clean_subject(city, kind, data, None)
    try:
        with transaction.atomic():
            subject = Subject.objects.create(region=city, kind=kind, **cleaned["subject"])
            _save_details(subject, cleaned["details"])
    except IntegrityError:
        raise _duplicate_code(kind) from None
    _audit(acting_user, "subject_created", subject, kind=kind, **_codes(subject))
    return subject


def _codes(subject: Subject) -> dict:
    if subject.kind == SubjectKind.CANTEEN:
        return {"licence_number": subject.canteen.licence_number}
    if subject.kind == SubjectKind.ELEVATOR:
        return {"registration_code": subject.elevator.registration_code}
    return {"enterprise": subject.enterprise_id}


def subject_data(subject: Subject) -> dict:
    """The subject's stored values, as `data` takes them (an update changes what it names)."""
    data = {name: getattr(subject, name) for name in COMMON_FIELDS}
    if subject.kind == SubjectKind.CANTEEN and hasattr(subject, "canteen"):
        data.update({name: getattr(subject.canteen, name) for name in CANTEEN_FIELDS})
    if subject.kind == SubjectKind.ELEVATOR and hasattr(subject, "elevator"):
        data.update({name: getattr(subject.elevator, name) for name in ELEVATOR_FIELDS})
    return data


@transaction.atomic
def subject_update(*, subject: Subject, data: dict, acting_user) -> Subject:
    """Changes what `data` names (other fields keep their stored values); the kind stays."""
    subject = (
        Subject.objects.select_for_update(of=("self",))
        .select_related("region", "canteen", "elevator", "enterprise")
        .get(pk=subject.pk)
    )
    policy.require(acting_user, SupervisionAction.DIRECTORY, subject)
    before = subject_data(subject)
    merged = {**before, **data}
    cleaned = _clean_subject(subject.region, subject.kind, merged, subject)
    for name, value in cleaned["subject"].items():
        setattr(subject, name, value)
    try:
        with transaction.atomic():
            subject.save()
            _save_details(subject, cleaned["details"])
    except IntegrityError:
        raise _duplicate_code(subject.kind) from None
    after = subject_data(subject)
    changed = sorted(k for k in after if _plain(after[k]) != _plain(before.get(k)))
    _audit(acting_user, "subject_updated", subject, changed=changed)
    return subject


def _plain(value):
    return getattr(value, "pk", value)


@transaction.atomic
def subject_close(*, subject: Subject, closed_on, reason: str, acting_user) -> Subject:
    """Takes a subject out of the directory's active list (it closed, moved away, was
    demolished): it is never drawn again. Its inspections and orders stay."""
    subject = Subject.objects.select_for_update().select_related("region").get(pk=subject.pk)
    policy.require(acting_user, SupervisionAction.DIRECTORY, subject)
    errors = _Errors()
    reason = errors.text("reason", reason, limit=300, multiline=True)
    day = _date(errors, "closed_on", closed_on, not_after=timezone.localdate())
    if day is None and "closed_on" not in errors.found:
        errors.add("closed_on", _("Give the day it closed."), "required")
    errors.raise_any()
    if not subject.is_active:
        raise ValidationError(_("The subject is already closed."), code="closed")
    subject.is_active = False
    subject.closed_on = day
    subject.closed_reason = reason
    subject.save(update_fields=["is_active", "closed_on", "closed_reason", "updated_at"])
    _audit(acting_user, "subject_closed", subject, closed_on=day, reason=reason)
    return subject


# --- inspectors ----------------------------------------------------------------------------------
def _clean_inspector(city: Region, data: dict) -> dict:
    errors = _Errors()
    cleaned = {
        "name": errors.text("name", data.get("name"), limit=40),
        "certificate_number": errors.text(
            "certificate_number", data.get("certificate_number"), limit=30
        ),
        "qualifications": errors.text(
            "qualifications", data.get("qualifications"), limit=200, required=False
        ),
    }
    kinds = data.get("kinds") or []
    if isinstance(kinds, str):
        kinds = [kinds]
    kinds = [str(k) for k in kinds]
    if not kinds:
        errors.add("kinds", _("Choose at least one kind of subject."), "required")
    elif any(k not in SubjectKind.values for k in kinds):
        errors.add("kinds", _("Choose kinds of subject from the list."))
    cleaned["kinds"] = [k for k in SubjectKind.values if k in kinds]
    districts = list(data.get("districts") or [])
    if any(not isinstance(d, Region) or d.parent_id != city.pk for d in districts):
        errors.add("districts", _("Choose districts of the city."))
    cleaned["districts"] = districts
    errors.raise_any()
    return cleaned


@transaction.atomic
def inspector_create(*, unit: Unit, username: str, data: dict, acting_user) -> Inspector:
    """Puts an existing account in the directory of inspectors of `unit`, which gives the
    account the unit's inspector role."""
    if not isinstance(unit, Unit):
        policy.require(acting_user, SupervisionAction.DIRECTORY, None)
        raise field_error("unit", _("Choose the inspector's unit."), "required")
    city = city_of(unit.region)
    policy.require(acting_user, SupervisionAction.DIRECTORY, city)
    if not unit.is_active:
        raise field_error("unit", _("The unit is no longer active."))
    username = clean_text("username", username, limit=150)
    user = (
        get_user_model()
        .objects.select_for_update()
        .filter(username=username, is_active=True)
        .first()
    )
    if user is None:
        raise field_error(
            "username", _("No active account has this username; create the account first.")
        )
    if Inspector.objects.filter(user=user).exists():
        raise field_error(
            "username", _("This account is already in the directory of inspectors."), "duplicate"
        )
    cleaned = _clean_inspector(city, data)
    districts = cleaned.pop("districts")
    inspector = Inspector.objects.create(user=user, unit=unit, **cleaned)
    inspector.districts.set(districts)
    Membership.objects.get_or_create(user=user, unit=unit, role=Membership.Role.INSPECTOR)
    _audit(
        acting_user,
        "inspector_created",
        inspector,
        unit=unit.code,
        username=username,
        kinds=cleaned["kinds"],
        districts=[d.code for d in districts],
    )
    return inspector


@transaction.atomic
def inspector_update(*, inspector: Inspector, data: dict, acting_user) -> Inspector:
    """Changes the inspector's entry (name, certificate, qualifications, kinds, districts and,
    with `is_active`, whether they may be drawn). The unit and the account stay."""
    inspector = (
        Inspector.objects.select_for_update(of=("self",))
        .select_related("unit__region")
        .get(pk=inspector.pk)
    )
    policy.require(acting_user, SupervisionAction.DIRECTORY, inspector)
    stored = {
        "name": inspector.name,
        "certificate_number": inspector.certificate_number,
        "qualifications": inspector.qualifications,
        "kinds": inspector.kinds,
        "districts": list(inspector.districts.all()),
    }
    cleaned = _clean_inspector(city_of(inspector.unit.region), {**stored, **data})
    districts = cleaned.pop("districts")
    for name, value in cleaned.items():
        setattr(inspector, name, value)
    fields = [*cleaned]
    if "is_active" in data:
        inspector.is_active = bool(data["is_active"])
        fields.append("is_active")
    inspector.save(update_fields=fields)
    inspector.districts.set(districts)
    _audit(
        acting_user,
        "inspector_updated",
        inspector,
        kinds=inspector.kinds,
        districts=[d.code for d in districts],
        active=inspector.is_active,
    )
    return inspector


@transaction.atomic
def inspector_set_active(*, inspector: Inspector, active: bool, acting_user) -> Inspector:
    """Deactivates (or reactivates) an inspector: a deactivated one is never drawn. The account
    and its memberships stay as they are."""
    inspector = Inspector.objects.select_for_update().get(pk=inspector.pk)
    policy.require(acting_user, SupervisionAction.DIRECTORY, inspector)
    if inspector.is_active == bool(active):
        raise ValidationError(
            _("The inspector is already active.")
            if active
            else _("The inspector is already deactivated."),
            code="invalid_transition",
        )
    inspector.is_active = bool(active)
    inspector.save(update_fields=["is_active"])
    _audit(acting_user, "inspector_activated" if active else "inspector_deactivated", inspector)
    return inspector


@transaction.atomic
def link_declare(
    *, inspector: Inspector, subject, reason: str, note: str = "", acting_user
) -> ConflictLink:
    """Records a link the inspector declared to a subject: the draw never sends them there."""
    policy.require(acting_user, SupervisionAction.DIRECTORY, inspector)
    errors = _Errors()
    city = city_of(inspector.unit.region)
    if isinstance(subject, str):
        from qualitymonth.supervision.directory_selectors import subject_by_code

        subject = subject_by_code(city, subject)
    if not isinstance(subject, Subject) or subject.region_id != city.pk:
        errors.add("subject", _("Choose a subject of the city's directory."), "required")
    if reason not in ConflictLink.Reason.values:
        errors.add("reason", _("Choose the reason."), "required")
    note = errors.text("note", note, limit=200, required=False)
    errors.raise_any()
    if ConflictLink.objects.filter(inspector=inspector, subject=subject).exists():
        raise field_error("subject", _("This link is already declared."), "duplicate")
    try:
        with transaction.atomic():
            link = ConflictLink.objects.create(
                inspector=inspector, subject=subject, reason=reason, note=note
            )
    except IntegrityError:
        raise field_error("subject", _("This link is already declared."), "duplicate") from None
    _audit(
        acting_user,
        "link_declared",
        inspector,
        subject=subject.pk,
        subject_name=subject.name,
        reason=reason,
        note=note,
    )
    return link


@transaction.atomic
def link_remove(*, link: ConflictLink, acting_user) -> None:
    inspector = link.inspector
    policy.require(acting_user, SupervisionAction.DIRECTORY, inspector)
    removed = ConflictLink.objects.filter(pk=link.pk).delete()[0]
    if not removed:
        raise ValidationError(_("The link was already removed."), code="invalid")
    _audit(
        acting_user,
        "link_removed",
        inspector,
        subject=link.subject_id,
        reason=link.reason,
        note=link.note,
    )


# --- check items ---------------------------------------------------------------------------------
def checklist_codes(city: Region) -> list[str]:
    own = Checklist.objects.filter(region=city).values_list("code", flat=True).distinct()
    return list(dict.fromkeys([*CHECKLISTS, *sorted(own)]))


def _share(errors: _Errors, value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        share = Decimal(str(value).strip().rstrip("%"))
    except InvalidOperation:
        errors.add("max_share", _("Give the share as a number of per cent, e.g. 5 or 12.5."))
        return None
    if not share.is_finite() or not SHARE_MIN <= share <= SHARE_MAX:
        errors.add("max_share", _("Give a share from 0.01 to 100 %."))
        return None
    if share != share.quantize(Decimal("0.01")):
        errors.add("max_share", _("At most two decimal places."))
        return None
    return share


def _clean_check_item(city: Region, data: dict, instance: CheckItem | None) -> dict:
    errors = _Errors()
    code = str(data.get("code") or "").strip().lower()
    if not code:
        errors.add("code", _("This field is required."), "required")
    elif not CODE_RE.fullmatch(code):
        errors.add("code", _("A code has up to 40 small letters, digits, hyphens or underscores."))
    else:
        taken = CheckItem.objects.filter(region=city, code=code)
        if instance is not None:
            taken = taken.exclude(pk=instance.pk)
        if taken.exists():
            errors.add("code", _("Another check item has this code."), "duplicate")
    cleaned = {
        "code": code,
        "title": errors.text("title", data.get("title"), limit=120),
        "legal_basis": errors.text(
            "legal_basis", data.get("legal_basis"), limit=300, required=False
        ),
        "subject_kind": str(data.get("subject_kind") or ""),
        "kind": str(data.get("kind") or ""),
        "exclude_own_unit": bool(data.get("exclude_own_unit")),
        "is_active": bool(data.get("is_active", True)),
        "checklist_code": str(data.get("checklist_code") or "").strip(),
    }
    if cleaned["subject_kind"] not in SubjectKind.values:
        errors.add("subject_kind", _("Choose the kind of subject."), "required")
    share = _share(errors, data.get("max_share"))
    if cleaned["kind"] == CheckItem.Kind.KEY:
        if share is not None:
            errors.add("max_share", _("A key item has no cap on the share drawn: leave it empty."))
    elif cleaned["kind"] == CheckItem.Kind.ORDINARY:
        if share is None and "max_share" not in errors.found:
            errors.add(
                "max_share",
                _("An ordinary item caps the share drawn: give it, from 0.01 to 100 %."),
                "required",
            )
    else:
        errors.add("kind", _("Choose ordinary or key item."), "required")
    cleaned["max_share"] = share
    workdays = data.get("publication_workdays")
    workdays = 20 if workdays in (None, "") else client_int(workdays, low=1, high=PUBLICATION_MAX)
    if workdays is None:
        errors.add(
            "publication_workdays",
            _("Give a number of working days from 1 to %(n)s.") % {"n": PUBLICATION_MAX},
        )
    cleaned["publication_workdays"] = workdays
    if cleaned["checklist_code"] and cleaned["checklist_code"] not in checklist_codes(city):
        errors.add("checklist_code", _("Choose a checklist from the list."))
    errors.raise_any()
    return cleaned


def check_item_data(item: CheckItem) -> dict:
    return {
        name: getattr(item, name)
        for name in (
            "code",
            "title",
            "subject_kind",
            "kind",
            "max_share",
            "legal_basis",
            "publication_workdays",
            "exclude_own_unit",
            "checklist_code",
            "is_active",
        )
    }


@transaction.atomic
def check_item_create(*, region: Region, data: dict, acting_user) -> CheckItem:
    city = _require_city(region, acting_user)
    cleaned = _clean_check_item(city, data, None)
    try:
        with transaction.atomic():
            item = CheckItem.objects.create(region=city, **cleaned)
    except IntegrityError:
        raise field_error("code", _("Another check item has this code."), "duplicate") from None
    _audit(acting_user, "check_item_created", item, **check_item_data(item))
    return item


@transaction.atomic
def check_item_update(*, item: CheckItem, data: dict, acting_user) -> CheckItem:
    item = CheckItem.objects.select_for_update().select_related("region").get(pk=item.pk)
    policy.require(acting_user, SupervisionAction.DIRECTORY, item)
    cleaned = _clean_check_item(item.region, {**check_item_data(item), **data}, item)
    for name, value in cleaned.items():
        setattr(item, name, value)
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:
        raise field_error("code", _("Another check item has this code."), "duplicate") from None
    _audit(acting_user, "check_item_updated", item, **check_item_data(item))
    return item


# --- product categories --------------------------------------------------------------------------
def _clean_category(city: Region, data: dict, instance: ProductCategory | None) -> dict:
    errors = _Errors()
    code = str(data.get("code") or "").strip().lower()
    if not code:
        errors.add("code", _("This field is required."), "required")
    elif not CODE_RE.fullmatch(code):
        errors.add("code", _("A code has up to 40 small letters, digits, hyphens or underscores."))
    else:
        taken = ProductCategory.objects.filter(region=city, code=code)
        if instance is not None:
            taken = taken.exclude(pk=instance.pk)
        if taken.exists():
            errors.add("code", _("Another category has this code."), "duplicate")
    cleaned = {
        "code": code,
        "name": errors.text("name", data.get("name"), limit=60),
        "name_en": errors.text("name_en", data.get("name_en"), limit=100, required=False),
        "standard": errors.text("standard", data.get("standard"), limit=200, required=False),
        "is_active": bool(data.get("is_active", True)),
    }
    errors.raise_any()
    return cleaned


def category_data(category: ProductCategory) -> dict:
    return {
        name: getattr(category, name)
        for name in ("code", "name", "name_en", "standard", "is_active")
    }


@transaction.atomic
def category_create(*, region: Region, data: dict, acting_user) -> ProductCategory:
    city = _require_city(region, acting_user)
    cleaned = _clean_category(city, data, None)
    try:
        with transaction.atomic():
            category = ProductCategory.objects.create(region=city, **cleaned)
    except IntegrityError:
        raise field_error("code", _("Another category has this code."), "duplicate") from None
    _audit(acting_user, "category_created", category, **cleaned)
    return category


@transaction.atomic
def category_update(*, category: ProductCategory, data: dict, acting_user) -> ProductCategory:
    category = (
        ProductCategory.objects.select_for_update().select_related("region").get(pk=category.pk)
    )
    policy.require(acting_user, SupervisionAction.DIRECTORY, category)
    cleaned = _clean_category(category.region, {**category_data(category), **data}, category)
    for name, value in cleaned.items():
        setattr(category, name, value)
    try:
        with transaction.atomic():
            category.save()
    except IntegrityError:
        raise field_error("code", _("Another category has this code."), "duplicate") from None
    _audit(acting_user, "category_updated", category, **cleaned)
    return category


# --- the city's rules ----------------------------------------------------------------------------
RULE_FIELDS = (
    "canteen_sample_grams",
    "canteen_sample_hours",
    "elevator_maintenance_days",
    "emergency_number",
    "lower_fine_person",
    "lower_fine_organisation",
    "retest_days",
)


def rules_data(rules: Rules) -> dict:
    return {name: getattr(rules, name) for name in RULE_FIELDS}


def _fine(errors: _Errors, field: str, value) -> Decimal | None:
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, TypeError):
        amount = None
    if amount is None or not amount.is_finite() or not 0 <= amount <= FINE_MAX:
        errors.add(field, _("Give an amount in yuan from 0 to 100,000,000."))
        return None
    if amount != amount.quantize(Decimal("0.01")):
        errors.add(field, _("Give the amount to the fen at most: two decimal places."))
        return None
    return amount


@transaction.atomic
def rules_update(*, region: Region, data: dict, acting_user) -> Rules:
    """Sets the city's figures (what `data` leaves out keeps its value or the default). The
    national rule is the floor: 125 g and 48 hours for food samples, 15 days for a re-test."""
    city = _require_city(region, acting_user)
    rules = Rules.objects.select_for_update().filter(region=city).first() or Rules(region=city)
    merged = {**rules_data(rules), **data}
    errors = _Errors()
    cleaned = {}
    for name, (low, high) in RULE_BOUNDS.items():
        number = client_int(merged.get(name), low=low, high=high)
        if number is None:
            errors.add(
                name,
                _("Give a whole number from %(low)s to %(high)s.")
                % {
                    "low": low,
                    "high": high,
                },
            )
        cleaned[name] = number
    number = str(merged.get("emergency_number") or "").strip()
    if not PHONE_RE.fullmatch(number):
        errors.add("emergency_number", _("Give the number as 3 to 12 digits, e.g. 96333."))
    cleaned["emergency_number"] = number
    for name in ("lower_fine_person", "lower_fine_organisation"):
        cleaned[name] = _fine(errors, name, merged.get(name))
    errors.raise_any()
    before = rules_data(rules) if rules.pk else {}
    for name, value in cleaned.items():
        setattr(rules, name, value)
    rules.save()
    _audit(
        acting_user,
        "rules_updated",
        rules,
        changed={k: v for k, v in cleaned.items() if before.get(k) != v},
    )
    return rules


# --- lookups the API and the import share ----------------------------------------------------------
def resolve_refs(city: Region, raw: dict) -> dict:
    """Codes a client or a sheet sends turned into the values `data` takes: a district's code
    or name, a unit's code, an enterprise's id or USCC. An unknown one is a field error."""
    from qualitymonth.enterprises.models import Enterprise

    data = dict(raw)
    errors = _Errors()
    if "district" in raw:
        value = str(raw.get("district") or "").strip()[:60]
        data["district"] = None
        if value:
            data["district"] = Region.objects.filter(
                Q(code=value) | Q(name=value) | Q(name_en__iexact=value),
                parent=city,
                level=Region.Level.DISTRICT,
            ).first()
            if data["district"] is None:
                errors.add("district", _("No such district in the city."))
    if "supervising_unit" in raw:
        value = str(raw.get("supervising_unit") or "").strip()[:40]
        data["supervising_unit"] = None
        if value:
            data["supervising_unit"] = (
                Unit.objects.select_related("region")
                .filter(Q(region=city) | Q(region__parent=city), code=value)
                .first()
            )
            if data["supervising_unit"] is None:
                errors.add("supervising_unit", _("No such unit in the city."))
    if "enterprise" in raw:
        value = raw.get("enterprise")
        data["enterprise"] = None
        if value not in (None, ""):
            found = Enterprise.objects.select_related("region", "district", "industry")
            text = str(value).strip().upper()
            if len(text) == 18:  # a unified social credit code, else the registry's id
                found = found.filter(uscc=text)
            else:
                found = found.filter(pk=client_int(text, low=1, default=0))
            data["enterprise"] = found.filter(Q(region=city) | Q(region__parent=city)).first()
            if data["enterprise"] is None:
                errors.add("enterprise", _("No such enterprise in the city's registry."))
    errors.raise_any()
    return data
