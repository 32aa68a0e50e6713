"""Demo of "双随机、一公开" (draws.json, invented and labelled 【示例】): one yearly plan for the
campaign's city with two tasks drawn through the services, seeds revealed: school canteens of
kindergartens and primary schools (20 %), and the elevators of two districts (5 %), whose
results are recorded and published so the public results page has something to show. The
canteen task's results are left to the inspections demo.

It runs after the directories demo (subjects, inspectors, check items) and skips quietly if
those are missing. Loading again adds nothing: a plan of the same title is left as it is."""

import datetime as dt
import json
import logging
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from qualitymonth.core.models import Membership, Region, Unit
from qualitymonth.supervision.models import CheckItem, Inspector, Plan, Subject, Task
from qualitymonth.supervision.services import draws as services

DATA = Path(__file__).resolve().parent / "draws.json"
logger = logging.getLogger(__name__)


def read_data() -> dict:
    with DATA.open(encoding="utf-8") as handle:
        return json.load(handle)


def _office(campaign):
    found = (
        Membership.objects.filter(
            role=Membership.Role.CAMPAIGN_OFFICE, unit__region=campaign.region
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if found is not None:
        return found.user
    return get_user_model().objects.filter(is_superuser=True).order_by("pk").first()


def _organiser(campaign):
    """The market regulator of the city (the unit most inspectors belong to)."""
    unit = (
        Unit.objects.filter(region=campaign.region, kind=Unit.Kind.MARKET_SUPERVISION)
        .order_by("pk")
        .first()
    )
    return unit or campaign.lead_unit


def _day(campaign, month_day: str, *, not_after_today: bool = False) -> dt.date:
    """A day of the example's September, moved with the campaign (the demo places its month
    around today; on the report's own dates it is the day itself)."""
    month, day = (int(x) for x in month_day.split("-"))
    found = campaign.starts_on + (dt.date(campaign.year, month, day) - dt.date(campaign.year, 9, 1))
    return min(found, timezone.localdate()) if not_after_today else found


def load(campaign) -> None:
    region = campaign.region
    data = read_data()
    title = data["plan"]["title"]
    if Plan.objects.filter(region=region, year=campaign.starts_on.year, title=title).exists():
        return
    if not (
        Subject.objects.filter(region=region).exists()
        and Inspector.objects.filter(unit__region=region).exists()
        and CheckItem.objects.filter(region=region).exists()
    ):
        logger.info("No supervision directories for %s: the draws demo is left out.", region)
        return
    office = _office(campaign)
    if office is None:
        logger.info("No campaign office user: the draws demo is left out.")
        return
    with transaction.atomic():
        plan = services.plan_create(
            region=region, year=campaign.starts_on.year, title=title, acting_user=office
        )
        Plan.objects.filter(pk=plan.pk).update(campaign=campaign)
        for row in data["tasks"]:
            try:
                with transaction.atomic():
                    _task(campaign, plan, row, office)
            except ValidationError as error:
                logger.warning("Demo task %s left out: %s", row["title"], " ".join(error.messages))


def _task(campaign, plan: Plan, row: dict, office) -> Task | None:
    items = list(
        CheckItem.objects.filter(
            region=campaign.region, subject_kind=row["subject_kind"], is_active=True
        ).order_by("code")[:2]
    )
    if not items:
        logger.info("No check item for %s: demo task left out.", row["subject_kind"])
        return None
    share = Decimal(row["share"])
    cap = services.share_cap(items)
    if cap is not None and share > cap:
        share = cap
    districts = list(
        Region.objects.filter(code__in=row["districts"], parent=campaign.region).order_by("code")
    )
    task = services.task_create(
        plan=plan,
        title=row["title"],
        unit=_organiser(campaign),
        subject_kind=row["subject_kind"],
        check_items=items,
        share=share,
        inspectors_per_subject=row["inspectors_per_subject"],
        districts=districts,
        school_kinds=row["school_kinds"],
        starts_on=_day(campaign, row["starts_on"]),
        ends_on=_day(campaign, row["ends_on"]),
        acting_user=office,
    )
    task = services.task_draw(task=task, acting_user=office)
    # The example was drawn before its inspections began, as a real one would be.
    drawn_on = _day(campaign, row["drawn_on"])
    drawn_at = task.drawn_at.replace(
        year=drawn_on.year, month=drawn_on.month, day=drawn_on.day, hour=10, minute=0
    )
    Task.objects.filter(pk=task.pk).update(drawn_at=drawn_at)
    task.refresh_from_db()
    results = row.get("results") or []
    if results:
        rows = list(task.drawn.filter(is_active=True).order_by("position"))
        for drawn, result in zip(rows, results * len(rows), strict=False):
            services.drawn_result_record(
                drawn=drawn,
                result=result["result"],
                note=result["note"],
                on=_day(campaign, result["on"], not_after_today=True),
                acting_user=office,
            )
        services.results_publish(task=task, acting_user=office)
    return task
