"""Enterprise accounts for the public: sign up, prove a mobile, claim an enterprise, see one's
enterprises and claims."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from qualitymonth.core import ratelimit
from qualitymonth.core.body_limits import body_limit
from qualitymonth.core.identity import verified_mobile, verify_mobile_step
from qualitymonth.core.media import private_file_response
from qualitymonth.core.validators import mask_mobile
from qualitymonth.core.views import add_service_errors
from qualitymonth.enterprises import claim_selectors as selectors
from qualitymonth.enterprises.claim_forms import ClaimForm, SignupForm
from qualitymonth.enterprises.models import Claim
from qualitymonth.enterprises.services import accounts, claims

SIGNUPS_PER_HOUR = 10


def start(request):
    """/enterprises/, where the services page sends enterprises: a newcomer signs up, a person
    with an account goes on to their enterprises (and from there to a claim)."""
    return redirect("enterprises:mine" if request.user.is_authenticated else "enterprises:signup")


def signup(request):
    if request.user.is_authenticated:
        return redirect("enterprises:mobile")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.allow(
            f"enterprise-signup:{ratelimit.client_key(request)}",
            limit=SIGNUPS_PER_HOUR,
            window=3600,
        ):
            form.add_error(None, _("Too many accounts created from this connection. Try later."))
        else:
            try:
                user = accounts.account_register(
                    username=form.cleaned_data["username"],
                    password=form.cleaned_data["password1"],
                    name=form.cleaned_data["name"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("Your account is ready. Now verify your mobile."))
                return redirect("enterprises:mobile")
    return render(request, "enterprises/signup.html", {"form": form})


@login_required
def mobile(request):
    if request.method == "POST" and verify_mobile_step(
        request, verified_message=_("Mobile number verified. You can claim an enterprise.")
    ):
        return redirect("enterprises:claim")
    context = {
        "verified": verified_mobile(request),
        "pending": request.session.get("qm_pending_mobile", ""),
        # A number refused before any code was sent is shown again, to correct it.
        "typed": request.POST.get("mobile", "")[:14],
    }
    return render(request, "enterprises/mobile.html", context)


@login_required
@body_limit(claims.LICENCE_MAX_MB)
def claim(request):
    mobile_number = verified_mobile(request)
    if not mobile_number:
        messages.info(request, _("Verify your mobile number before claiming an enterprise."))
        return redirect("enterprises:mobile")
    form = ClaimForm(request.POST or None, request.FILES or None)
    not_registered = False
    if request.method == "POST" and form.is_valid():
        try:
            claims.claim_submit(
                user=request.user,
                mobile=mobile_number,
                uscc=form.cleaned_data["uscc"],
                position=form.cleaned_data["position"],
                licence=form.cleaned_data["licence"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            # The page then says how to ask the office to register the enterprise.
            not_registered = any(
                item.code == "not_registered"
                for item in getattr(error, "error_dict", {}).get("uscc", [])
            )
        else:
            messages.success(
                request,
                _("Your claim was sent. The campaign office will check the licence and decide."),
            )
            return redirect("enterprises:mine")
    return render(
        request,
        "enterprises/claim.html",
        {"form": form, "mobile": mask_mobile(mobile_number), "not_registered": not_registered},
    )


@login_required
def mine(request):
    context = {
        "memberships": selectors.my_enterprises(request.user),
        "claims": selectors.own_claims(request.user).exclude(status=Claim.Status.APPROVED),
    }
    return render(request, "enterprises/mine.html", context)


@login_required
def licence(request, pk: int):
    """The claimant's own licence image; anyone else's claim is not found."""
    found = selectors.own_claim(request.user, pk)
    if found is None:
        raise Http404
    return licence_response(found)


def licence_response(found: Claim) -> FileResponse:
    """A licence image from private storage: never cached by others, never run as a page."""
    return private_file_response(found.licence)
