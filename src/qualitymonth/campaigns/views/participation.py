"""Pages of campaign participation: the public application page (with the applicant's own
applications), and the office's list and decision pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from qualitymonth.campaigns import participation_selectors as selectors
from qualitymonth.campaigns.models import Campaign, Participation
from qualitymonth.campaigns.participation_forms import (
    DeclineForm,
    ParticipationApplyForm,
    ParticipationFilterForm,
)
from qualitymonth.campaigns.services import participation as services
from qualitymonth.core.permissions import PermissionDenied, policy
from qualitymonth.core.views import add_service_errors, office_required, paginate


def _campaign(slug: str) -> Campaign:
    return get_object_or_404(
        Campaign.objects.select_related("region"), slug=slug, is_published=True
    )


# --- the applicant ---------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def join(request, slug: str):
    campaign = _campaign(slug)
    form = ParticipationApplyForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            services.participation_apply(
                campaign=campaign, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Your application is sent. The campaign office will accept or decline it."),
            )
            return redirect("campaigns:join", slug=campaign.slug)
    context = {
        "campaign": campaign,
        "form": form,
        "mine": selectors.masked(selectors.my_participations(request.user, campaign)[:50]),
    }
    return render(
        request, "campaigns/participation/join.html", context, status=400 if form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, slug: str, pk: int):
    campaign = _campaign(slug)
    participation = get_object_or_404(selectors.my_participations(request.user, campaign), pk=pk)
    if request.method == "POST":
        try:
            services.participation_withdraw(participation=participation, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your application is withdrawn."))
        return redirect("campaigns:join", slug=campaign.slug)
    return render(
        request,
        "campaigns/participation/withdraw.html",
        {"campaign": campaign, "participation": participation},
    )


# --- the office -------------------------------------------------------------------------------
def _office_only(request) -> None:
    if not policy.is_office(request.user):
        raise Http404


@office_required
def office_list(request):
    _office_only(request)
    form = ParticipationFilterForm(request.GET or None)
    filters = form.filters()
    page = paginate(request, selectors.office_participations(request.user, filters), per_page=30)
    counts = selectors.status_counts(request.user)
    context = {
        "form": form,
        "page": page,
        "status": filters.get("status", ""),
        "status_tabs": [
            (value, label, counts.get(value, 0)) for value, label in Participation.Status.choices
        ],
    }
    return render(request, "campaigns/participation/office_list.html", context)


def _office_participation(request, pk: int) -> Participation:
    _office_only(request)
    participation = selectors.office_participation(request.user, pk)
    if participation is None:
        raise Http404
    return participation


def _render_detail(request, participation: Participation, *, status: int = 200, **forms):
    services.participation_contact_viewed(participation=participation, acting_user=request.user)
    context = {
        "participation": participation,
        "decline_form": forms.get("decline_form") or DeclineForm(),
    }
    return render(request, "campaigns/participation/office_detail.html", context, status=status)


@office_required
def office_detail(request, pk: int):
    return _render_detail(request, _office_participation(request, pk))


@office_required
@require_http_methods(["GET", "POST"])
def office_accept(request, pk: int):
    """A confirmation page first: accepting makes a unit and gives its applicant an account role."""
    participation = _office_participation(request, pk)
    if request.method == "POST":
        try:
            services.participation_accept(participation=participation, acting_user=request.user)
        except PermissionDenied as denied:
            raise DjangoPermissionDenied from denied
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Accepted: the organisation is now a participating unit."))
        return redirect("office:participation", pk=participation.pk)
    return render(
        request, "campaigns/participation/office_accept.html", {"participation": participation}
    )


@office_required
@require_POST
def office_decline(request, pk: int):
    participation = _office_participation(request, pk)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            services.participation_decline(
                participation=participation,
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )
        except PermissionDenied as denied:
            raise DjangoPermissionDenied from denied
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Declined; the applicant is told why."))
            return redirect("office:participation", pk=participation.pk)
    return _render_detail(request, participation, status=400, decline_form=form)
