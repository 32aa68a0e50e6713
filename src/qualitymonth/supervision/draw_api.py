""" "双随机、一公开" through the API: the office's plans and tasks, the draw, replacements,
results and their publication (the same services, rights and audit trail as the pages), and the
public results with the draw file. A task the caller may not see is "not found"."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate
from ninja.security import django_auth

from qualitymonth.api.errors import errors
from qualitymonth.core.models import Region, Unit
from qualitymonth.core.pagination import Pagination
from qualitymonth.core.permissions import policy
from qualitymonth.core.schemas import Line
from qualitymonth.core.validators import DbInt
from qualitymonth.supervision import draw_selectors as selectors
from qualitymonth.supervision.draw_schemas import (
    DrawnInspectorOut,
    DrawnResultIn,
    InspectionPlanIn,
    InspectionPlanOut,
    PublicTaskDetailOut,
    PublicTaskOut,
    PublishedOut,
    ReplacementReasonIn,
    ResultSearchIn,
    ResultsPublishIn,
    SearchIn,
    TaskDetailOut,
    TaskDrawnOut,
    TaskIn,
    TaskOut,
    TaskSearchIn,
)
from qualitymonth.supervision.models import CheckItem, Inspector
from qualitymonth.supervision.permissions import SupervisionAction
from qualitymonth.supervision.services import draws as services

router = Router(tags=["supervision"], auth=django_auth)
DETAIL_ROWS = 200
PUBLIC_ROWS = 1000


def _task(request, number: str):
    found = selectors.task_for(request.user, number)
    if found is None:
        raise Http404
    return found


def _detail(task):
    task.drawn_page = list(selectors.drawn_rows(task)[:DETAIL_ROWS])
    return task


def _drawn(request, drawn_id: int):
    found = selectors.drawn_for(request.user, drawn_id)
    if found is None:
        raise Http404
    return found


# --- plans ---------------------------------------------------------------------------------------
@router.get(
    "/office/supervision/plans",
    response=list[InspectionPlanOut],
    summary="The random-inspection plans I may see, newest year first",
)
@paginate(Pagination, page_size=20)
def plan_list(request, filters: Query[SearchIn]):
    policy.require(request.user, SupervisionAction.VIEW)
    return selectors.plan_list(request.user, query=filters.q)


@router.post(
    "/office/supervision/plans",
    response={201: InspectionPlanOut, **errors(400, 409)},
    summary="Make a yearly plan for the office's city",
)
def plan_create(request, body: InspectionPlanIn):
    policy.require(request.user, SupervisionAction.DRAW)
    if body.region:
        region = Region.objects.filter(code=body.region, level=Region.Level.CITY).first()
        if region is None:
            raise ValidationError({"region": _("No such city.")})
    else:
        offices = policy.office_region_ids(request.user)
        region = Region.objects.filter(pk__in=offices, level=Region.Level.CITY).order_by("code")
        region = region.first()
        if region is None:
            raise ValidationError({"region": _("Give the city's code.")})
    plan = services.plan_create(
        region=region, year=body.year, title=body.title, acting_user=request.user
    )
    return Status(201, plan)


# --- tasks ---------------------------------------------------------------------------------------
@router.get(
    "/office/supervision/tasks",
    response=list[TaskOut],
    summary="The tasks I may see: the office's city's, or my unit's",
)
@paginate(Pagination, page_size=20)
def task_list(request, filters: Query[TaskSearchIn]):
    policy.require(request.user, SupervisionAction.VIEW)
    plan = None
    if filters.plan_id is not None:
        plan = selectors.plan_for(request.user, filters.plan_id)
        if plan is None:
            return []
    return selectors.task_list(
        request.user, query=filters.q, status=filters.status, kind=filters.kind, plan=plan
    )


@router.post(
    "/office/supervision/tasks",
    response={201: TaskDetailOut, **errors(400, 409)},
    summary="Make a task of a plan: its seed digest is fixed and shown at once",
    description=(
        "Give either `share` (%) or `count`. Ordinary check items cap the share drawn at their "
        "smallest `max_share`; key items have no cap."
    ),
)
def task_create(request, body: TaskIn):
    policy.require(request.user, SupervisionAction.DRAW)
    plan = selectors.plan_for(request.user, body.plan_id)
    if plan is None:
        raise ValidationError({"plan_id": _("No such plan.")})
    policy.require(request.user, SupervisionAction.DRAW, plan)
    region = plan.region
    bad: dict[str, str] = {}
    unit = Unit.objects.filter(code=body.unit).select_related("region").first()
    if unit is None:
        bad["unit"] = _("No such unit.")
    codes = list(dict.fromkeys(body.check_items))
    items = list(CheckItem.objects.filter(region=region, code__in=codes))
    if len(items) != len(codes):
        bad["check_items"] = _("No such check item in the plan's city.")
    district_codes = list(dict.fromkeys(body.districts))
    districts = list(
        Region.objects.filter(code__in=district_codes, parent=region, level=Region.Level.DISTRICT)
    )
    if len(districts) != len(district_codes):
        bad["districts"] = _("No such district in the plan's city.")
    if bad:
        raise ValidationError(bad)
    task = services.task_create(
        plan=plan,
        title=body.title,
        unit=unit,
        subject_kind=body.subject_kind,
        check_items=items,
        districts=districts,
        industries=body.industries,
        risk_grades=body.risk_grades,
        school_kinds=body.school_kinds,
        share=body.share,
        count=body.count,
        inspectors_per_subject=body.inspectors_per_subject,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        acting_user=request.user,
    )
    return Status(201, _detail(selectors.task_for(request.user, task.number)))


@router.get(
    "/office/supervision/tasks/{number}",
    response=TaskDetailOut,
    summary="One task: its check items, digest (seed after the draw) and drawn subjects",
)
def task_detail(request, number: Line):
    return _detail(_task(request, number))


@router.post(
    "/office/supervision/tasks/{number}/draw",
    response={200: TaskDetailOut, **errors(400, 409)},
    summary="Draw the task's subjects and inspectors (once)",
    description="A second draw is refused (409 `invalid_transition`), even when sent at once.",
)
def task_draw(request, number: Line):
    task = _task(request, number)
    services.task_draw(task=task, acting_user=request.user)
    return _detail(_task(request, number))


@router.get(
    "/office/supervision/tasks/{number}/draw.json",
    response=dict,
    summary="The draw file: everything needed to rerun the draw",
)
def task_draw_file(request, number: Line):
    task = _task(request, number)
    if task.drawn_at is None:
        raise Http404
    return selectors.draw_file(task)


@router.post(
    "/office/supervision/drawn/{drawn_id}/replace",
    response={201: TaskDrawnOut, **errors(400, 409)},
    summary="Replace a drawn subject (closed, gone) by the next one of the ranking",
)
def drawn_replace(request, drawn_id: DbInt, body: ReplacementReasonIn):
    drawn = _drawn(request, drawn_id)
    new = services.drawn_subject_replace(drawn=drawn, reason=body.reason, acting_user=request.user)
    return Status(201, selectors.drawn_rows(new.task).get(pk=new.pk))


@router.post(
    "/office/supervision/drawn/{drawn_id}/inspectors/{inspector_id}/replace",
    response={201: DrawnInspectorOut, **errors(400, 409)},
    summary="Replace a drawn inspector (ill, a conflict) by the next eligible one",
)
def drawn_inspector_replace(
    request, drawn_id: DbInt, inspector_id: DbInt, body: ReplacementReasonIn
):
    drawn = _drawn(request, drawn_id)
    inspector = Inspector.objects.filter(pk=inspector_id).first()
    if inspector is None or not drawn.inspectors.filter(inspector=inspector).exists():
        raise Http404
    new = services.drawn_inspector_replace(
        drawn=drawn, inspector=inspector, reason=body.reason, acting_user=request.user
    )
    new = type(new).objects.select_related("inspector__unit").get(pk=new.pk)
    return Status(201, new)


@router.post(
    "/office/supervision/drawn/{drawn_id}/result",
    response={200: TaskDrawnOut, **errors(400, 409)},
    summary="Record the result of a drawn subject (also without an inspection)",
)
def drawn_result(request, drawn_id: DbInt, body: DrawnResultIn):
    drawn = _drawn(request, drawn_id)
    services.drawn_result_record(
        drawn=drawn, result=body.result, note=body.note, on=body.on, acting_user=request.user
    )
    return selectors.drawn_rows(drawn.task).get(pk=drawn.pk)


@router.post(
    "/office/supervision/tasks/{number}/publish",
    response={200: PublishedOut, **errors(400, 409)},
    summary="Publish the task's recorded results (all, or those named)",
)
def task_publish(request, number: Line, body: ResultsPublishIn):
    task = _task(request, number)
    n = services.results_publish(task=task, drawn_ids=body.drawn_ids, acting_user=request.user)
    task.refresh_from_db(fields=["status"])
    return {"published": n, "status": task.status}


# --- public --------------------------------------------------------------------------------------
@router.get(
    "/supervision/results",
    response=list[PublicTaskOut],
    auth=None,
    summary="Random-inspection tasks with published results, newest first",
)
@paginate(Pagination, page_size=20)
def public_list(request, filters: Query[ResultSearchIn]):
    return selectors.public_tasks(query=filters.q, kind=filters.kind, year=filters.year)


@router.get(
    "/supervision/results/{number}",
    response=PublicTaskDetailOut,
    auth=None,
    summary="One task's published results; the seed and the draw file once public",
    description="No person is named: subjects, districts and results only.",
)
def public_detail(request, number: Line):
    task = selectors.public_task(number)
    if task is None:
        raise Http404
    revealed = selectors.draw_revealed_publicly(task)
    task.results = list(selectors.public_results(task)[:PUBLIC_ROWS])
    task.public_seed = task.seed if revealed else ""
    task.draw = selectors.draw_file(task, public=True) if revealed else None
    return task
