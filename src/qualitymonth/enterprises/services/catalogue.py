"""The office's writes to the one-stop service catalogue: a service type's terms and providers,
and the providers themselves. Each in one transaction with its audit row; the policy is asked
here again, so a page and a client of the API get the same answer."""

import uuid

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from qualitymonth.core.audit import audit_record
from qualitymonth.core.models import Region, Unit
from qualitymonth.core.permissions import policy
from qualitymonth.enterprises.catalogue_selectors import providers_for_office
from qualitymonth.enterprises.models import Provider, ServiceType
from qualitymonth.enterprises.permissions import NeedAction

# A limit of zero would make every need overdue on the day it is filed; beyond three months of
# working days a "limit" no longer says anything to the enterprise.
MIN_WORKDAYS, MAX_WORKDAYS = 1, 60
SERVICE_TYPE_FIELDS = (
    "name",
    "name_en",
    "description",
    "is_charged",
    "response_workdays",
    "completion_workdays",
    "is_active",
)
PROVIDER_FIELDS = ("name", "name_en", "specialties", "is_active")


def _check_workdays(service_type: ServiceType) -> None:
    errors = {}
    for name in ("response_workdays", "completion_workdays"):
        value = getattr(service_type, name)
        if value is None or not MIN_WORKDAYS <= value <= MAX_WORKDAYS:
            errors[name] = _("Enter a number of working days from %(min)s to %(max)s.") % {
                "min": MIN_WORKDAYS,
                "max": MAX_WORKDAYS,
            }
    if not errors and service_type.completion_workdays < service_type.response_workdays:
        errors["completion_workdays"] = _(
            "The service cannot be due before the response: give at least as many working days."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def service_type_update(*, acting_user, service_type: ServiceType, data: dict) -> ServiceType:
    """Change a type's name, terms and limits, and (with "providers" in data) its providers.

    The catalogue is shared; the providers are each a region's, so an office changes only its
    own providers of a type and leaves another city's in place."""
    policy.require(acting_user, NeedAction.CATALOGUE_MANAGE)
    stored = ServiceType.objects.select_for_update().get(pk=service_type.pk)
    before = {name: getattr(stored, name) for name in SERVICE_TYPE_FIELDS}
    for name in SERVICE_TYPE_FIELDS:
        if name in data:
            setattr(stored, name, data[name])
    stored.name = (stored.name or "").strip()
    if not stored.name:
        raise ValidationError({"name": _("Give the service a name.")})
    _check_workdays(stored)
    changed = [name for name in SERVICE_TYPE_FIELDS if getattr(stored, name) != before[name]]
    providers_changed = {}
    if "providers" in data:
        providers_changed = _set_providers(acting_user, stored, data["providers"])
    if not changed and not providers_changed:
        return stored
    if changed:
        stored.save(update_fields=changed)
    audit_record(
        actor=acting_user,
        event_type="catalogue.service_type_updated",
        target=stored,
        fields=changed,
        response_workdays=stored.response_workdays,
        completion_workdays=stored.completion_workdays,
        **providers_changed,
    )
    return stored


def _set_providers(acting_user, service_type: ServiceType, chosen) -> dict:
    manageable = providers_for_office(acting_user)
    chosen_ids = {provider.pk for provider in chosen}
    allowed = set(manageable.filter(pk__in=chosen_ids).values_list("pk", flat=True))
    if chosen_ids - allowed:
        raise ValidationError({"providers": _("Choose providers of your own region.")})
    current = set(service_type.providers.values_list("pk", flat=True))
    mine = set(manageable.filter(pk__in=current).values_list("pk", flat=True))
    added, removed = chosen_ids - current, mine - chosen_ids
    if not added and not removed:
        return {}
    service_type.providers.add(*added)
    service_type.providers.remove(*removed)
    return {"providers_added": sorted(added), "providers_removed": sorted(removed)}


def _clean_provider(provider: Provider) -> None:
    provider.name = (provider.name or "").strip()
    provider.name_en = (provider.name_en or "").strip()
    provider.specialties = (provider.specialties or "").strip()
    if not provider.name:
        raise ValidationError({"name": _("Give the provider a name.")})
    taken = Provider.objects.filter(name=provider.name).exclude(pk=provider.pk).exists()
    if taken:
        raise ValidationError({"name": _("A provider with this name already exists.")})


def _expert_account(username: str):
    username = (username or "").strip()
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ValidationError({"username": _("No active account has this username.")})
    if Provider.objects.filter(user=user).exists():
        raise ValidationError({"username": _("This account is already a provider.")})
    return user


def _institution_unit(provider: Provider) -> Unit:
    """The institution's unit: its staff become members of it and serve its needs."""
    if Unit.objects.filter(name=provider.name).exists():
        raise ValidationError(
            {"name": _("A unit with this name already exists; give the institution its own name.")}
        )
    return Unit.objects.create(
        code=f"nqi-{uuid.uuid4().hex[:12]}",
        name=provider.name,
        name_en=provider.name_en,
        kind=Unit.Kind.NQI,
        region=provider.region,
    )


@transaction.atomic
def provider_create(
    *,
    acting_user,
    region: Region,
    kind: str,
    data: dict,
    service_types=(),
    username: str = "",
) -> Provider:
    """A technical institution (created with its unit) or an expert (an existing account)."""
    if kind not in Provider.Kind.values:
        raise ValidationError({"kind": _("Choose an institution or an expert.")})
    provider = Provider(region=region, kind=kind)
    policy.require(acting_user, NeedAction.CATALOGUE_MANAGE, provider)
    for name in PROVIDER_FIELDS:
        if name in data:
            setattr(provider, name, data[name])
    _clean_provider(provider)
    if kind == Provider.Kind.EXPERT:
        provider.user = _expert_account(username)
    else:
        provider.unit = _institution_unit(provider)
    try:
        with transaction.atomic():
            provider.save()
    except IntegrityError:
        # Someone added the same name or account between the check and the save.
        _clean_provider(provider)
        raise
    provider.service_types.set(service_types)
    audit_record(
        actor=acting_user,
        event_type="catalogue.provider_created",
        target=provider,
        kind=kind,
        unit=provider.unit.code if provider.unit else "",
        account=provider.user.get_username() if provider.user else "",
        service_types=sorted(st.code for st in service_types),
    )
    return provider


@transaction.atomic
def provider_update(*, acting_user, provider: Provider, data: dict, service_types=None) -> Provider:
    """Change a provider's name, specialties, whether it takes needs, and its service types."""
    stored = (
        Provider.objects.select_for_update(of=("self",))
        .select_related("region", "unit")
        .get(pk=provider.pk)
    )
    policy.require(acting_user, NeedAction.CATALOGUE_MANAGE, stored)
    before = {name: getattr(stored, name) for name in PROVIDER_FIELDS}
    for name in PROVIDER_FIELDS:
        if name in data:
            setattr(stored, name, data[name])
    _clean_provider(stored)
    changed = [name for name in PROVIDER_FIELDS if getattr(stored, name) != before[name]]
    types_changed = {}
    if service_types is not None:
        current = set(stored.service_types.values_list("code", flat=True))
        wanted = {st.code for st in service_types}
        if current != wanted:
            stored.service_types.set(service_types)
            types_changed = {
                "service_types_added": sorted(wanted - current),
                "service_types_removed": sorted(current - wanted),
            }
    if not changed and not types_changed:
        return stored
    if changed:
        stored.save(update_fields=changed)
        if stored.unit is not None and {"name", "name_en"} & set(changed):
            _rename_unit(stored)
    audit_record(
        actor=acting_user,
        event_type="catalogue.provider_updated",
        target=stored,
        fields=changed,
        **types_changed,
    )
    return stored


def _rename_unit(provider: Provider) -> None:
    # The institution and its unit are one body: its staff see the same name everywhere.
    unit = provider.unit
    if Unit.objects.filter(name=provider.name).exclude(pk=unit.pk).exists():
        raise ValidationError(
            {"name": _("A unit with this name already exists; give the institution its own name.")}
        )
    unit.name, unit.name_en = provider.name, provider.name_en
    unit.save(update_fields=["name", "name_en"])
