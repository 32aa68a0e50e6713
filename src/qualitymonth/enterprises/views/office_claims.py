"""The office's queue of claims: check the licence, approve, or decline with a reason."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qualitymonth.core.audit import audit_record
from qualitymonth.core.permissions import policy
from qualitymonth.core.validators import mask_mobile
from qualitymonth.core.views import add_service_errors, office_required, paginate
from qualitymonth.enterprises import claim_selectors as selectors
from qualitymonth.enterprises.claim_forms import ClaimFilterForm, DeclineForm
from qualitymonth.enterprises.models import Claim
from qualitymonth.enterprises.permissions import Action
from qualitymonth.enterprises.services import claims as services
from qualitymonth.enterprises.views.public import licence_response


def _may_decide_any(user) -> bool:
    return policy.can(user, Action.CLAIM_DECIDE)


def _claim(request, pk: int) -> Claim:
    found = selectors.office_claim(request.user, pk)
    if found is None:
        # Another region's claim is "not found": its existence is not for this office.
        raise Http404
    return found


@office_required
def claims(request):
    if not _may_decide_any(request.user):
        raise Http404
    form = ClaimFilterForm(request.GET or None)
    values = form.values()
    page = paginate(request, selectors.office_claims(request.user, **values), per_page=30)
    context = {
        "form": form,
        "page": page,
        "status": values["status"],
        "statuses": Claim.Status.choices,
    }
    return render(request, "enterprises/office/claims.html", context)


def _detail(request, found: Claim, decline_form: DeclineForm, status: int = 200):
    context = {
        "claim": found,
        "mobile": mask_mobile(found.mobile),
        "decline_form": decline_form,
        "others": found.enterprise.members.select_related("user").order_by("created_at"),
    }
    return render(request, "enterprises/office/claim.html", context, status=status)


@office_required
def claim(request, pk: int):
    return _detail(request, _claim(request, pk), DeclineForm())


@office_required
def licence(request, pk: int):
    found = _claim(request, pk)
    # Who looked at whose licence: it is a document with personal data on it.
    audit_record(actor=request.user, event_type="enterprise.claim_licence_viewed", target=found)
    return licence_response(found)


@office_required
@require_POST
def approve(request, pk: int):
    found = _claim(request, pk)
    try:
        services.claim_approve(claim=found, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(person)s now acts for %(name)s.")
            % {
                "person": found.user.get_full_name() or found.user.get_username(),
                "name": found.enterprise,
            },
        )
    return redirect("enterprises_office:claim", pk=found.pk)


@office_required
@require_POST
def decline(request, pk: int):
    found = _claim(request, pk)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            services.claim_decline(
                claim=found, acting_user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The claim was declined; the person is told why."))
            return redirect("enterprises_office:claim", pk=found.pk)
    # The reason typed stays in the form beside its error.
    return _detail(request, found, form, status=400)
