"""The office's API for the enterprise registry."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Status
from ninja.pagination import paginate
from ninja.security import django_auth

from qualitymonth.api.errors import ErrorOut, errors
from qualitymonth.core.pagination import Pagination
from qualitymonth.core.permissions import PermissionDenied, policy
from qualitymonth.core.schemas import InputSchema, Line
from qualitymonth.core.validators import DbInt
from qualitymonth.enterprises import claim_selectors
from qualitymonth.enterprises import selectors as registry_selectors
from qualitymonth.enterprises.claim_schemas import ClaimFilterIn, DeclineIn, OfficeClaimOut
from qualitymonth.enterprises.forms import EnterpriseFilterForm, EnterpriseForm
from qualitymonth.enterprises.permissions import Action
from qualitymonth.enterprises.registry_schemas import (
    EnterpriseDetailOut,
    EnterpriseFilterIn,
    EnterpriseIn,
    EnterpriseOut,
)
from qualitymonth.enterprises.services import claims as claim_services
from qualitymonth.enterprises.services import registry

router = Router(tags=["enterprises office"], auth=django_auth)


# --- the registry: the office lists, reads, adds and changes its enterprises ------------------
# Input goes through the page's forms (the same checks and messages), then the same services
# (the same rights and audit trail).
def _require_office(request) -> None:
    policy.require(request.user, Action.MANAGE)


def _registry_enterprise(request, enterprise_id: int):
    """One of the office's enterprises; another region's is "not found", as in its list."""
    _require_office(request)
    return get_object_or_404(
        registry_selectors.enterprises_for_office(request.user).select_related(
            "region", "district", "industry", "steward"
        ),
        pk=enterprise_id,
    )


def _checked_form(body: EnterpriseIn, enterprise, regions) -> EnterpriseForm:
    form = EnterpriseForm(body.model_dump(), instance=enterprise, regions=regions)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return form


@router.get(
    "/enterprises", response=list[EnterpriseOut], summary="The office's enterprise registry"
)
@paginate(Pagination, page_size=50)
def registry_list(request, filters: Query[EnterpriseFilterIn]):
    _require_office(request)
    cities = registry_selectors.office_cities(request.user)
    form = EnterpriseFilterForm(filters.model_dump(), regions=cities)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return registry_selectors.office_enterprises(
        user=request.user, filters=form.filters()
    ).select_related("steward")


@router.get(
    "/enterprises/{enterprise_id}",
    response=EnterpriseDetailOut,
    summary="One enterprise of the office's registry",
)
def registry_detail(request, enterprise_id: DbInt):
    return _registry_enterprise(request, enterprise_id)


@router.post(
    "/enterprises",
    response={201: EnterpriseDetailOut, 400: ErrorOut, 409: ErrorOut},
    summary="Register an enterprise (a code failing the check needs the exception reason)",
)
def registry_create(request, body: EnterpriseIn):
    _require_office(request)
    cities = registry_selectors.office_cities(request.user)
    region = cities.filter(code=body.region).first() if body.region else None
    if region is None:
        only = list(cities[:2])
        if body.region or len(only) != 1:
            raise ValidationError({"region": ValidationError(_("Give the city's code."))})
        region = only[0]
    form = _checked_form(body, None, [region])
    enterprise = registry.enterprise_create(
        acting_user=request.user, region=region, data=form.service_data()
    )
    return Status(201, enterprise)


@router.put(
    "/enterprises/{enterprise_id}",
    response={200: EnterpriseDetailOut, 400: ErrorOut, 409: ErrorOut},
    summary="Change an enterprise (every field is sent; the city stays)",
)
def registry_update(request, enterprise_id: DbInt, body: EnterpriseIn):
    enterprise = _registry_enterprise(request, enterprise_id)
    form = _checked_form(body, enterprise, [enterprise.region])
    return registry.enterprise_update(
        acting_user=request.user, enterprise=enterprise, data=form.service_data()
    )


# --- claims: the office decides who acts for an enterprise ------------------------------------


def _office_claim(request, claim_id: int):
    found = claim_selectors.office_claim(request.user, claim_id)
    if found is None:
        raise Http404  # another region's claim is not this office's to know of
    return found


@router.get(
    "/enterprise-claims",
    response={200: list[OfficeClaimOut]},
    summary="Claims this office decides (waiting ones first)",
)
@paginate(Pagination, page_size=50)
def office_claims(request, filters: Query[ClaimFilterIn]):
    if not policy.can(request.user, Action.CLAIM_DECIDE):
        raise PermissionDenied(Action.CLAIM_DECIDE)
    return claim_selectors.office_claims(request.user, status=filters.status, q=filters.q)


@router.post(
    "/enterprise-claims/{claim_id}/approve",
    response={200: OfficeClaimOut, **errors(409)},
    summary="Approve a claim: the person acts for the enterprise",
)
def office_claim_approve(request, claim_id: DbInt):
    return claim_services.claim_approve(
        claim=_office_claim(request, claim_id), acting_user=request.user
    )


@router.post(
    "/enterprise-claims/{claim_id}/decline",
    response={200: OfficeClaimOut, **errors(400, 409)},
    summary="Decline a claim with a reason the person reads",
)
def office_claim_decline(request, claim_id: DbInt, body: DeclineIn):
    return claim_services.claim_decline(
        claim=_office_claim(request, claim_id), acting_user=request.user, reason=body.reason
    )


# --- the quality steward ----------------------------------------------------------------------
class StewardIn(InputSchema):
    steward: Line | None = Field(
        None, max_length=150, description="A unit staff member's username; null: no steward"
    )


@router.put(
    "/enterprises/{enterprise_id}/steward",
    response={200: EnterpriseDetailOut, **errors(400, 404)},
    summary="Make a unit's staff member the enterprise's quality steward (质量管家)",
)
def registry_steward(request, enterprise_id: DbInt, body: StewardIn):
    enterprise = _registry_enterprise(request, enterprise_id)
    steward = None
    if body.steward:
        steward = registry.steward_candidates(request.user).filter(username=body.steward).first()
        if steward is None:
            raise ValidationError(
                {"steward": _("A steward is a staff member of a unit in your region.")}
            )
    return registry.enterprise_assign_steward(
        acting_user=request.user, enterprise=enterprise, steward=steward
    )
