"""The back office for complaints: lists by deadline, the triage queue, handling a case,
hotspots, exports."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qualitymonth.campaigns.selectors import campaign_for_user
from qualitymonth.complaints import selectors, services
from qualitymonth.complaints.documents import cases_workbook
from qualitymonth.complaints.forms import CaseFilterForm, GroupActionForm, MoveForm, StepForm
from qualitymonth.complaints.models import Attachment, Complaint, ProblemGroup, ResponseTemplate
from qualitymonth.core.audit import audit_record
from qualitymonth.core.models import Region, Unit
from qualitymonth.core.permissions import Action, policy
from qualitymonth.core.validators import client_int
from qualitymonth.core.views import add_service_errors, office_required, render_partial, require
from qualitymonth.core.workdays import fallback_warning

EXPORT_LIMIT = 50_000


def _filters(request, *, triage: bool = False):
    region = selectors.intake_region(campaign_for_user(request.user))
    districts = Region.objects.filter(parent=region) if region else Region.objects.none()
    units = Unit.objects.filter(is_active=True).order_by("name")
    form = CaseFilterForm(request.GET or None, districts=districts, units=units)
    values = form.cleaned_data if form.is_valid() else {}
    filters = selectors.CaseFilters(
        **{
            k: v for k, v in values.items() if v and k in selectors.CaseFilters.__dataclass_fields__
        },
        triage=triage,
    )
    return form, filters


@office_required
def cases(request, triage: bool = False):
    if triage:
        require(request.user, Action.COMPLAINT_TRIAGE)
    elif not policy.can(request.user, Action.COMPLAINT_VIEW):
        raise Http404
    form, filters = _filters(request, triage=triage)
    qs = selectors.office_cases(request.user, filters)
    page = selectors.paginate_cases(request, qs)
    today = timezone.localdate()
    context = {
        "form": form,
        "page": page,
        "triage": triage,
        "today": today,
        "counts": selectors.unit_deadline_counts(request.user),
        "is_office": policy.is_office(request.user),
        # A year ahead by days: replace(year=…) fails on 29 February.
        "calendar_warning": fallback_warning(today, today + dt.timedelta(days=365)),
        "can_manage_workdays": policy.can(request.user, Action.WORKDAYS_MANAGE),
    }
    return render_partial(request, "complaints/office/cases.html", "results", context)


def _case(request, tracking_number: str) -> Complaint:
    case = selectors.case_for_office(request.user, tracking_number)
    if case is None:
        # Another unit's case is "not found", not "forbidden": its existence is not for them.
        raise Http404
    return case


@office_required
def case_detail(request, tracking_number: str):
    case = _case(request, tracking_number)
    steps = services.available_steps(user=request.user, complaint=case)
    chosen = request.GET.get("step") if request.GET.get("step") in steps else None
    initial = {"step": chosen or (steps[0] if steps else "")}
    template_id = client_int(request.GET.get("template"), low=1)
    if chosen and template_id is not None:
        template = ResponseTemplate.objects.filter(pk=template_id, is_active=True).first()
        if template:
            initial["message"] = template.render(case)
    return render(
        request,
        "complaints/office/case.html",
        _case_context(request, case, steps, StepForm(initial=initial), _move_form(request, case)),
    )


def _templates(case, steps):
    return ResponseTemplate.objects.filter(is_active=True, step__in=steps).filter(
        unit__isnull=True
    ) | ResponseTemplate.objects.filter(is_active=True, step__in=steps, unit_id=case.unit_id)


def _move_form(request, case) -> MoveForm:
    """For the office, start from what the classifier suggested: usually it is right, and the
    triage is then one click."""
    if not policy.can(request.user, Action.COMPLAINT_TRIAGE, case):
        return MoveForm()
    return MoveForm(initial=MoveForm.initial_for(case))


def _case_context(request, case, steps, step_form, move_form):
    return {
        "case": case,
        "steps": [(name, services.STEPS[name].label) for name in steps],
        "step_form": step_form,
        "move_form": move_form,
        "templates": list(_templates(case, steps)),
        "events": case.events.select_related("actor", "unit"),
        "attachments": case.attachments.all(),
        "reroutings": case.reroutings.select_related("from_unit", "to_unit", "actor"),
        "can_route": policy.can(request.user, Action.COMPLAINT_TRIAGE, case),
        "can_transfer": "accept" in steps or "verify" in steps or "answer" in steps,
        "personal": getattr(request, "_qm_personal", None),
        "today": timezone.localdate(),
    }


@office_required
@require_POST
def case_step(request, tracking_number: str):
    case = _case(request, tracking_number)
    form = StepForm(request.POST)
    if form.is_valid():
        try:
            services.complaint_step(
                complaint=case,
                step=form.cleaned_data["step"],
                acting_user=request.user,
                message=form.cleaned_data["message"],
                note=form.cleaned_data["note"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Done: the complainant has been told."))
            return redirect("office_complaints:case", tracking_number=tracking_number)
    steps = services.available_steps(user=request.user, complaint=case)
    return render(
        request,
        "complaints/office/case.html",
        _case_context(request, case, steps, form, _move_form(request, case)),
        status=400,
    )


@office_required
@require_POST
def case_move(request, tracking_number: str):
    """Route (office) or transfer (handling unit) a case to another unit."""
    case = _case(request, tracking_number)
    form = MoveForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if policy.can(request.user, Action.COMPLAINT_TRIAGE, case):
                services.complaint_route(
                    complaint=case,
                    to_unit=data["unit"],
                    acting_user=request.user,
                    reason=data["reason"],
                    nature=data["nature"],
                    category=data["category"],
                )
            else:
                services.complaint_transfer(
                    complaint=case,
                    to_unit=data["unit"],
                    acting_user=request.user,
                    reason=data["reason"],
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The case is now with %(unit)s.") % {"unit": data["unit"].name}
            )
            if selectors.case_for_office(request.user, tracking_number) is None:
                return redirect("office_complaints:cases")
            return redirect("office_complaints:case", tracking_number=tracking_number)
    steps = services.available_steps(user=request.user, complaint=case)
    return render(
        request,
        "complaints/office/case.html",
        _case_context(request, case, steps, StepForm(), form),
        status=400,
    )


@office_required
@require_POST
def case_personal(request, tracking_number: str):
    """Show the complainant's details unmasked, once, with an audit row."""
    case = _case(request, tracking_number)
    request._qm_personal = services.complaint_personal_data(
        complaint=case, acting_user=request.user, purpose="handling"
    )
    steps = services.available_steps(user=request.user, complaint=case)
    step_form = StepForm(initial={"step": steps[0] if steps else ""})
    return render(
        request,
        "complaints/office/case.html",
        _case_context(request, case, steps, step_form, _move_form(request, case)),
    )


@office_required
def attachment(request, tracking_number: str, pk: int):
    case = _case(request, tracking_number)
    require(request.user, Action.COMPLAINT_PERSONAL_DATA, case)
    item = get_object_or_404(Attachment, pk=pk, complaint=case)
    audit_record(
        actor=request.user, event_type="complaint.attachment_viewed", target=case, file=item.pk
    )
    response = FileResponse(item.file.open("rb"), content_type=item.content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    # A PDF from the public is opened in a sandbox: no scripts, no same-origin access.
    response["Content-Security-Policy"] = "sandbox"
    return response


@office_required
def export(request):
    """The filtered list as Excel. Personal data only for those who may see it, audited."""
    if not policy.can(request.user, Action.COMPLAINT_VIEW):
        raise Http404
    _form, filters = _filters(request)
    qs = selectors.office_cases(request.user, filters).defer(None)[:EXPORT_LIMIT]
    rows = list(qs.select_related("unit", "district"))
    with_personal = request.GET.get("personal") == "1"
    if with_personal:
        rows_allowed = [policy.can(request.user, Action.COMPLAINT_PERSONAL_DATA, c) for c in rows]
    else:
        rows_allowed = [False] * len(rows)
    audit_record(
        actor=request.user,
        event_type="complaint.export",
        rows=len(rows),
        personal_rows=sum(rows_allowed),
        filters={k: v for k, v in vars(filters).items() if v},
    )
    content = cases_workbook(rows, rows_allowed)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="complaints-{stamp}.xlsx"'
    return response


@office_required
def hotspots(request):
    require(request.user, Action.HOTSPOT_MANAGE)
    region = selectors.intake_region(campaign_for_user(request.user))
    days = min(max(client_int(request.GET.get("days"), default=30), 7), 365)
    groups = selectors.hot_groups(region, days=days, limit=30)
    outcomes = selectors.group_outcomes(groups, days=days)
    by = "district" if request.GET.get("by") == "district" else "category"
    trend = selectors.weekly_trend(region, weeks=8, by=by)
    weeks = sorted({row["week"] for row in trend})
    field = "category" if by == "category" else "district__name"
    series: dict[str, dict] = {}
    for row in trend:
        series.setdefault(row[field] or "—", {})[row["week"]] = row["n"]
    from qualitymonth.complaints.taxonomy import Category

    labels = dict(Category.choices)
    table = sorted(
        (
            (labels.get(name, name) if by == "category" else name, [cells.get(w, 0) for w in weeks])
            for name, cells in series.items()
        ),
        key=lambda item: -sum(item[1]),
    )
    return render(
        request,
        "complaints/office/hotspots.html",
        {
            "rows": [(g, outcomes.get(g.pk, {})) for g in groups],
            "weeks": weeks,
            "table": table,
            "by": by,
            "days": days,
            "action_form": GroupActionForm(),
        },
    )


@office_required
@require_POST
def hotspot_action(request, pk: int):
    group = get_object_or_404(ProblemGroup, pk=pk)
    require(request.user, Action.HOTSPOT_MANAGE, group)
    form = GroupActionForm(request.POST)
    if form.is_valid():
        try:
            services.group_record_action(
                group=group,
                acting_user=request.user,
                action=form.cleaned_data["action"],
                note=form.cleaned_data["note"],
                public_title=form.cleaned_data["public_title"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Choose what state the work is in."))
    return redirect("office_complaints:hotspots")
