"""The office's API for the enterprise registry."""

from ninja import Router
from ninja.security import django_auth

router = Router(tags=["enterprises office"], auth=django_auth)


# --- the registry: the office lists, reads, adds and changes its enterprises ------------------
# Input goes through the page's forms (the same checks and messages), then the same services
# (the same rights and audit trail). (Imported here so this section stays one block.)
from django.core.exceptions import ValidationError  # noqa: E402
from django.shortcuts import get_object_or_404  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402
from ninja import Query as _Query  # noqa: E402
from ninja import Status  # noqa: E402
from ninja.pagination import paginate as _paginate  # noqa: E402

from qualitymonth.api.errors import ErrorOut  # noqa: E402
from qualitymonth.core.pagination import Pagination as _Pagination  # noqa: E402
from qualitymonth.core.validators import DbInt as _Id  # noqa: E402
from qualitymonth.enterprises import selectors as registry_selectors  # noqa: E402
from qualitymonth.enterprises.forms import EnterpriseFilterForm, EnterpriseForm  # noqa: E402
from qualitymonth.enterprises.permissions import Action as _Action  # noqa: E402
from qualitymonth.enterprises.registry_schemas import (  # noqa: E402
    EnterpriseDetailOut,
    EnterpriseFilterIn,
    EnterpriseIn,
    EnterpriseOut,
)
from qualitymonth.enterprises.services import registry  # noqa: E402


def _require_office(request) -> None:
    from qualitymonth.core.permissions import policy as _policy

    _policy.require(request.user, _Action.MANAGE)


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
@_paginate(_Pagination, page_size=50)
def registry_list(request, filters: _Query[EnterpriseFilterIn]):
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
def registry_detail(request, enterprise_id: _Id):
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
def registry_update(request, enterprise_id: _Id, body: EnterpriseIn):
    enterprise = _registry_enterprise(request, enterprise_id)
    form = _checked_form(body, enterprise, [enterprise.region])
    return registry.enterprise_update(
        acting_user=request.user, enterprise=enterprise, data=form.service_data()
    )


# --- claims: the office decides who acts for an enterprise ------------------------------------
# (Imported here, beside the endpoints, so this section stays one block in a shared module.)
from django.http import Http404  # noqa: E402
from ninja import Query  # noqa: E402
from ninja.pagination import paginate  # noqa: E402

from qualitymonth.api.errors import errors  # noqa: E402
from qualitymonth.core.pagination import Pagination  # noqa: E402
from qualitymonth.core.permissions import PermissionDenied, policy  # noqa: E402
from qualitymonth.core.validators import DbInt  # noqa: E402
from qualitymonth.enterprises import claim_selectors  # noqa: E402
from qualitymonth.enterprises.claim_schemas import ClaimFilterIn, DeclineIn, OfficeClaimOut  # noqa: E402
from qualitymonth.enterprises.permissions import Action  # noqa: E402
from qualitymonth.enterprises.services import claims as claim_services  # noqa: E402


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
