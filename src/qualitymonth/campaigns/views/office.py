"""The back office of a co-organising unit and of the campaign office."""

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from qualitymonth.campaigns import panels, selectors, services
from qualitymonth.campaigns.documents import registrations_workbook
from qualitymonth.campaigns.forms import (
    REPORT_PHOTOS_MAX_MB,
    ActivityForm,
    CampaignForm,
    CheckInForm,
    ImportForm,
    ReasonForm,
    ReportForm,
    normalize_ticket_code,
)
from qualitymonth.campaigns.models import Activity, Campaign, Registration
from qualitymonth.campaigns.services.activities import (
    EDITABLE_STATUSES,
    TRANSITIONS,
    available_transitions,
)
from qualitymonth.campaigns.services.imports import import_template
from qualitymonth.core.audit import audit_record
from qualitymonth.core.body_limits import body_limit
from qualitymonth.core.forms import posted_text
from qualitymonth.core.models import AuditEvent
from qualitymonth.core.permissions import Action, policy
from qualitymonth.core.views import (
    add_service_errors,
    office_required,
    paginate,
    render_partial,
    require,
)


def _office_activity(request, pk: int, action: Action = Action.ACTIVITY_VIEW) -> Activity:
    activity = get_object_or_404(
        Activity.objects.select_related("campaign__region", "organiser", "focus_area", "district"),
        pk=pk,
    )
    require(request.user, action, activity)
    return activity


def _campaign_for_office(request) -> Campaign | None:
    slug = request.GET.get("campaign") or request.POST.get("campaign") or ""
    if re.fullmatch(r"[-\w]{1,80}", slug, flags=re.ASCII):  # a slug, or nothing is looked up
        return Campaign.objects.filter(slug=slug).select_related("region").first()
    return selectors.campaign_for_user(request.user)


@office_required
def home(request):
    campaign = _campaign_for_office(request)
    filters = {
        "campaign": campaign,
        "status": request.GET.get("status", "")
        if request.GET.get("status") in Activity.Status.values
        else "",
        "q": request.GET.get("q", ""),
        "unit": request.GET.get("unit", ""),
    }
    activities = selectors.office_activities(user=request.user, filters=filters)
    status_counts = dict(
        selectors.office_activities(user=request.user, filters={"campaign": campaign})
        .order_by()
        .values_list("status")
        .annotate(n=Count("id", distinct=True))
    )
    context = {
        "campaign": campaign,
        "campaigns": Campaign.objects.all(),
        "page": paginate(request, activities),
        "filters": filters,
        "status_tabs": [
            (value, label, status_counts.get(value, 0)) for value, label in Activity.Status.choices
        ],
        "is_office": policy.is_office(request.user),
        "my_units": [m.unit for m in policy.memberships(request.user)],
        "can_create": policy.can(request.user, Action.ACTIVITY_CREATE),
        "panels": [] if request.htmx else panels.office_rendered_for(request.user),
    }
    return render_partial(request, "campaigns/office/home.html", "results", context)


@office_required
@require_http_methods(["GET", "POST"])
def activity_new(request):
    campaign = _campaign_for_office(request)
    if campaign is None:
        messages.error(request, _("Set up a campaign first."))
        return redirect("office:campaign_new")
    organisers = policy.creatable_units(request.user)
    form = ActivityForm(request.POST or None, campaign=campaign, organisers=organisers)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(
                acting_user=request.user,
                campaign=campaign,
                organiser=form.cleaned_data["organiser"],
                data=form.service_data(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The plan is saved as a draft. Submit it for review when it is complete."),
            )
            return redirect("office:activity", activity.pk)
    if not request.POST and organisers.count() == 1:
        form.fields["organiser"].initial = organisers.first()
    return render(
        request,
        "campaigns/office/activity_form.html",
        {"form": form, "campaign": campaign, "creating": True},
        status=400 if form.errors else 200,
    )


@office_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, pk: int):
    activity = _office_activity(request, pk, Action.ACTIVITY_EDIT)
    if activity.status not in EDITABLE_STATUSES:
        messages.error(request, _("Only a draft or a returned activity can be edited."))
        return redirect("office:activity", pk)
    form = ActivityForm(
        request.POST or None,
        instance=activity,
        campaign=activity.campaign,
        organisers=policy.creatable_units(request.user)
        | type(activity.organiser).objects.filter(pk=activity.organiser_id),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(
                acting_user=request.user, activity=activity, data=form.service_data()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("office:activity", pk)
    return render(
        request,
        "campaigns/office/activity_form.html",
        {"form": form, "campaign": activity.campaign, "activity": activity, "creating": False},
        status=400 if form.errors else 200,
    )


@office_required
def activity_detail(request, pk: int):
    activity = _office_activity(request, pk)
    counts = activity.registrations.aggregate(
        confirmed=Count("id", filter=Q(status=Registration.Status.CONFIRMED)),
        waitlisted=Count("id", filter=Q(status=Registration.Status.WAITLISTED)),
        cancelled=Count("id", filter=Q(status=Registration.Status.CANCELLED)),
        checked_in=Count("id", filter=Q(checked_in_at__isnull=False)),
    )
    context = {
        "activity": activity,
        "campaign": activity.campaign,
        "counts": counts,
        "steps": available_transitions(user=request.user, activity=activity),
        "can_edit": activity.status in EDITABLE_STATUSES
        and policy.can(request.user, Action.ACTIVITY_EDIT, activity),
        "can_manage": policy.can(request.user, Action.ACTIVITY_MANAGE, activity),
        "report": getattr(activity, "report", None),
        "report_allowed": activity.status in (Activity.Status.PUBLISHED, Activity.Status.COMPLETED)
        and activity.phase() != "upcoming",
        "survey": selectors.survey_summary(activity),
        "events": AuditEvent.objects.filter(
            object_type="campaigns.activity", object_id=str(activity.pk)
        )[:20],
        "reason_form": ReasonForm(),
    }
    return render(request, "campaigns/office/activity_detail.html", context)


_STEP_SERVICES = {
    "submit": services.activity_submit,
    "approve": services.activity_approve,
    "return": services.activity_return,
    "publish": services.activity_publish,
    "complete": services.activity_complete,
    "cancel": services.activity_cancel,
}
_STEP_MESSAGES = {
    "submit": _("Submitted to the campaign office for review."),
    "approve": _("Approved. The unit can now publish it."),
    "return": _("Returned to the unit with your reason."),
    "publish": _("Published: the activity is on the public calendar."),
    "complete": _("Marked as completed."),
    "cancel": _("Cancelled; all registrations were cancelled."),
}


@office_required
@require_POST
def activity_step(request, pk: int, step: str):
    if step not in TRANSITIONS:
        return HttpResponse(status=404)
    activity = _office_activity(request, pk, TRANSITIONS[step][2])
    kwargs = {}
    try:
        if step in {"return", "cancel"}:
            kwargs["reason"] = posted_text(request, "reason")
        elif step == "approve":
            kwargs["note"] = posted_text(request, "reason")
        _STEP_SERVICES[step](acting_user=request.user, activity=activity, **kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, str(_STEP_MESSAGES[step]))
    return redirect("office:activity", pk)


@office_required
@require_http_methods(["GET", "POST"])
def activity_import(request):
    campaign = _campaign_for_office(request)
    if campaign is None:
        return redirect("office:campaign_new")
    organisers = policy.creatable_units(request.user)
    form = ImportForm(request.POST or None, request.FILES or None, organisers=organisers)
    result = None
    if request.method == "POST" and form.is_valid():
        result = services.activities_import(
            acting_user=request.user,
            campaign=campaign,
            organiser=form.cleaned_data["organiser"],
            file=form.cleaned_data["file"],
        )
        if result.ok:
            messages.success(
                request, _("%(n)s activities imported as drafts.") % {"n": len(result.created)}
            )
            return redirect(reverse("office:home") + "?status=draft")
    status = 400 if (form.errors or (result and not result.ok)) else 200
    return render(
        request,
        "campaigns/office/import.html",
        {"form": form, "campaign": campaign, "result": result},
        status=status,
    )


@office_required
def import_template_download(request):
    campaign = _campaign_for_office(request)
    if campaign is None:
        return redirect("office:campaign_new")
    response = HttpResponse(
        import_template(campaign),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="activity-plan-template.xlsx"'
    return response


@office_required
def registrations(request, pk: int):
    activity = _office_activity(request, pk, Action.ACTIVITY_MANAGE)
    status = request.GET.get("status", "")
    if status not in {*Registration.Status.values, "checked_in"}:
        status = ""
    qs = selectors.activity_registrations(
        activity=activity, status=status, q=request.GET.get("q", "")
    )
    context = {
        "activity": activity,
        "campaign": activity.campaign,
        "page": paginate(request, qs, per_page=50),
        "status": status,
        "statuses": Registration.Status.choices,
    }
    return render_partial(request, "campaigns/office/registrations.html", "results", context)


@office_required
def registrations_export(request, pk: int):
    activity = _office_activity(request, pk, Action.ACTIVITY_MANAGE)
    rows = selectors.activity_registrations(activity=activity)
    # The export carries full names and numbers: who took them, and when, is on the record.
    audit_record(
        actor=request.user, event_type="registration.export", target=activity, rows=rows.count()
    )
    response = HttpResponse(
        registrations_workbook(activity, rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="registrations-{activity.pk}.xlsx"'
    return response


def _check_in(request, activity: Activity | None, code: str):
    """Check a ticket in; returns (registration or None, error message or None)."""
    registration = (
        Registration.objects.select_related("activity__campaign__region")
        .filter(ticket_code=code)
        .first()
    )
    if registration is None or (activity is not None and registration.activity_id != activity.pk):
        if registration is not None and policy.can(
            request.user, Action.ACTIVITY_MANAGE, registration.activity
        ):
            return registration, _("Ticket %(code)s is for another activity: “%(title)s”.") % {
                "code": registration.display_code,
                "title": registration.activity.title,
            }
        return None, _("No ticket with the code %(code)s for this activity.") % {"code": code}
    if not policy.can(request.user, Action.ACTIVITY_MANAGE, registration.activity):
        return None, _("No ticket with the code %(code)s for this activity.") % {"code": code}
    try:
        services.registration_check_in(registration=registration, acting_user=request.user)
    except ValidationError as error:
        return registration, " ".join(error.messages)
    registration.refresh_from_db()
    return registration, None


@office_required
@require_http_methods(["GET", "POST"])
def checkin(request, pk: int):
    activity = _office_activity(request, pk, Action.ACTIVITY_MANAGE)
    form = CheckInForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        registration, error = _check_in(request, activity, form.cleaned_data["code"])
        result = {"registration": registration, "error": error}
        if error is None:
            form = CheckInForm()
    counts = activity.registrations.aggregate(
        confirmed=Count("id", filter=Q(status=Registration.Status.CONFIRMED)),
        checked_in=Count("id", filter=Q(checked_in_at__isnull=False)),
    )
    context = {
        "activity": activity,
        "campaign": activity.campaign,
        "form": form,
        "result": result,
        "counts": counts,
    }
    status = 409 if result and result["error"] else (400 if form.errors else 200)
    return render_partial(request, "campaigns/office/checkin.html", "panel", context, status=status)


@office_required
@require_http_methods(["GET", "POST"])
def checkin_code(request, code: str):
    """Where a ticket's QR code leads when staff scan it with the phone's own camera app."""
    try:
        code = normalize_ticket_code(code)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("office:home")
    registration = get_object_or_404(
        Registration.objects.select_related("activity__campaign__region"), ticket_code=code
    )
    require(request.user, Action.ACTIVITY_MANAGE, registration.activity)
    result = None
    if request.method == "POST":
        registration, error = _check_in(request, None, code)
        result = {"registration": registration, "error": error}
    context = {"registration": registration, "activity": registration.activity, "result": result}
    return render(
        request,
        "campaigns/office/checkin_code.html",
        context,
        status=409 if result and result["error"] else 200,
    )


@body_limit(REPORT_PHOTOS_MAX_MB)
@office_required
@require_http_methods(["GET", "POST"])
def report(request, pk: int):
    activity = _office_activity(request, pk, Action.ACTIVITY_MANAGE)
    existing = getattr(activity, "report", None)
    initial = {}
    if existing:
        initial = {
            f: getattr(existing, f)
            for f in ("participants", "enterprises_served", "problems_solved", "summary")
        }
    else:
        initial["participants"] = (
            activity.registrations.filter(checked_in_at__isnull=False).count() or None
        )
    form = ReportForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_file(acting_user=request.user, activity=activity, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Outcome report saved."))
            return redirect("office:activity", pk)
    context = {
        "activity": activity,
        "campaign": activity.campaign,
        "form": form,
        "report": existing,
        "survey": selectors.survey_summary(activity),
    }
    return render(
        request, "campaigns/office/report_form.html", context, status=400 if form.errors else 200
    )


@office_required
@require_http_methods(["GET", "POST"])
def campaign_new(request):
    require(request.user, Action.CAMPAIGN_MANAGE)
    previous = Campaign.objects.order_by("-year").first()
    initial = {}
    if previous:
        initial = {
            "year": previous.year + 1,
            "region": previous.region,
            "lead_unit": previous.lead_unit,
            "co_organisers": list(previous.co_organisers.all()),
            "slogan": previous.slogan,
            "focus_areas": CampaignForm.named_lines_initial(previous.focus_areas.all()),
            "domains": CampaignForm.named_lines_initial(previous.domains.all()),
        }
    form = CampaignForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Campaign created. Units can now plan their activities for it.")
            )
            return redirect(reverse("office:home") + f"?campaign={campaign.slug}")
    return render(
        request,
        "campaigns/office/campaign_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )
