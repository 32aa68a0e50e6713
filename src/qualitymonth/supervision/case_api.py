"""Enforcement cases through the API: the register, deciding, revising or revoking, publishing
and removing penalty publicity, typical cases and their approval (the same services, rights and
audit trail as the pages); and the public penalties and typical cases, with no personal data but
a masked party. A case the caller may not see is "not found"."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate
from ninja.security import django_auth

from qualitymonth.api.errors import errors
from qualitymonth.campaigns.models import Campaign, Domain
from qualitymonth.core.pagination import Pagination
from qualitymonth.core.permissions import policy
from qualitymonth.core.schemas import Line
from qualitymonth.core.validators import DbInt
from qualitymonth.enterprises.models import Enterprise
from qualitymonth.supervision import case_selectors as selectors
from qualitymonth.supervision.case_schemas import (
    CaseDetailOut,
    CaseOut,
    CaseSearchIn,
    CaseUpdateIn,
    ChangeIn,
    DecisionIn,
    EnforcementCaseIn,
    PenaltySearchIn,
    PublicityOut,
    PublicityPublishIn,
    PublicPenaltyOut,
    PublicTypicalOut,
    PublicTypicalSearchIn,
    RemoveIn,
    ReturnIn,
    TypicalIn,
    TypicalOut,
    TypicalSearchIn,
)
from qualitymonth.supervision.models import Case
from qualitymonth.supervision.permissions import SupervisionAction
from qualitymonth.supervision.services import cases as services
from qualitymonth.supervision.services import publicity as publicity_services

router = Router(tags=["supervision"], auth=django_auth)
OFFICE = "/office/supervision"


class MaskedPagination(Pagination):
    """A list's natural persons are masked; only the case itself shows the name."""

    def paginate_queryset(self, queryset, pagination, request, **params):
        result = super().paginate_queryset(queryset, pagination, request, **params)
        items = list(result[self.items_attribute])
        for case in items:
            case.party_shown = publicity_services.party_shown(case)
        result[self.items_attribute] = items
        return result


def _case(request, number: str) -> Case:
    found = selectors.case_for(request.user, number)
    if found is None:
        raise Http404
    return found


def _detail(request, number: str) -> Case:
    case = _case(request, number)
    case.publicity_row = selectors.publicity_of(case)
    if case.party_kind == Case.PartyKind.PERSON:
        services.case_party_seen(case=case, acting_user=request.user)
    return case


def _enterprise(uscc: str):
    if not uscc:
        return None
    found = Enterprise.objects.filter(uscc=uscc.strip().upper()).first()
    if found is None:
        raise ValidationError({"enterprise_uscc": _("No enterprise with this code is registered.")})
    return found


# --- the register --------------------------------------------------------------------------------
@router.get(f"{OFFICE}/cases", response=list[CaseOut], summary="The cases I may see, newest first")
@paginate(MaskedPagination, page_size=20)
def case_list(request, filters: Query[CaseSearchIn]):
    policy.require(request.user, SupervisionAction.WORK)
    return selectors.case_list(
        request.user,
        query=filters.q,
        status=filters.status,
        source=filters.source,
        procedure=filters.procedure,
    )


@router.post(
    f"{OFFICE}/cases",
    response={201: CaseDetailOut, **errors(400, 409)},
    summary="Register a case (from a complaint, a hazard, a sample, or none)",
)
def case_create(request, body: EnforcementCaseIn):
    policy.require(request.user, SupervisionAction.WORK)
    unit = selectors.working_units(request.user).filter(code=body.unit).first()
    if unit is None:
        raise ValidationError({"unit": _("Choose a unit you work for.")})
    links = {}
    if body.complaint:
        links["complaint"] = selectors.linkable_complaint(request.user, body.complaint)
    if body.hazard_id is not None:
        links["hazard"] = selectors.linkable_hazard(request.user, body.hazard_id)
    if body.sample_id is not None:
        links["sample"] = selectors.linkable_sample(request.user, body.sample_id)
    missing = {
        {"hazard": "hazard_id", "sample": "sample_id"}.get(k, k): [_("Not found.")]
        for k, v in links.items()
        if v is None
    }
    if missing:
        raise ValidationError(missing)
    case = services.case_open(
        unit=unit,
        source=body.source,
        procedure=body.procedure,
        party_kind=body.party_kind,
        party_name=body.party_name,
        enterprise=_enterprise(body.enterprise_uscc),
        party_is_minor=body.party_is_minor,
        facts=body.facts,
        legal_basis=body.legal_basis,
        acting_user=request.user,
        **links,
    )
    return Status(201, _detail(request, case.number))


@router.get(f"{OFFICE}/cases/{{number}}", response=CaseDetailOut, summary="One case")
def case_detail(request, number: Line):
    return _detail(request, number)


@router.put(
    f"{OFFICE}/cases/{{number}}",
    response={200: CaseDetailOut, **errors(400, 409)},
    summary="Correct a case under investigation",
)
def case_update(request, number: Line, body: CaseUpdateIn):
    case = _case(request, number)
    services.case_update(
        case=case,
        procedure=body.procedure,
        party_kind=body.party_kind,
        party_name=body.party_name,
        enterprise=_enterprise(body.enterprise_uscc),
        party_is_minor=body.party_is_minor,
        facts=body.facts,
        legal_basis=body.legal_basis,
        acting_user=request.user,
    )
    return _detail(request, number)


@router.post(
    f"{OFFICE}/cases/{{number}}/decision",
    response={200: CaseDetailOut, **errors(400, 409)},
    summary="Record the penalty decision",
    description="Under the ordinary procedure, unless a warning alone or the party a minor, the "
    "penalty publicity falls due 20 working days after the decision.",
)
def case_decide(request, number: Line, body: DecisionIn):
    case = _case(request, number)
    services.case_decide(case=case, acting_user=request.user, **body.model_dump())
    return _detail(request, number)


@router.post(
    f"{OFFICE}/cases/{{number}}/change",
    response={200: CaseDetailOut, **errors(400, 409)},
    summary="Revise or revoke the decision",
    description="A published penalty is then to be withdrawn within 3 working days.",
)
def case_change(request, number: Line, body: ChangeIn):
    case = _case(request, number)
    services.case_change(case=case, acting_user=request.user, **body.model_dump())
    return _detail(request, number)


# --- publicity -----------------------------------------------------------------------------------
def _publicity(request, number: str):
    case = _case(request, number)
    publicity = selectors.publicity_of(case)
    if publicity is None:
        raise Http404
    publicity.case = case
    return publicity


@router.post(
    f"{OFFICE}/publicity/{{case_number}}/publish",
    response={200: PublicityOut, **errors(400, 409)},
    summary="Publish a case's penalty (optionally with a corrected text)",
)
def publicity_publish(request, case_number: Line, body: PublicityPublishIn):
    publicity = _publicity(request, case_number)
    return publicity_services.publicity_publish(
        publicity=publicity, text=body.text, acting_user=request.user
    )


@router.post(
    f"{OFFICE}/publicity/{{case_number}}/remove",
    response={200: PublicityOut, **errors(400, 409)},
    summary="Withdraw a changed decision, or remove early on application",
)
def publicity_remove(request, case_number: Line, body: RemoveIn):
    publicity = _publicity(request, case_number)
    if body.why == "changed":
        return publicity_services.publicity_withdraw(publicity=publicity, acting_user=request.user)
    if body.why != "application":
        raise ValidationError({"why": _("Give changed or application.")})
    values = body.model_dump(exclude={"why"})
    return publicity_services.publicity_remove_early(
        publicity=publicity, acting_user=request.user, **values
    )


# --- typical cases -------------------------------------------------------------------------------
@router.get(f"{OFFICE}/typical-cases", response=list[TypicalOut], summary="Typical cases I may see")
@paginate(Pagination, page_size=20)
def typical_list(request, filters: Query[TypicalSearchIn]):
    policy.require(request.user, SupervisionAction.WORK)
    return selectors.typical_list(request.user, status=filters.status)


@router.post(
    f"{OFFICE}/typical-cases",
    response={201: TypicalOut, **errors(400, 409)},
    summary="Write up a case whose penalty is published (a draft)",
)
def typical_create(request, body: TypicalIn):
    case = selectors.case_for(request.user, body.case_number)
    if case is None:
        raise ValidationError({"case_number": _("No such case among yours.")})
    campaign = Campaign.objects.filter(slug=body.campaign).first()
    if campaign is None:
        raise ValidationError({"campaign": _("No such campaign.")})
    domain = None
    if body.domain:
        domain = Domain.objects.filter(campaign=campaign, code=body.domain).first()
        if domain is None:
            raise ValidationError({"domain": _("No such domain in the campaign.")})
    typical = publicity_services.typical_create(
        case=case,
        campaign=campaign,
        domain=domain,
        title=body.title,
        facts=body.facts,
        actions=body.actions,
        warning=body.warning,
        acting_user=request.user,
    )
    return Status(201, typical)


def _typical(request, typical_id: int):
    found = selectors.typical_for(request.user, typical_id)
    if found is None:
        raise Http404
    return found


@router.post(
    f"{OFFICE}/typical-cases/{{typical_id}}/submit",
    response={200: TypicalOut, **errors(409)},
    summary="Submit a write-up for approval",
)
def typical_submit(request, typical_id: DbInt):
    typical = _typical(request, typical_id)
    return publicity_services.typical_submit(typical=typical, acting_user=request.user)


@router.post(
    f"{OFFICE}/typical-cases/{{typical_id}}/approve",
    response={200: TypicalOut, **errors(409)},
    summary="Approve and publish (a manager or the office, never the writer)",
)
def typical_approve(request, typical_id: DbInt):
    typical = _typical(request, typical_id)
    return publicity_services.typical_approve(typical=typical, acting_user=request.user)


@router.post(
    f"{OFFICE}/typical-cases/{{typical_id}}/return",
    response={200: TypicalOut, **errors(400, 409)},
    summary="Return a write-up to its writer with the reason",
)
def typical_return(request, typical_id: DbInt, body: ReturnIn):
    typical = _typical(request, typical_id)
    return publicity_services.typical_return(
        typical=typical, reason=body.reason, acting_user=request.user
    )


# --- public --------------------------------------------------------------------------------------
@router.get(
    "/supervision/penalties",
    response=list[PublicPenaltyOut],
    auth=None,
    summary="Published administrative penalties still in their publicity period",
)
@paginate(Pagination, page_size=20)
def public_penalties(request, filters: Query[PenaltySearchIn]):
    return selectors.public_penalties(query=filters.q)


@router.get(
    "/supervision/typical-cases",
    response=list[PublicTypicalOut],
    auth=None,
    summary="Published typical cases, by domain",
)
@paginate(Pagination, page_size=20)
def public_typical(request, filters: Query[PublicTypicalSearchIn]):
    return selectors.public_typical(domain=filters.domain)


@router.get(
    "/supervision/typical-cases/{typical_id}",
    response=PublicTypicalOut,
    auth=None,
    summary="One published typical case",
)
def public_typical_detail(request, typical_id: DbInt):
    found = selectors.public_typical_one(typical_id)
    if found is None:
        raise Http404
    return found
