"""The office's writes to the enterprise registry: add, change, the steward. Each in one
transaction with its audit row; the policy is asked here again, so the API, the import and the
pages get the same answer."""

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from qualitymonth.core.audit import audit_record
from qualitymonth.core.models import Region
from qualitymonth.core.permissions import UNIT_ROLES, policy
from qualitymonth.core.validators import normalize_mobile, validate_mobile, validate_uscc
from qualitymonth.enterprises.models import Enterprise, normalise_name
from qualitymonth.enterprises.permissions import Action

# What the office may set; `region`, `steward` and the derived fields have their own paths.
FIELDS = (
    "uscc",
    "uscc_exception_reason",
    "name",
    "legal_representative",
    "registered_address",
    "operating_address",
    "district",
    "industry",
    "size",
    "main_products",
    "contact_name",
    "contact_mobile",
    "is_key_industry",
    "is_sme",
    "is_specialised",
)
_SPACES = re.compile(r"\s+")
_OLD_REGISTRATION_NUMBER = re.compile(r"\d{15}")
_CODE_SHAPE = re.compile(r"[0-9A-Z]{18}")


def _field_error(name: str, message: str, *, code: str) -> ValidationError:
    # The code goes on the field's error: a dict-form ValidationError drops its own code, and
    # the API answers 409 for a "duplicate" by it.
    return ValidationError({name: ValidationError(message, code=code)})


def normalise_uscc(value: str) -> str:
    """As people copy it from a licence: spaces dropped, letters in capitals."""
    return _SPACES.sub("", value or "").upper()


def checked_uscc(value: str, *, exception_reason: str = "") -> tuple[str, str]:
    """The code to store and the exception reason to keep ("" when the code passes the check).

    Before 2015 enterprises had 15-digit registration numbers; every enterprise has since been
    given an 18-character code, so an old number is asked to be replaced, never excepted. A code
    whose check character is wrong may be a legally issued early code: the office may register
    it, saying why."""
    code = normalise_uscc(value)
    reason = (exception_reason or "").strip()
    if _OLD_REGISTRATION_NUMBER.fullmatch(code):
        raise _field_error(
            "uscc",
            _(
                "This is a 15-digit registration number from before 2015. Enter the "
                "enterprise's 18-character unified social credit code (it is on the current "
                "business licence)."
            ),
            code="old_registration_number",
        )
    try:
        validate_uscc(code)
    except ValidationError as error:
        if not (reason and _CODE_SHAPE.fullmatch(code)):
            raise _field_error("uscc", error.messages[0], code="invalid_uscc") from None
        return code, reason
    return code, ""


def _refuse_duplicate(code: str, *, exclude_pk: int | None) -> None:
    existing = Enterprise.objects.filter(uscc=code).exclude(pk=exclude_pk).first()
    if existing is not None:
        raise _field_error(
            "uscc",
            _("An enterprise with this code is already registered: %(name)s (%(city)s).")
            % {"name": existing.name, "city": existing.region},
            code="duplicate",
        )


def _apply(enterprise: Enterprise, data: dict) -> None:
    for name in FIELDS:
        if name in data:
            value = data[name]
            if value is None and name in _TEXT:
                value = ""
            setattr(enterprise, name, value)
    enterprise.uscc, enterprise.uscc_exception_reason = checked_uscc(
        enterprise.uscc, exception_reason=enterprise.uscc_exception_reason
    )
    if enterprise.contact_mobile:
        enterprise.contact_mobile = normalize_mobile(enterprise.contact_mobile)
        try:
            validate_mobile(enterprise.contact_mobile)
        except ValidationError as error:
            raise ValidationError({"contact_mobile": error.messages}) from None
    if enterprise.district_id and enterprise.district.parent_id != enterprise.region_id:
        raise ValidationError(
            {
                "district": _("%(district)s is not a district of %(city)s.")
                % {"district": enterprise.district, "city": enterprise.region}
            }
        )
    enterprise.name_key = normalise_name(enterprise.name)
    # The code's uniqueness is said with its holder (below); the relations come as objects a
    # form or the import already looked up, so they need no query each to be found again.
    enterprise.full_clean(exclude=["uscc", "region", "district", "industry", "steward"])


_TEXT = {
    name for name in FIELDS if Enterprise._meta.get_field(name).get_internal_type() == "CharField"
}


def _saved(enterprise: Enterprise) -> Enterprise:
    _refuse_duplicate(enterprise.uscc, exclude_pk=enterprise.pk)
    try:
        with transaction.atomic():
            enterprise.save()
    except IntegrityError:
        # Another office registered the same code between the check and the save.
        _refuse_duplicate(enterprise.uscc, exclude_pk=enterprise.pk)
        raise
    return enterprise


def _record_exception(enterprise: Enterprise, *, acting_user) -> None:
    audit_record(
        actor=acting_user,
        event_type="enterprise.uscc_exception",
        target=enterprise,
        uscc=enterprise.uscc,
        reason=enterprise.uscc_exception_reason,
    )


@transaction.atomic
def enterprise_create(*, acting_user, region: Region, data: dict) -> Enterprise:
    enterprise = Enterprise(region=region)
    policy.require(acting_user, Action.MANAGE, enterprise)
    _apply(enterprise, data)
    _saved(enterprise)
    audit_record(
        actor=acting_user,
        event_type="enterprise.created",
        target=enterprise,
        uscc=enterprise.uscc,
        fields=[name for name in FIELDS if _value(enterprise, name) not in ("", None, False)],
    )
    if enterprise.uscc_exception_reason:
        _record_exception(enterprise, acting_user=acting_user)
    return enterprise


def _value(enterprise: Enterprise, name: str):
    field = Enterprise._meta.get_field(name)
    return getattr(enterprise, field.attname)


@transaction.atomic
def enterprise_update(*, acting_user, enterprise: Enterprise, data: dict) -> Enterprise:
    """Change what the office keeps; `enterprise` may already carry the new values (a model
    form sets them): the stored row is what is compared and checked."""
    stored = Enterprise.objects.select_for_update().select_related("region").get(pk=enterprise.pk)
    policy.require(acting_user, Action.MANAGE, stored)
    before = {name: _value(stored, name) for name in FIELDS}
    _apply(stored, data)
    changed = [name for name in FIELDS if _value(stored, name) != before[name]]
    if not changed:
        return stored
    _saved(stored)
    audit_record(
        actor=acting_user,
        event_type="enterprise.updated",
        target=stored,
        uscc=stored.uscc,
        fields=changed,
    )
    if stored.uscc_exception_reason and ({"uscc", "uscc_exception_reason"} & set(changed)):
        _record_exception(stored, acting_user=acting_user)
    return stored


def steward_candidates(acting_user):
    """The staff of the units the office covers: who may be a quality steward."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__unit__in=policy.covered_units(acting_user).filter(is_active=True),
            memberships__role__in=UNIT_ROLES,
        )
        .distinct()
        .order_by("username")
    )


@transaction.atomic
def enterprise_assign_steward(*, acting_user, enterprise: Enterprise, steward) -> Enterprise:
    """Make a unit's staff member the enterprise's quality steward (None: no steward)."""
    stored = Enterprise.objects.select_for_update().select_related("region").get(pk=enterprise.pk)
    policy.require(acting_user, Action.MANAGE, stored)
    if steward is not None and not steward_candidates(acting_user).filter(pk=steward.pk).exists():
        raise _field_error(
            "steward",
            _("A steward is a staff member of a unit in your region."),
            code="invalid_steward",
        )
    previous = stored.steward
    if (previous.pk if previous else None) == (steward.pk if steward else None):
        return stored
    stored.steward = steward
    stored.save(update_fields=["steward", "updated_at"])
    audit_record(
        actor=acting_user,
        event_type="enterprise.steward",
        target=stored,
        previous=previous.get_username() if previous else "",
        steward=steward.get_username() if steward else "",
    )
    return stored
