"""Pages of "双随机、一公开": the office's plans and tasks, the draw (after a confirmation),
replacements, results and their publication, the publication clock, and the public results with
the draw file anyone can rerun."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qualitymonth.core.models import Region
from qualitymonth.core.permissions import policy
from qualitymonth.core.views import add_service_errors, office_required, paginate, require
from qualitymonth.supervision import draw_selectors as selectors
from qualitymonth.supervision.draw_forms import (
    DrawnSearchForm,
    PlanForm,
    PlanSearchForm,
    PublicResultSearchForm,
    PublicSearchForm,
    ReasonForm,
    ResultForm,
    TaskForm,
    TaskSearchForm,
)
from qualitymonth.supervision.models import Task
from qualitymonth.supervision.permissions import SupervisionAction
from qualitymonth.supervision.services import draws as services

T = "supervision/draws/"


def _cleaned(form) -> dict:
    return form.cleaned_data if form.is_bound and form.is_valid() else {}


def _task_or_404(request, number) -> Task:
    found = selectors.task_for(request.user, number)
    if found is None:
        raise Http404
    return found


def _drawn_or_404(request, pk):
    found = selectors.drawn_for(request.user, pk)
    if found is None:
        raise Http404
    return found


def _error_message(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


# --- plans ---------------------------------------------------------------------------------------
@office_required
def plan_list(request):
    require(request.user, SupervisionAction.VIEW)
    form = PlanSearchForm(request.GET or None)
    found = _cleaned(form)
    page = paginate(
        request,
        selectors.plan_list(request.user, query=found.get("q", ""), year=found.get("year")),
        per_page=20,
    )
    context = {
        "form": form,
        "page": page,
        "can_create": policy.can(request.user, SupervisionAction.DRAW),
    }
    return render(request, T + "plans.html", context)


def _office_regions(user):
    cities = Region.objects.filter(level=Region.Level.CITY).order_by("code")
    if getattr(user, "is_superuser", False):
        return cities
    offices = policy.office_region_ids(user)
    return cities.filter(Q(pk__in=offices) | Q(parent_id__in=offices))


@office_required
def plan_new(request):
    require(request.user, SupervisionAction.DRAW)
    form = PlanForm(request.POST or None, regions=_office_regions(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.plan_create(
                region=data["region"],
                year=data["year"],
                title=data["title"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The plan was made; now add its tasks."))
            return redirect("sv_draw:plan", pk=plan.pk)
    status = 400 if form.is_bound else 200
    return render(request, T + "plan_new.html", {"form": form}, status=status)


@office_required
def plan_detail(request, pk: int):
    plan = selectors.plan_for(request.user, pk)
    if plan is None:
        raise Http404
    form = TaskSearchForm(request.GET or None)
    found = _cleaned(form)
    tasks = selectors.task_list(
        request.user,
        plan=plan,
        query=found.get("q", ""),
        status=found.get("status", ""),
        kind=found.get("kind", ""),
    )
    context = {
        "plan": plan,
        "form": form,
        "page": paginate(request, tasks, per_page=20),
        "can_create": policy.can(request.user, SupervisionAction.DRAW, plan),
    }
    return render(request, T + "plan.html", context)


@office_required
def task_new(request, pk: int):
    plan = selectors.plan_for(request.user, pk)
    if plan is None:
        raise Http404
    require(request.user, SupervisionAction.DRAW, plan)
    form = TaskForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            task = services.task_create(
                plan=plan, acting_user=request.user, **form.service_arguments()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Task %(n)s was made. Its seed digest is fixed now: publish it before the draw.")
                % {"n": task.number},
            )
            return redirect("sv_draw:task", number=task.number)
    status = 400 if form.is_bound else 200
    return render(request, T + "task_new.html", {"form": form, "plan": plan}, status=status)


# --- tasks ---------------------------------------------------------------------------------------
@office_required
def task_list(request):
    require(request.user, SupervisionAction.VIEW)
    form = TaskSearchForm(request.GET or None)
    found = _cleaned(form)
    tasks = selectors.task_list(
        request.user,
        query=found.get("q", ""),
        status=found.get("status", ""),
        kind=found.get("kind", ""),
    )
    context = {"form": form, "page": paginate(request, tasks, per_page=20)}
    return render(request, T + "tasks.html", context)


@office_required
def task_detail(request, number: str):
    task = _task_or_404(request, number)
    form = DrawnSearchForm(request.GET or None)
    found = _cleaned(form)
    rows = selectors.drawn_rows(task, query=found.get("q", ""), status=found.get("status", ""))
    user = request.user
    context = {
        "task": task,
        "form": form,
        "page": paginate(request, rows, per_page=30),
        "figures": selectors.task_figures(task),
        "check_items": list(task.check_items.all()),
        "filter_described": _describe_filter(task),
        "can_draw": policy.can(user, SupervisionAction.DRAW, task),
        "can_work": policy.can(user, SupervisionAction.WORK, task),
        "can_publish": policy.can(user, SupervisionAction.PUBLISH, task),
    }
    return render(request, T + "task.html", context)


def _describe_filter(task: Task) -> list[str]:
    from qualitymonth.supervision.models import Canteen, RiskGrade

    found = task.subject_filter or {}
    parts = []
    if found.get("districts"):
        names = Region.objects.filter(pk__in=found["districts"]).order_by("code")
        parts.append(_("Districts") + ": " + "、".join(r.localized_name for r in names))
    if found.get("industries"):
        parts.append(_("Industries") + ": " + " ".join(found["industries"]))
    if found.get("risk_grades"):
        labels = dict(RiskGrade.choices)
        parts.append(
            _("Risk grades") + ": " + "、".join(str(labels.get(g, g)) for g in found["risk_grades"])
        )
    if found.get("school_kinds"):
        labels = dict(Canteen.SchoolKind.choices)
        parts.append(
            _("Kinds of school")
            + ": "
            + "、".join(str(labels.get(k, k)) for k in found["school_kinds"])
        )
    return parts or [_("All subjects of this kind in the city")]


@office_required
def task_draw(request, number: str):
    """GET: what the draw will do, and a confirmation; POST: draw."""
    task = _task_or_404(request, number)
    require(request.user, SupervisionAction.DRAW, task)
    if request.method == "POST":
        try:
            services.task_draw(task=task, acting_user=request.user)
        except ValidationError as error:
            _error_message(request, error)
        else:
            messages.success(request, _("The draw was made; the seed is revealed below."))
        return redirect("sv_draw:task", number=task.number)
    items = list(task.check_items.all())
    population = services.subjects_matching(
        task.plan.region, task.subject_kind, task.subject_filter
    ).count()
    context = {
        "task": task,
        "population": population,
        "n": services.draw_size(task, population),
        "cap": services.share_cap(items),
    }
    return render(request, T + "draw_confirm.html", context)


@office_required
def draw_json(request, number: str):
    task = _task_or_404(request, number)
    if task.drawn_at is None:
        raise Http404
    return _json_download(selectors.draw_file(task), task.number)


def _json_download(data: dict, number: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=1), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="draw-{number}.json"'
    return response


@office_required
def results_publish(request, number: str):
    """GET: the results that will be published; POST: publish them (it cannot be undone)."""
    task = _task_or_404(request, number)
    require(request.user, SupervisionAction.PUBLISH, task)
    if request.method == "POST":
        try:
            n = services.results_publish(task=task, acting_user=request.user)
        except ValidationError as error:
            _error_message(request, error)
        else:
            messages.success(
                request,
                ngettext("%(n)s result was published.", "%(n)s results were published.", n)
                % {"n": n},
            )
        return redirect("sv_draw:task", number=task.number)
    ready = selectors.drawn_rows(task, status="recorded")
    return render(request, T + "publish_confirm.html", {"task": task, "ready": list(ready[:200])})


# --- one drawn subject -------------------------------------------------------------------------
@office_required
def drawn_publish(request, pk: int):
    drawn = _drawn_or_404(request, pk)
    task = drawn.task
    require(request.user, SupervisionAction.PUBLISH, task)
    if request.method == "POST":
        try:
            services.results_publish(task=task, drawn_ids=[drawn.pk], acting_user=request.user)
        except ValidationError as error:
            _error_message(request, error)
        else:
            messages.success(request, _("The result was published."))
        return redirect("sv_draw:task", number=task.number)
    return render(
        request, T + "publish_confirm.html", {"task": task, "ready": [drawn], "one": drawn}
    )


@office_required
def subject_replace(request, pk: int):
    drawn = _drawn_or_404(request, pk)
    require(request.user, SupervisionAction.DRAW, drawn.task)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.drawn_subject_replace(
                drawn=drawn, reason=form.cleaned_data["reason"], acting_user=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(old)s was replaced by %(new)s.")
                % {"old": drawn.subject.name, "new": new.subject.name},
            )
            return redirect("sv_draw:task", number=drawn.task.number)
    status = 400 if form.is_bound else 200
    context = {"form": form, "drawn": drawn, "task": drawn.task}
    return render(request, T + "replace_subject.html", context, status=status)


@office_required
def inspector_replace(request, pk: int, inspector_id: int):
    drawn = _drawn_or_404(request, pk)
    require(request.user, SupervisionAction.DRAW, drawn.task)
    slot = (
        drawn.inspectors.filter(inspector_id=inspector_id, is_active=True)
        .select_related("inspector__unit")
        .first()
    )
    if slot is None:
        raise Http404
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.drawn_inspector_replace(
                drawn=drawn,
                inspector=slot.inspector,
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(old)s was replaced by %(new)s.")
                % {"old": slot.inspector.name, "new": new.inspector.name},
            )
            return redirect("sv_draw:task", number=drawn.task.number)
    status = 400 if form.is_bound else 200
    context = {"form": form, "drawn": drawn, "task": drawn.task, "slot": slot}
    return render(request, T + "replace_inspector.html", context, status=status)


@office_required
def result_record(request, pk: int):
    drawn = _drawn_or_404(request, pk)
    user = request.user
    if not (
        policy.can(user, SupervisionAction.WORK, drawn)
        or policy.can(user, SupervisionAction.INSPECT, drawn)
    ):
        require(user, SupervisionAction.WORK, drawn)
    initial = {"result": drawn.result, "note": drawn.result_note, "on": drawn.result_on}
    form = ResultForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.drawn_result_record(drawn=drawn, acting_user=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The result was recorded."))
            if selectors.task_for(user, drawn.task.number) is None:
                # A drawn inspector of another unit: back to their own list.
                return redirect(_own_list())
            return redirect("sv_draw:task", number=drawn.task.number)
    status = 400 if form.is_bound else 200
    context = {"form": form, "drawn": drawn, "task": drawn.task}
    return render(request, T + "result.html", context, status=status)


def _own_list() -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("sv_inspection:mine")
    except NoReverseMatch:  # before the inspections topic is wired in
        return reverse("office:home")


# --- the publication clock -----------------------------------------------------------------------
@office_required
def overdue(request):
    require(request.user, SupervisionAction.VIEW)
    which = request.GET.get("show", "")
    which = which if which in ("overdue", "soon") else ""
    today = timezone.localdate()
    rows = selectors.publication_clock(request.user, today=today, which=which)
    context = {"page": paginate(request, rows, per_page=30), "today": today, "show": which}
    return render(request, T + "overdue.html", context)


# --- public --------------------------------------------------------------------------------------
def public_list(request):
    form = PublicSearchForm(request.GET or None)
    found = _cleaned(form)
    tasks = selectors.public_tasks(
        query=found.get("q", ""), kind=found.get("kind", ""), year=found.get("year")
    )
    page = paginate(request, tasks, per_page=20)
    today = timezone.localdate()
    for task in page.object_list:
        task.revealed = selectors.draw_revealed_publicly(task, today=today)
    return render(request, T + "public_list.html", {"form": form, "page": page})


def _public_task_or_404(number) -> Task:
    task = selectors.public_task(number)
    if task is None:
        raise Http404
    return task


def public_detail(request, number: str):
    task = _public_task_or_404(number)
    form = PublicResultSearchForm(request.GET or None)
    found = _cleaned(form)
    rows = selectors.public_results(task, query=found.get("q", ""), result=found.get("result", ""))
    context = {
        "task": task,
        "form": form,
        "page": paginate(request, rows, per_page=30),
        "revealed": selectors.draw_revealed_publicly(task),
        "check_items": list(task.check_items.all()),
        "filter_described": _describe_filter(task),
    }
    return render(request, T + "public_detail.html", context)


def public_draw_json(request, number: str):
    task = _public_task_or_404(number)
    if not selectors.draw_revealed_publicly(task):
        raise Http404
    return _json_download(selectors.draw_file(task, public=True), task.number)
