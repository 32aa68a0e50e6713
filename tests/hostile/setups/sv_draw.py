"""Hostile-suite setups of the "双随机" draws: a supervision unit with four inspectors, eight
canteens, a key check item, a plan and a drawn task, made the first time an operation asks."""

import datetime as dt

from tests.hostile.conftest import World
from tests.hostile.setup import Setup, StepForm, _fresh, _latest


def _draw_world(w: World) -> World:
    if hasattr(w, "sv_task"):
        return w
    from qualitymonth.core.models import Membership, Region
    from qualitymonth.supervision.services import draws as services
    from tests.factories import UnitFactory
    from tests.supervision.conftest import make_canteen, make_inspector
    from tests.supervision.draw_helpers import check_item

    region = w.campaign.region
    office = (
        Membership.objects.filter(role=Membership.Role.CAMPAIGN_OFFICE, unit__region=region)
        .select_related("user")
        .first()
        .user
    )
    districts = list(Region.objects.filter(parent=region).order_by("code"))
    w.sv_unit = UnitFactory(region=region, code="hostile-amr", kind="market_supervision")
    w.sv_inspectors = [
        make_inspector(w.sv_unit, f"hostile-insp-{i}", districts=districts) for i in range(4)
    ]
    for i in range(8):
        make_canteen(region, districts[i % len(districts)], 9000 + i)
    w.sv_item = check_item(region, "hostile-canteen", kind="key")
    w.sv_plan = services.plan_create(
        region=region, year=2022, title="对抗测试计划", acting_user=office
    )
    task = services.task_create(
        plan=w.sv_plan,
        title="对抗测试任务",
        unit=w.sv_unit,
        subject_kind="canteen",
        check_items=[w.sv_item],
        count=3,
        starts_on=dt.date(2022, 9, 1),
        ends_on=dt.date(2022, 11, 30),
        acting_user=office,
    )
    w.sv_task = services.task_draw(task=task, acting_user=office)
    w.sv_drawn = w.sv_task.drawn.get(position=1)
    w.sv_other = w.sv_task.drawn.get(position=2)
    w.sv_inspector = w.sv_other.inspectors.get(position=1).inspector
    return w


def _reset(w: World) -> None:
    """Undo replacements, results and publication: the task as drawn."""
    from qualitymonth.supervision.models import DrawnInspector, DrawnSubject, Task

    task = _draw_world(w).sv_task
    DrawnInspector.objects.filter(drawn__task=task, replaces__isnull=False).delete()
    DrawnInspector.objects.filter(drawn__task=task).update(is_active=True, replacement_reason="")
    replacements = DrawnSubject.objects.filter(task=task, replaces__isnull=False)
    DrawnInspector.objects.filter(drawn__in=replacements).delete()
    replacements.delete()
    DrawnSubject.objects.filter(task=task).update(
        is_active=True,
        replacement_reason="",
        result="",
        result_note="",
        result_on=None,
        publish_due=None,
        published_at=None,
    )
    Task.objects.filter(pk=task.pk).update(status=Task.Status.DRAWN)


def _reset_recorded(w: World) -> None:
    from qualitymonth.supervision.models import DrawnSubject

    _reset(w)
    DrawnSubject.objects.filter(pk=w.sv_drawn.pk).update(
        result="no_problem", result_on=dt.date(2022, 9, 15), publish_due=dt.date(2022, 10, 20)
    )


def _task_body(w: World, n: int) -> dict:
    _draw_world(w)
    return {
        "plan_id": w.sv_plan.pk,
        "title": f"对抗任务{n}",
        "unit": w.sv_unit.code,
        "subject_kind": "canteen",
        "check_items": [w.sv_item.code],
        "districts": [],
        "industries": [],
        "risk_grades": [],
        "school_kinds": [],
        "share": None,
        "count": 2,
        "inspectors_per_subject": 2,
        "starts_on": "2022-09-01",
        "ends_on": "2022-11-30",
    }


def _drawn_path(w: World) -> dict:
    return {"drawn_id": _draw_world(w).sv_drawn.pk}


SETUPS = {
    "GET /api/office/supervision/plans": Setup(who="office", path=lambda w: _draw_world(w) and {}),
    "POST /api/office/supervision/plans": Setup(
        who="office",
        base=lambda w, n: {"region": "", "year": 2022, "title": f"对抗计划{n}"},
        stored={"title": _latest("supervision.Plan", "title")},
        lookups=frozenset({"region"}),
    ),
    "GET /api/office/supervision/tasks": Setup(who="office", path=lambda w: _draw_world(w) and {}),
    "POST /api/office/supervision/tasks": Setup(
        who="office",
        base=_task_body,
        stored={"title": _latest("supervision.Task", "title")},
        lookups=frozenset({"plan_id", "unit", "check_items", "districts", "industries"}),
        pairs={
            "share": "count",
            "count": "share",
            "starts_on": "ends_on",
            "ends_on": "starts_on",
            "subject_kind": "check_items",
        },
    ),
    "POST /api/office/supervision/drawn/{drawn_id}/replace": Setup(
        who="office",
        path=_drawn_path,
        base=lambda w, n: {"reason": "已停业"},
        reset=_reset,
        stored={"reason": _latest("supervision.DrawnSubject", "replacement_reason")},
    ),
    "POST /api/office/supervision/drawn/{drawn_id}/inspectors/{inspector_id}/replace": Setup(
        who="office",
        path=lambda w: {
            "drawn_id": _draw_world(w).sv_other.pk,
            "inspector_id": w.sv_inspector.pk,
        },
        base=lambda w, n: {"reason": "病假"},
        reset=_reset,
        stored={"reason": _latest("supervision.DrawnInspector", "replacement_reason")},
    ),
    "POST /api/office/supervision/drawn/{drawn_id}/result": Setup(
        who="office",
        path=_drawn_path,
        base=lambda w, n: {"result": "no_problem", "note": "未发现问题", "on": "2022-09-15"},
        reset=_reset,
        stored={"note": _fresh("sv_drawn", "result_note")},
    ),
    "POST /api/office/supervision/tasks/{number}/publish": Setup(
        who="office",
        path=lambda w: {"number": _draw_world(w).sv_task.number},
        base=lambda w, n: {"drawn_ids": []},
        reset=_reset_recorded,
        lookups=frozenset({"drawn_ids"}),
    ),
    "GET /api/supervision/results": Setup(path=lambda w: _draw_world(w) and {}),
}


def _plan_page(w: World) -> str:
    return f"/office/supervision/plans/{_draw_world(w).sv_plan.pk}/tasks/new/"


FORMS = {
    "sv_draw_plan_new": (
        "office",
        lambda w: "/office/supervision/plans/new/",
        lambda w: {"year": "2022", "title": "对抗表单计划", "region": w.campaign.region.pk},
    ),
    "sv_draw_task_new": (
        "office",
        _plan_page,
        lambda w: {
            "title": "对抗表单任务",
            "unit": w.sv_unit.pk,
            "subject_kind": "canteen",
            "check_items": [w.sv_item.pk],
            "count": "2",
            "inspectors_per_subject": "2",
            "starts_on": "2022-09-01",
            "ends_on": "2022-11-30",
        },
    ),
    "sv_draw_replace": StepForm(
        who="office",
        page=lambda w: f"/office/supervision/plans/drawn/{_draw_world(w).sv_drawn.pk}/replace/",
        base=lambda w: {"reason": "已停业"},
        reset=_reset,
    ),
    "sv_draw_replace_inspector": StepForm(
        who="office",
        page=lambda w: (
            f"/office/supervision/plans/drawn/{_draw_world(w).sv_other.pk}"
            f"/inspectors/{w.sv_inspector.pk}/replace/"
        ),
        base=lambda w: {"reason": "病假"},
        reset=_reset,
    ),
    "sv_draw_result": StepForm(
        who="office",
        page=lambda w: f"/office/supervision/plans/drawn/{_draw_world(w).sv_drawn.pk}/result/",
        base=lambda w: {"result": "no_problem", "note": "", "on": "2022-09-15"},
        reset=_reset,
    ),
}
