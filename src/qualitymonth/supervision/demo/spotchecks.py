"""Demo of the product spot checks (spotchecks.json): one plan, "（示例）2026年质量月产品质量监督
抽查", of the city's market regulator, five samples in each product category the directories demo
made (40 over its eight), taken from demo enterprises whose trade fits the category (makers,
else retailers); four failures served on their enterprises, one re-test asked for and its result
(the failure confirmed), two rectified failures re-checked, and the results notice published.
Written through the services, on dates in the past (September 2026, or three months back when
the demo is loaded earlier), so every window is closed when the notice is published.

Loading again adds nothing. Without product categories or enterprises it quietly does nothing."""

import datetime as dt
import itertools
import json
import logging
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import translation

from qualitymonth.core.audit import audit_record
from qualitymonth.core.models import Unit
from qualitymonth.enterprises.models import Enterprise
from qualitymonth.supervision import spotcheck_selectors as selectors
from qualitymonth.supervision.models import ProductCategory, Sample, SpotCheckPlan
from qualitymonth.supervision.services import spotchecks as services

DATA = Path(__file__).resolve().parent / "spotchecks.json"
logger = logging.getLogger(__name__)


def read_plan() -> dict:
    with DATA.open(encoding="utf-8") as handle:
        return json.load(handle)


def _base_day() -> dt.date:
    """The first sampling day: 7 September 2026 once that lies far enough back, else three
    months before today (the services refuse dates in the future)."""
    today = selectors._today()
    fixed = dt.date(2026, 9, 7)
    return fixed if fixed + dt.timedelta(days=85) <= today else today - dt.timedelta(days=90)


def _user(*names):
    users = get_user_model().objects
    for name in names:
        found = users.filter(username=name, is_active=True).first()
        if found is not None:
            return found
    return users.filter(is_superuser=True, is_active=True).first()


@transaction.atomic
def load(campaign) -> None:
    data = read_plan()
    region = selectors.city_of(campaign.region)
    if SpotCheckPlan.objects.filter(region=region, title=data["title"]).exists():
        return
    categories = {c.name: c for c in ProductCategory.objects.filter(region=region, is_active=True)}
    wanted = [row for row in data["categories"] if row["name"] in categories]
    if not wanted:
        logger.info("No product categories in %s yet: the spot-check demo is left out.", region)
        return
    enterprises = Enterprise.objects.filter(Q(region=region) | Q(region__parent=region))
    if not enterprises.exists():
        logger.info("No enterprises in %s yet: the spot-check demo is left out.", region)
        return
    unit = (
        Unit.objects.filter(code="amr").first()
        or Unit.objects.filter(region=region, kind=Unit.Kind.MARKET_SUPERVISION).first()
    )
    staff = _user("amr-staff", "office")
    manager = _user("amr-manager", "office")
    if unit is None or staff is None or manager is None:
        logger.info("No market-supervision unit or accounts: the spot-check demo is left out.")
        return
    base = _base_day()
    plan = services.spot_check_plan_create(
        unit=unit,
        year=data["year"],
        title=data["title"],
        categories=[categories[row["name"]] for row in wanted],
        laboratory=data["laboratory"],
        campaign=campaign,
        acting_user=staff,
    )
    failures: dict[str, Sample] = {}
    per_category = data["per_category"] * len(data["categories"]) // len(wanted)
    for c, row in enumerate(wanted):
        makers = _candidates(enterprises, row["industries"])
        for i in range(per_category):
            product, brand, model_spec = row["products"][i % len(row["products"])]
            enterprise = next(makers)
            sample = services.sample_add(
                plan=plan,
                enterprise=enterprise,
                category=categories[row["name"]],
                product=product,
                brand=brand,
                model_spec=model_spec,
                batch=f"{base - dt.timedelta(days=30 + (i * 5 + c) % 28):%Y%m%d}",
                quantity=row["quantity"],
                seal_number=f"SL-DEMO-{c + 1:02d}{i + 1:02d}",
                sampled_on=base + dt.timedelta(days=(c + i) % 5),
                acting_user=staff,
            )
            result_on = base + dt.timedelta(days=25)
            fail = row.get("fail")
            if fail and fail["index"] == i:
                services.sample_result_record(
                    sample=sample,
                    outcome="fail",
                    failed_items=fail["items"],
                    result_on=result_on,
                    rectify_by=result_on + dt.timedelta(days=30),
                    acting_user=staff,
                )
                failures[row["name"]] = services.sample_received_record(
                    sample=sample,
                    received_on=result_on + dt.timedelta(days=3),
                    acting_user=staff,
                )
            else:
                services.sample_result_record(
                    sample=sample, outcome="pass", result_on=result_on, acting_user=staff
                )
    _retest(failures.get(data["retest"]["category"]), data["retest"]["outcome"], base, staff)
    for name in data["rechecked"]:
        if name in failures:
            services.sample_recheck_record(
                sample=failures[name],
                outcome="pass",
                recheck_on=base + dt.timedelta(days=58),
                acting_user=staff,
            )
    with translation.override("zh-hans"):  # the demo's notice is written in Chinese
        services.spot_check_plan_publish(plan=plan, notice=None, acting_user=manager)
    audit_record(actor=None, actor_label="seed-demo", event_type="demo.spotchecks", plan=plan.pk)


def _candidates(enterprises, industries):
    """Enterprises of the category's trades (a maker, then a retailer, in turn), cycled; the
    first of the city when none fits."""
    groups = [list(enterprises.filter(industry__code=code).order_by("uscc")) for code in industries]
    found = [e for turn in itertools.zip_longest(*groups) for e in turn if e is not None]
    return itertools.cycle(found or list(enterprises.order_by("uscc")[:20]))


def _retest(sample: Sample | None, outcome: str, base: dt.date, staff) -> None:
    """The enterprise asked for a re-test a week after receiving the result. Asked on a past
    day, it is written as the enterprise's request would be (the service asks on today)."""
    if sample is None:
        return
    asked = sample.received_on + dt.timedelta(days=7)
    Sample.objects.filter(pk=sample.pk).update(retest_requested_on=asked)
    sample.refresh_from_db()
    audit_record(
        actor=None,
        actor_label="seed-demo",
        event_type="supervision.spotcheck.retest_requested",
        target=sample,
        window_closes=selectors.retest_closes_on(sample),
    )
    retest_on = asked + dt.timedelta(days=14)
    services.sample_retest_result_record(
        sample=sample,
        outcome=outcome,
        failed_items=sample.failed_items if outcome == "fail" else "",
        retest_on=retest_on,
        rectify_by=retest_on + dt.timedelta(days=30) if outcome == "fail" else None,
        acting_user=staff,
    )
