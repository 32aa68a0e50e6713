"""The enterprise's own API: its users, claims and (later) needs."""

from ninja import File, Form, Router, Status, UploadedFile
from ninja.pagination import paginate
from ninja.security import django_auth

from qualitymonth.api.errors import errors
from qualitymonth.core.body_limits import body_limit
from qualitymonth.core.identity import verified_mobile
from qualitymonth.core.pagination import Pagination
from qualitymonth.core.schemas import Line
from qualitymonth.core.throttles import AddressThrottle
from qualitymonth.enterprises import claim_selectors
from qualitymonth.enterprises.claim_schemas import ClaimOut, MembershipOut
from qualitymonth.enterprises.services import claims as claim_services

router = Router(tags=["enterprises"])


# --- claims: a signed-in person asks to act for an enterprise ---------------------------------
@router.post(
    "/enterprise-claims",
    auth=django_auth,
    response={201: ClaimOut, **errors(400, 409, 429)},
    summary="Claim an enterprise by its code, with its business licence",
    description=(
        "Multipart. The mobile is the one verified in this session (on /enterprises/mobile/); "
        "without it the claim is refused (code `mobile_required`). An enterprise not in the "
        "registry gives `not_registered`; a second claim, `duplicate` (409)."
    ),
    throttle=[AddressThrottle("enterprise-claim", "30/h")],
)
@body_limit(claim_services.LICENCE_MAX_MB)
def claim_create(
    request,
    uscc: Form[Line],
    position: Form[Line],
    licence: File[UploadedFile | None] = None,
):
    claim = claim_services.claim_submit(
        user=request.user,
        mobile=verified_mobile(request),
        uscc=uscc,
        position=position,
        licence=licence,
    )
    return Status(201, claim)


@router.get(
    "/enterprise-claims",
    auth=django_auth,
    response=list[ClaimOut],
    summary="My claims, newest first",
)
@paginate(Pagination, page_size=50)
def claim_list(request):
    return claim_selectors.own_claims(request.user)


@router.get(
    "/my-enterprises",
    auth=django_auth,
    response=list[MembershipOut],
    summary="The enterprises I act for",
)
@paginate(Pagination, page_size=50)
def my_enterprises(request):
    return claim_selectors.my_enterprises(request.user)
