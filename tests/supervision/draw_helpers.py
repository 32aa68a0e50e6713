"""Helpers of the draw tests: check items, a plan, a task over the fixtures' subjects."""

import datetime as dt
from decimal import Decimal

from qualitymonth.supervision.models import CheckItem, Plan, SubjectKind
from qualitymonth.supervision.services import draws as services
from tests.supervision.conftest import make_canteen, make_elevator

STARTS = dt.date(2022, 9, 1)
ENDS = dt.date(2022, 11, 30)


def check_item(
    region,
    code="canteen-safety",
    *,
    kind="ordinary",
    max_share="20",
    subject_kind=SubjectKind.CANTEEN,
    **fields,
):
    return CheckItem.objects.create(
        region=region,
        code=code,
        title=fields.pop("title", f"检查事项{code}"),
        subject_kind=subject_kind,
        kind=kind,
        max_share=Decimal(max_share) if kind == "ordinary" else None,
        **fields,
    )


def plan(region, office_user, *, year=2022, title="2022年度双随机抽查计划"):
    found = Plan.objects.filter(region=region, year=year, title=title).first()
    return found or services.plan_create(
        region=region, year=year, title=title, acting_user=office_user
    )


def canteens(region, districts, n: int, *, start: int = 100, **fields):
    return [
        make_canteen(region, districts[i % len(districts)], start + i, **fields) for i in range(n)
    ]


def elevators(region, districts, n: int, *, start: int = 100, **fields):
    return [
        make_elevator(region, districts[i % len(districts)], start + i, **fields) for i in range(n)
    ]


def task(office_user, the_plan, unit, items, **fields):
    arguments = {
        "title": "幼儿园食堂食品安全抽查",
        "subject_kind": SubjectKind.CANTEEN,
        "share": None,
        "count": 2,
        "starts_on": STARTS,
        "ends_on": ENDS,
    }
    arguments.update(fields)
    return services.task_create(
        plan=the_plan, unit=unit, check_items=items, acting_user=office_user, **arguments
    )


def drawn_task(campaign, office_user, sv_unit, inspectors, *, n_subjects=10, count=3, **fields):
    """A drawn task over n canteens of the campaign's districts (the inspectors fixture must be
    made first: it gives them both districts)."""
    from qualitymonth.core.models import Region

    region = campaign.region
    districts = list(Region.objects.filter(parent=region).order_by("code"))
    canteens(region, districts, n_subjects)
    item = check_item(region, max_share="50")
    made = task(office_user, plan(region, office_user), sv_unit, [item], count=count, **fields)
    return services.task_draw(task=made, acting_user=office_user)
