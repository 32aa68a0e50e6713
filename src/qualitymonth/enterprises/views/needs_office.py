"""The office's and providers' pages of the one-stop service: the office's list with its clocks,
a provider's queue, and the steps each takes on a need's detail page (views/needs.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qualitymonth.core.body_limits import body_limit
from qualitymonth.core.permissions import PermissionDenied, policy
from qualitymonth.core.views import add_service_errors, office_required, paginate
from qualitymonth.enterprises import need_selectors as selectors
from qualitymonth.enterprises.need_forms import (
    DeliverableForm,
    DispatchForm,
    FeesForm,
    NeedFilterForm,
    ReasonForm,
    VisitForm,
)
from qualitymonth.enterprises.services import needs as services
from qualitymonth.enterprises.views.needs import need_or_404, render_detail


@office_required
def need_list(request):
    if not policy.is_office(request.user):
        raise Http404
    form = NeedFilterForm(request.GET or None)
    filters = form.filters()
    page = paginate(request, selectors.office_needs(request.user, filters), per_page=30)
    context = {"form": form, "page": page, "clock": filters.get("clock", "")}
    return render(request, "enterprises/needs/office_list.html", context)


@login_required
def queue(request):
    # An expert provider may have no unit: the queue asks whether the person serves anyone.
    if not selectors.serves_any(request.user):
        raise Http404
    page = paginate(request, selectors.provider_queue(request.user), per_page=30)
    return render(request, "enterprises/needs/queue.html", {"page": page})


@login_required
def detail(request, number: str):
    return render_detail(request, need_or_404(request, number))


def _step(request, number, form_class, form_name, call, done: str, **form_kwargs):
    """One POSTed step: check the form, call the service, then back to the detail page with a
    message, or the page again with the form's errors and what was typed."""
    need = need_or_404(request, number)
    if form_class is None:
        form = None
    elif form_class is DispatchForm:
        form = DispatchForm(request.POST, suggestions=selectors.dispatch_suggestions(need))
    else:
        form = form_class(request.POST, request.FILES or None, **form_kwargs)
    if form is None or form.is_valid():
        try:
            call(need, form.cleaned_data if form is not None else {})
        except PermissionDenied as denied:
            raise DjangoPermissionDenied from denied
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
                return redirect("needs_office:detail", number=need.number)
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("needs_office:detail", number=need.number)
    return render_detail(request, need, status=400, **{form_name: form})


@login_required
@require_POST
def accept(request, number: str):
    return _step(
        request,
        number,
        None,
        "",
        lambda need, _data: services.need_accept(need=need, acting_user=request.user),
        _("The need was accepted."),
    )


@login_required
@require_POST
def decline(request, number: str):
    return _step(
        request,
        number,
        ReasonForm,
        "decline_form",
        lambda need, data: services.need_decline(
            need=need, acting_user=request.user, reason=data["reason"]
        ),
        _("The need was declined; the enterprise is told why."),
    )


@login_required
@require_POST
def dispatch(request, number: str):
    return _step(
        request,
        number,
        DispatchForm,
        "dispatch_form",
        lambda need, data: services.need_dispatch(
            need=need,
            acting_user=request.user,
            provider=data["provider"],
            reason=data["reason"],
        ),
        _("The need was sent to the provider."),
    )


@login_required
@require_POST
def close(request, number: str):
    return _step(
        request,
        number,
        None,
        "",
        lambda need, _data: services.need_close(need=need, acting_user=request.user),
        _("The need was closed."),
    )


@login_required
@require_POST
def start(request, number: str):
    return _step(
        request,
        number,
        None,
        "",
        lambda need, _data: services.need_start(need=need, acting_user=request.user),
        _("The service has started."),
    )


@login_required
@require_POST
@body_limit(services.PHOTO_MAX_MB)
def visit(request, number: str):
    return _step(
        request,
        number,
        VisitForm,
        "visit_form",
        lambda need, data: services.visit_log(need=need, acting_user=request.user, **data),
        _("The visit was recorded."),
    )


@login_required
@require_POST
@body_limit(services.DELIVERABLE_MAX_MB)
def deliverable(request, number: str):
    return _step(
        request,
        number,
        DeliverableForm,
        "deliverable_form",
        lambda need, data: services.deliverable_add(need=need, acting_user=request.user, **data),
        _("The deliverable was added."),
    )


@login_required
@require_POST
def deliver(request, number: str):
    return _step(
        request,
        number,
        FeesForm,
        "deliver_form",
        lambda need, data: services.need_deliver(need=need, acting_user=request.user, **data),
        _("The service was delivered; the enterprise is asked to rate it."),
    )


@login_required
@require_POST
def fees(request, number: str):
    return _step(
        request,
        number,
        FeesForm,
        "fees_form",
        lambda need, data: services.need_fees_record(need=need, acting_user=request.user, **data),
        _("The fees were recorded."),
    )
