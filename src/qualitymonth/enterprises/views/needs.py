"""The one-stop service's pages: an enterprise files and follows its needs and rates them; one
detail page serves everyone who may see a need (the enterprise, the office, the provider),
showing each the steps they may take; the deliverables and photos are streamed from private
storage after the same check."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qualitymonth.core.media import private_file_response
from qualitymonth.core.permissions import policy
from qualitymonth.core.validators import client_int
from qualitymonth.core.views import add_service_errors, paginate
from qualitymonth.enterprises import need_selectors as selectors
from qualitymonth.enterprises.models import Enterprise, Need
from qualitymonth.enterprises.need_forms import (
    DeliverableForm,
    DispatchForm,
    FeesForm,
    NeedFileForm,
    RateForm,
    ReasonForm,
    VisitForm,
)
from qualitymonth.enterprises.permissions import NeedAction
from qualitymonth.enterprises.services import needs as services

S = Need.Status


def need_or_404(request, number: str) -> Need:
    found = selectors.need_for(request.user, number)
    if found is None:
        raise Http404  # someone else's need is not this person's to know of
    return found


def _my_enterprises(user):
    return Enterprise.objects.filter(members__user=user).order_by("name")


def _fileable(request):
    """The enterprises this person may file a need for here: those they act for and those they
    steward; the office (or a steward) coming from one enterprise's page files for that one."""
    mine = Enterprise.objects.filter(Q(members__user=request.user) | Q(steward=request.user))
    chosen = client_int(request.GET.get("enterprise"))
    if chosen is not None:
        one = Enterprise.objects.select_related("region").filter(pk=chosen).first()
        if one is not None and policy.can(request.user, NeedAction.FILE, one):
            return Enterprise.objects.filter(pk=one.pk)
    return mine.distinct().order_by("name")


@login_required
def mine(request):
    page = paginate(request, selectors.enterprise_needs(request.user), per_page=20)
    return render(
        request,
        "enterprises/needs/mine.html",
        {"page": page, "may_file": _my_enterprises(request.user).exists()},
    )


@login_required
def new(request):
    enterprises = _fileable(request)
    if not enterprises.exists() and policy.is_office(request.user):
        messages.info(request, _("Open the enterprise's page and file the need from there."))
        return redirect("enterprises_office:list")
    if not enterprises.exists():
        messages.info(request, _("Claim your enterprise first; then you can file a need for it."))
        return redirect("enterprises:claim")
    form = NeedFileForm(request.POST or None, enterprises=enterprises)
    if request.method == "POST" and form.is_valid():
        try:
            need = services.need_file(
                enterprise=form.cleaned_data["enterprise"],
                service_type=form.cleaned_data["service_type"],
                description=form.cleaned_data["description"],
                products=form.cleaned_data["products"],
                wished_from=form.cleaned_data["wished_from"],
                wished_until=form.cleaned_data["wished_until"],
                public_consent=form.cleaned_data["public_consent"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Need %(number)s was filed. The office will answer by %(day)s.")
                % {"number": need.number, "day": f"{need.respond_by:%Y-%m-%d}"},
            )
            return redirect("services:detail", number=need.number)
    return render(
        request,
        "enterprises/needs/new.html",
        {"form": form, "catalogue": selectors.catalogue()},
        status=400 if form.errors else 200,
    )


def detail_context(request, need: Need, **forms) -> dict:
    """What the detail page shows this person: the steps they may take now, each with its form
    (a bound form with errors replaces the empty one)."""
    user = request.user
    office = policy.can(user, NeedAction.DISPATCH, need)
    serving = policy.can(user, NeedAction.SERVE, need)
    rating = policy.can(user, NeedAction.RATE, need)
    context = {
        "need": need,
        "visits": list(need.visits.select_related("logged_by")),
        "deliverables": list(need.deliverables.all()),
        "timeline": list(selectors.timeline(need)),
        "office": office,
        "serving": serving,
        "may_rate": rating and need.status == S.DELIVERED,
        "may_accept": office and need.status == S.SUBMITTED,
        "may_decline": office and need.status in (S.SUBMITTED, S.ACCEPTED),
        "may_dispatch": office and need.status in (S.SUBMITTED, S.ACCEPTED, S.DISPATCHED),
        "may_close": office and need.status == S.DELIVERED,
        "may_start": serving and need.status == S.DISPATCHED,
        "may_work": serving and need.status == S.IN_SERVICE,
        "may_fees": (office or serving) and need.status in (S.DELIVERED, S.CLOSED),
    }
    if context["may_dispatch"]:
        context["dispatch_form"] = forms.get("dispatch_form") or DispatchForm(
            suggestions=selectors.dispatch_suggestions(need)
        )
    context["decline_form"] = forms.get("decline_form") or ReasonForm()
    context["visit_form"] = forms.get("visit_form") or VisitForm()
    context["deliverable_form"] = forms.get("deliverable_form") or DeliverableForm()
    context["deliver_form"] = forms.get("deliver_form") or FeesForm()
    context["fees_form"] = forms.get("fees_form") or FeesForm(
        initial={
            "fee_standard": need.fee_standard,
            "fee_charged": need.fee_charged,
            "relief": need.relief,
        }
    )
    context["rate_form"] = forms.get("rate_form") or RateForm()
    return context


def render_detail(request, need: Need, status: int = 200, **forms):
    return render(
        request,
        "enterprises/needs/detail.html",
        detail_context(request, need, **forms),
        status=status,
    )


@login_required
def detail(request, number: str):
    return render_detail(request, need_or_404(request, number))


@login_required
@require_POST
def rate(request, number: str):
    need = need_or_404(request, number)
    form = RateForm(request.POST)
    if form.is_valid():
        try:
            services.need_rate(
                need=need,
                acting_user=request.user,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you: your rating was recorded and the need closed."))
            return redirect("services:detail", number=need.number)
    return render_detail(request, need, status=400, rate_form=form)


@login_required
def deliverable_file(request, number: str, pk: int):
    need = need_or_404(request, number)
    item = get_object_or_404(need.deliverables, pk=pk)
    return private_file_response(item.file, allow_pdf=True, download_name=item.original_name)


@login_required
def visit_photo(request, number: str, pk: int):
    need = need_or_404(request, number)
    visit = get_object_or_404(need.visits, pk=pk)
    if not visit.photo:
        raise Http404
    return private_file_response(visit.photo)
