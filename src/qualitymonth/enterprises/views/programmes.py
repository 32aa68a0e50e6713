"""The office's pages of the campaign programmes: the list with progress, creating one, its page
(progress, target list, planned visits, needs), building targets after a preview, removing a
target after a confirmation, and the target list as Excel."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from qualitymonth.core.permissions import policy
from qualitymonth.core.views import add_service_errors, office_required, paginate, require
from qualitymonth.enterprises import programme_selectors as selectors
from qualitymonth.enterprises.models import ProgrammeTarget
from qualitymonth.enterprises.programme_forms import (
    PlanVisitsForm,
    ProgrammeForm,
    SearchForm,
    TargetFilterForm,
    describe_target_filter,
)
from qualitymonth.enterprises.programme_permissions import ProgrammeAction
from qualitymonth.enterprises.services import programmes as services

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PREVIEW_ROWS = 20


def _programme_or_404(request, pk):
    found = selectors.programme_for(request.user, pk)
    if found is None:
        raise Http404
    return found


@office_required
def programme_list(request):
    require(request.user, ProgrammeAction.VIEW)
    form = SearchForm(request.GET or None)
    query = form.cleaned_data.get("q", "") if form.is_bound and form.is_valid() else ""
    page = paginate(request, selectors.office_programmes(request.user, query=query), per_page=20)
    page.object_list = selectors.with_progress(page.object_list)
    context = {
        "form": form,
        "page": page,
        "can_create": policy.can(request.user, ProgrammeAction.MANAGE),
    }
    return render(request, "enterprises/programmes/list.html", context)


@office_required
def programme_new(request):
    require(request.user, ProgrammeAction.MANAGE)
    activities = selectors.creatable_activities(request.user)
    form = ProgrammeForm(request.POST or None, activities=activities)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create(acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The programme was created; now build its target list."))
            return redirect("programmes:detail", pk=programme.pk)
    status = 400 if form.is_bound else 200
    return render(request, "enterprises/programmes/new.html", {"form": form}, status=status)


def _detail_context(request, programme, **extra) -> dict:
    search = SearchForm(request.GET or None)
    query = search.cleaned_data.get("q", "") if search.is_bound and search.is_valid() else ""
    targets = paginate(request, selectors.programme_targets(programme, query=query), per_page=30)
    can_manage = policy.can(request.user, ProgrammeAction.MANAGE, programme)
    context = {
        "programme": programme,
        "progress": selectors.programme_progress(programme),
        "targets": targets,
        "search": search,
        "filter_form": TargetFilterForm(region=programme.region),
        "filter_described": describe_target_filter(
            programme.target_filter, region=programme.region
        ),
        "plan_form": PlanVisitsForm(targets=targets.object_list) if can_manage else None,
        "needs": selectors.programme_needs(programme)[:50],
        "can_manage": can_manage,
        "office": policy.office_covers(request.user, programme.region),
    }
    context.update(extra)
    return context


@office_required
def programme_detail(request, pk: int):
    programme = _programme_or_404(request, pk)
    return render(
        request, "enterprises/programmes/detail.html", _detail_context(request, programme)
    )


@office_required
def targets_build(request, pk: int):
    """GET: what the filters match (a preview, nothing saved); POST: add them to the list."""
    programme = _programme_or_404(request, pk)
    require(request.user, ProgrammeAction.MANAGE, programme)
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = TargetFilterForm(data, region=programme.region)
    context = {"programme": programme, "form": form, "matches": None}
    if form.is_bound and form.is_valid():
        filters = form.filters()
        if request.method == "POST":
            try:
                added = services.programme_targets_build(
                    programme=programme, filters=filters, acting_user=request.user
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(n)s enterprise was added to the target list.",
                        "%(n)s enterprises were added to the target list.",
                        added,
                    )
                    % {"n": added},
                )
                return redirect("programmes:detail", pk=programme.pk)
        elif filters:
            candidates = selectors.target_candidates(programme.region, filters)
            new = candidates.exclude(programme_targets__programme=programme)
            context.update(
                matches=candidates.count(),
                new=new.count(),
                sample=list(new.select_related("district", "industry")[:PREVIEW_ROWS]),
                filters=filters,
            )
    status = 400 if form.errors else 200
    return render(request, "enterprises/programmes/targets.html", context, status=status)


@office_required
def target_remove(request, pk: int, target_pk: int):
    """GET: the confirmation; POST: off the list."""
    programme = _programme_or_404(request, pk)
    require(request.user, ProgrammeAction.MANAGE, programme)
    target = get_object_or_404(
        ProgrammeTarget.objects.select_related("enterprise"), pk=target_pk, programme=programme
    )
    if request.method == "POST":
        try:
            services.programme_target_remove(target=target, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The enterprise was taken off the target list."))
        return redirect("programmes:detail", pk=programme.pk)
    context = {"programme": programme, "target": target}
    return render(request, "enterprises/programmes/remove.html", context)


@office_required
@require_POST
def visits_plan(request, pk: int):
    programme = _programme_or_404(request, pk)
    require(request.user, ProgrammeAction.MANAGE, programme)
    ids = programme.targets.values_list("enterprise_id", flat=True)
    form = PlanVisitsForm(request.POST, targets=[])
    form.fields["enterprises"].choices = [(pk, pk) for pk in ids]
    if form.is_valid():
        try:
            filed = services.programme_visits_plan(
                programme=programme,
                enterprises=form.cleaned_data["enterprises"],
                planned_on=form.cleaned_data["planned_on"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            skipped = len(form.cleaned_data["enterprises"]) - len(filed)
            text = ngettext(
                "%(n)s visit was planned; its need is accepted and waits to be dispatched.",
                "%(n)s visits were planned; their needs are accepted and wait to be dispatched.",
                len(filed),
            ) % {"n": len(filed)}
            if skipped:
                text += " " + ngettext(
                    "%(n)s enterprise already has an open visit and got no second one.",
                    "%(n)s enterprises already have an open visit and got no second one.",
                    skipped,
                ) % {"n": skipped}
            messages.success(request, text)
            return redirect("programmes:detail", pk=programme.pk)
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)
    return redirect("programmes:detail", pk=programme.pk)


@office_required
def targets_export(request, pk: int):
    programme = _programme_or_404(request, pk)
    content = services.targets_workbook(programme=programme, acting_user=request.user)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="programme-{programme.pk}-targets.xlsx"'
    )
    return response
