"""The hazards' pages: the unit's and the office's list with its clocks; one page per hazard for
everyone who may see it (the unit, the drawn inspectors, the office, the subject's enterprise),
showing each the steps they may take; the enterprise's own orders; the reply, the
re-inspection and the extension (the last two after a confirmation); the photos, streamed from
private storage after the same check."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitymonth.core.media import private_file_response
from qualitymonth.core.permissions import PermissionDenied
from qualitymonth.core.validators import BIGINT_MAX
from qualitymonth.core.views import add_service_errors, office_required, paginate, require
from qualitymonth.supervision import hazard_selectors as selectors
from qualitymonth.supervision.hazard_forms import (
    ExtendForm,
    HazardFilterForm,
    MineFilterForm,
    ReinspectionForm,
    ReplyForm,
)
from qualitymonth.supervision.models import Hazard
from qualitymonth.supervision.permissions import SupervisionAction
from qualitymonth.supervision.services import hazards as services

S = Hazard.Status
PER_PAGE = 30
CONFIRM = "confirm"


def signed_in(view):
    """Signed in (the enterprise's users are not staff); a refusal of the policy is a 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as denied:
            raise DjangoPermissionDenied from denied

    return wrapper


def _access_or_404(request, pk: int) -> selectors.Access:
    found = selectors.hazard_access(request.user, pk)
    if found is None:
        raise Http404  # another enterprise's or another unit's hazard is not theirs to know of
    return found


def _work_or_404(request, pk: int) -> Hazard:
    access = _access_or_404(request, pk)
    if not access.can_work:
        raise Http404
    return access.hazard


# --- lists ---------------------------------------------------------------------------------------
@office_required
def hazard_list(request):
    require(request.user, SupervisionAction.VIEW)
    tab = request.GET.get("tab", "open")
    tab = tab if tab in selectors.TABS else "open"
    form = HazardFilterForm(request.GET or None, user=request.user)
    today = timezone.localdate()
    hazards = selectors.hazard_list(request.user, form.filters(tab), today=today)
    page = paginate(request, hazards, per_page=PER_PAGE, count_cap=selectors.COUNT_CAP)
    page.object_list = selectors.with_clock(page.object_list, today=today)
    counts = selectors.tab_counts(request.user, today=today)
    context = {
        "form": form,
        "page": page,
        "tab": tab,
        "tabs": [(value, label, counts[value]) for value, label in selectors.tab_labels()],
        "today": today,
        "due_soon_workdays": selectors.DUE_SOON_WORKDAYS,
    }
    return render(request, "supervision/hazards/list.html", context)


@signed_in
def hazard_mine(request):
    """The rectification orders of the enterprises the user acts for."""
    form = MineFilterForm(request.GET or None)
    status = form.cleaned_data.get("status") if form.is_bound and form.is_valid() else ""
    status = status or "open"
    today = timezone.localdate()
    page = paginate(request, selectors.rectifications_for(request.user, status=status), PER_PAGE)
    page.object_list = selectors.with_clock(page.object_list, today=today)
    statuses = [(v, label) for v, label in form.fields["status"].choices]
    context = {"page": page, "status": status, "statuses": statuses, "today": today}
    return render(request, "supervision/hazards/mine.html", context)


# --- one hazard ----------------------------------------------------------------------------------
def _detail_context(request, access: selectors.Access) -> dict:
    hazard = access.hazard
    today = timezone.localdate()
    selectors.with_clock([hazard], today=today)
    live = hazard.status in selectors.LIVE
    return {
        "hazard": hazard,
        "can_work": access.can_work,
        "can_respond": access.can_respond,
        "can_reply": live and (access.can_respond or access.can_work),
        "can_reinspect": live and access.can_work,
        "can_extend": hazard.status == S.OPEN and access.can_work and not hazard.extended,
        "photos": selectors.item_photos(hazard),
        "replies": selectors.replies_of(hazard),
        "history": list(selectors.history_of(hazard)) if access.can_work else [],
        "case": selectors.case_of(hazard) if hazard.status == S.ESCALATED else None,
        "today": today,
    }


@signed_in
def hazard_detail(request, pk: int):
    access = _access_or_404(request, pk)
    return render(request, "supervision/hazards/detail.html", _detail_context(request, access))


@signed_in
def hazard_reply(request, pk: int):
    """The subject's answer (or an inspector recording it): a note and a photo."""
    access = _access_or_404(request, pk)
    hazard = access.hazard
    form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.hazard_reply(
                hazard=hazard,
                note=form.cleaned_data["note"],
                photo=form.cleaned_data.get("photo"),
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your rectification report was sent to the unit."))
            return redirect("sv_hazard:detail", pk=hazard.pk)
    context = {"hazard": hazard, "form": form, "on_behalf": not access.can_respond}
    status = 400 if form.errors else 200
    return render(request, "supervision/hazards/reply.html", context, status=status)


def _confirmed_step(request, hazard, form, *, check, run, template, done):
    """GET: the form; a first POST: the values checked and shown for confirmation (nothing
    saved); a POST with `confirm`: the step itself."""
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items()}
        try:
            if request.POST.get(CONFIRM) == "yes":
                run(values)
                messages.success(request, done)
                return redirect("sv_hazard:detail", pk=hazard.pk)
            checked = check(values)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            context = {"hazard": hazard, "form": form, "values": checked, "confirming": True}
            return render(request, template, context)
    status = 400 if form.errors else 200
    context = {"hazard": hazard, "form": form, "confirming": False}
    return render(request, template, context, status=status)


@signed_in
def hazard_reinspect(request, pk: int):
    hazard = _work_or_404(request, pk)
    require(request.user, SupervisionAction.WORK, hazard)
    form = ReinspectionForm(
        request.POST or None, initial={"reinspected_on": timezone.localdate(), "outcome": "close"}
    )

    def run(values):
        services.hazard_reinspect(hazard=hazard, acting_user=request.user, **values)

    done = _("The re-inspection was recorded.")
    return _confirmed_step(
        request,
        hazard,
        form,
        check=lambda values: services.clean_reinspection(hazard, **values),
        run=run,
        template="supervision/hazards/reinspect.html",
        done=done,
    )


@signed_in
def hazard_extend(request, pk: int):
    hazard = _work_or_404(request, pk)
    require(request.user, SupervisionAction.WORK, hazard)
    form = ExtendForm(request.POST or None)

    def check(values):
        if services.was_extended(hazard):
            raise ValidationError(_("The deadline was extended once already."))
        return services.clean_extension(hazard, **values)

    def run(values):
        services.hazard_extend(hazard=hazard, acting_user=request.user, **values)

    return _confirmed_step(
        request,
        hazard,
        form,
        check=check,
        run=run,
        template="supervision/hazards/extend.html",
        done=_("The deadline was extended; the subject will be told."),
    )


# --- photos --------------------------------------------------------------------------------------
@signed_in
def hazard_photo(request, pk: int, photo_pk: int):
    """A photo the inspectors took of the hazard's item."""
    access = _access_or_404(request, pk)
    photo = next((p for p in selectors.item_photos(access.hazard) if p.pk == photo_pk), None)
    if photo is None or not photo.image:
        raise Http404
    return private_file_response(photo.image)


@signed_in
def reply_photo(request, pk: int, reply_pk: int):
    access = _access_or_404(request, pk)
    if not 0 < reply_pk <= BIGINT_MAX:
        raise Http404
    reply = get_object_or_404(access.hazard.replies, pk=reply_pk)
    if not reply.photo:
        raise Http404
    return private_file_response(reply.photo)
