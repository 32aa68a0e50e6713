"""Hostile-suite setups of the product spot checks: a plan of the world's unit with two
categories, an enterprise with a member account, and a sample in each state a step acts on
(pending, failed and not received, re-test asked for, failed with a deadline), plus a plan
ready to publish; made the first time an operation or form asks for them."""

import datetime as dt

from django.utils import timezone

from tests.hostile.conftest import World
from tests.hostile.setup import Setup, StepForm


def _today() -> dt.date:
    return timezone.localdate()


def _days(n: int) -> str:
    return (_today() + dt.timedelta(days=n)).isoformat()


def _world(w: World) -> World:
    if hasattr(w, "spot_plan"):
        return w
    from django.test import Client

    from qualitymonth.core.models import Membership
    from qualitymonth.core.validators import uscc_check_character
    from qualitymonth.enterprises.models import Enterprise, EnterpriseMember
    from qualitymonth.supervision.models import ProductCategory, Sample
    from qualitymonth.supervision.services import spotchecks as services
    from tests.factories import UserFactory

    office = (
        Membership.objects.filter(
            role=Membership.Role.CAMPAIGN_OFFICE, unit__region=w.campaign.region
        )
        .select_related("user")
        .first()
        .user
    )
    w.spot_office = office
    w.spot_categories = [
        ProductCategory.objects.create(
            region=w.campaign.region, code="hostile-kettle", name="电热水壶"
        ),
        ProductCategory.objects.create(
            region=w.campaign.region, code="hostile-clothing", name="儿童服装"
        ),
    ]
    body = "91999995000000001"
    w.spot_enterprise = Enterprise.objects.create(
        region=w.campaign.region,
        uscc=body + uscc_check_character(body),
        name="示例抽查电器有限公司",
        legal_representative="王某",
        registered_address="某路3号",
    )
    member = UserFactory(username="hostile-spot-member")
    EnterpriseMember.objects.create(enterprise=w.spot_enterprise, user=member)
    w.clients["spot_member"] = Client()
    w.clients["spot_member"].force_login(member)

    def plan(title: str):
        return services.spot_check_plan_create(
            unit=w.unit,
            year=_today().year,
            title=title,
            categories=w.spot_categories,
            laboratory="示例质检院",
            acting_user=office,
        )

    def sample(on_plan, n: int) -> Sample:
        return services.sample_add(
            plan=on_plan,
            enterprise=w.spot_enterprise,
            category=w.spot_categories[0],
            product=f"电热水壶{n}",
            quantity="4台",
            seal_number=f"HS-{n}",
            sampled_on=_today() - dt.timedelta(days=30),
            acting_user=office,
        )

    w.spot_plan = plan("恶意输入抽查")
    w.spot_samples = {
        name: sample(w.spot_plan, n)
        for n, name in enumerate(["pending", "served", "retest", "recheck"], start=1)
    }
    failed = {
        "outcome": "fail",
        "failed_items": "泄漏电流",
        "result_on": _today() - dt.timedelta(days=20),
        "rectify_by": _today() + dt.timedelta(days=30),
    }
    Sample.objects.filter(pk=w.spot_samples["served"].pk).update(**failed)
    Sample.objects.filter(pk=w.spot_samples["retest"].pk).update(
        **failed,
        received_on=_today() - dt.timedelta(days=10),
        retest_requested_on=_today() - dt.timedelta(days=5),
    )
    Sample.objects.filter(pk=w.spot_samples["recheck"].pk).update(
        **failed, received_on=_today() - dt.timedelta(days=19)
    )
    w.spot_ready = plan("恶意输入待发布抽查")
    ready = sample(w.spot_ready, 9)
    Sample.objects.filter(pk=ready.pk).update(
        outcome="pass", result_on=_today() - dt.timedelta(days=20)
    )
    return w


def _number(which: str):
    return lambda w: {"number": _world(w).spot_samples[which].number}


def _reset(which: str, **fields):
    def reset(w: World) -> None:
        from qualitymonth.supervision.models import Sample

        Sample.objects.filter(pk=_world(w).spot_samples[which].pk).update(**fields)

    return reset


_FAILED = {"outcome": "fail", "failed_items": "泄漏电流"}
_reset_pending = _reset(
    "pending", outcome="pending", failed_items="", result_on=None, rectify_by=None
)
_reset_served = _reset("served", received_on=None)


def _reset_retest(w: World) -> None:
    _reset(
        "retest",
        **_FAILED,
        retest_outcome="",
        retest_on=None,
        rectify_by=_today() + dt.timedelta(days=30),
    )(w)


_reset_recheck = _reset("recheck", recheck_outcome="", recheck_on=None)


def _reset_ready(w: World) -> None:
    from qualitymonth.supervision.models import SpotCheckPlan

    SpotCheckPlan.objects.filter(pk=_world(w).spot_ready.pk).update(
        status="testing", notice="", published_at=None
    )


def _sample_field(which: str, name: str):
    def read(w: World) -> str:
        from qualitymonth.supervision.models import Sample

        return getattr(Sample.objects.get(pk=_world(w).spot_samples[which].pk), name)

    return read


def _latest(name: str, model: str = "Sample"):
    def read(w: World) -> str:
        from django.apps import apps

        return getattr(apps.get_model("supervision", model).objects.order_by("-pk").first(), name)

    return read


def _ready_notice(w: World) -> str:
    from qualitymonth.supervision.models import SpotCheckPlan

    return SpotCheckPlan.objects.get(pk=_world(w).spot_ready.pk).notice


OFFICE = "/api/office/supervision"

SETUPS = {
    f"GET {OFFICE}/spot-checks": Setup(who="office", path=lambda w: _world(w) and {}),
    f"POST {OFFICE}/spot-checks": Setup(
        who="office",
        path=lambda w: _world(w) and {},
        base=lambda w, n: {
            "unit": w.unit.code,
            "year": _today().year,
            "title": f"恶意输入抽查计划{n}",
            "categories": ["hostile-kettle"],
            "laboratory": "示例质检院",
            "campaign": "",
        },
        stored={"title": _latest("title", "SpotCheckPlan")},
        lookups=frozenset({"unit", "categories", "campaign"}),
    ),
    f"POST {OFFICE}/spot-checks/{{plan_id}}/samples": Setup(
        who="office",
        path=lambda w: {"plan_id": _world(w).spot_plan.pk},
        base=lambda w, n: {
            "enterprise": w.spot_enterprise.uscc,
            "category": "hostile-clothing",
            "product": "儿童T恤",
            "brand": "示例牌",
            "model_spec": "110cm",
            "batch": "20260801",
            "quantity": "6件",
            "seal_number": f"HSN-{n}",
            "sampled_on": _days(-1),
        },
        stored={
            name: _latest(name)
            for name in ("product", "brand", "model_spec", "batch", "quantity", "seal_number")
        },
        lookups=frozenset({"enterprise", "category"}),
    ),
    f"POST {OFFICE}/samples/{{number}}/result": Setup(
        who="office",
        path=_number("pending"),
        base=lambda w, n: {
            "outcome": "fail",
            "failed_items": "标签标识",
            "result_on": _days(-1),
            "rectify_by": _days(30),
        },
        reset=_reset_pending,
        stored={"failed_items": _sample_field("pending", "failed_items")},
        pairs={"outcome": "failed_items"},
    ),
    f"POST {OFFICE}/samples/{{number}}/received": Setup(
        who="office",
        path=_number("served"),
        base=lambda w, n: {"received_on": _days(-1)},
        reset=_reset_served,
    ),
    f"POST {OFFICE}/samples/{{number}}/retest-result": Setup(
        who="office",
        path=_number("retest"),
        base=lambda w, n: {
            "outcome": "fail",
            "failed_items": "泄漏电流、标志",
            "retest_on": _days(-1),
            "rectify_by": _days(40),
        },
        reset=_reset_retest,
        stored={"failed_items": _sample_field("retest", "failed_items")},
        pairs={"outcome": "failed_items"},
    ),
    f"POST {OFFICE}/samples/{{number}}/recheck": Setup(
        who="office",
        path=_number("recheck"),
        base=lambda w, n: {"outcome": "pass", "recheck_on": _days(-1)},
        reset=_reset_recheck,
    ),
    f"POST {OFFICE}/spot-checks/{{plan_id}}/publish": Setup(
        who="office",
        path=lambda w: {"plan_id": _world(w).spot_ready.pk},
        base=lambda w, n: {"notice": "2026年产品质量监督抽查结果公告。"},
        reset=_reset_ready,
        stored={"notice": _ready_notice},
    ),
    "GET /api/supervision/spot-checks/mine": Setup(
        who="spot_member", path=lambda w: _world(w) and {}
    ),
    "GET /api/supervision/spot-checks": Setup(),
}


# --- web forms -----------------------------------------------------------------------------------
def _step(which: str, step: str, base, reset, key: str = "form") -> StepForm:
    def page(w: World) -> str:
        return f"/office/supervision/spot-checks/samples/{_world(w).spot_samples[which].number}/{step}/"

    return StepForm(who="office", page=page, base=base, reset=reset, key=key)


FORMS = {
    "sv-spotcheck-plan-new": (
        "office",
        lambda w: _world(w) and "/office/supervision/spot-checks/new/",
        lambda w: {
            "unit": w.unit.pk,
            "year": str(_today().year),
            "title": "恶意输入表单抽查",
            "categories": [w.spot_categories[0].pk],
            "laboratory": "示例质检院",
        },
    ),
    "sv-spotcheck-sample-new": (
        "office",
        lambda w: f"/office/supervision/spot-checks/{_world(w).spot_plan.pk}/samples/new/",
        lambda w: {
            "enterprise": w.spot_enterprise.uscc,
            "category": w.spot_categories[1].pk,
            "product": "儿童T恤",
            "quantity": "6件",
            "seal_number": "HSF-1",
            "sampled_on": _days(-1),
        },
    ),
    "sv-spotcheck-result": _step(
        "pending",
        "result",
        lambda w: {
            "outcome": "fail",
            "failed_items": "标签",
            "result_on": _days(-1),
            "rectify_by": _days(30),
            "confirm": "on",
        },
        _reset_pending,
    ),
    "sv-spotcheck-received": _step(
        "served", "received", lambda w: {"received_on": _days(-1)}, _reset_served
    ),
    "sv-spotcheck-retest-result": _step(
        "retest",
        "retest",
        lambda w: {
            "outcome": "pass",
            "retest_on": _days(-1),
            "confirm": "on",
        },
        _reset_retest,
    ),
    "sv-spotcheck-recheck": _step(
        "recheck",
        "recheck",
        lambda w: {"outcome": "pass", "recheck_on": _days(-1), "confirm": "on"},
        _reset_recheck,
    ),
    "sv-spotcheck-publish": StepForm(
        who="office",
        page=lambda w: f"/office/supervision/spot-checks/{_world(w).spot_ready.pk}/publish/",
        base=lambda w: {"notice": "2026年产品质量监督抽查结果公告。", "confirm": "on"},
        reset=_reset_ready,
    ),
}
