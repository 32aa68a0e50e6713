"""Hostile-suite setups of hazards and rectification: a market-supervision unit with an
inspector, a school canteen run by an enterprise with a user, and an open rectification order
found there ten days ago, made the first time an operation asks for it."""

import datetime as dt

from django.utils import timezone

from tests.hostile.conftest import World
from tests.hostile.setup import Setup, _fresh, _latest

INSPECTOR = "sv_hazard_inspector"
ENTERPRISE = "sv_hazard_enterprise"


def _hazard_world(w: World) -> World:
    if hasattr(w, "sv_hazard"):
        return w
    from django.test import Client

    from qualitymonth.core.models import Membership, Region
    from qualitymonth.core.validators import uscc_check_character
    from qualitymonth.enterprises.models import Enterprise, EnterpriseMember
    from qualitymonth.supervision.models import (
        Answer,
        Canteen,
        Checklist,
        ChecklistItem,
        Hazard,
        Inspection,
        Subject,
    )
    from tests.factories import MembershipFactory, UnitFactory, UserFactory

    today = timezone.localdate()
    region = w.campaign.region
    district = Region.objects.filter(parent=region).order_by("code").first()
    unit = UnitFactory(region=region, code="hostile-amr", kind="market_supervision")
    inspector = MembershipFactory(
        unit=unit, role=Membership.Role.INSPECTOR, user=UserFactory(username="hostile-insp")
    ).user
    body = "91999996000000003"
    enterprise = Enterprise.objects.create(
        region=region,
        uscc=body + uscc_check_character(body),
        name="示例餐饮管理有限公司",
        legal_representative="王某",
        registered_address="某路3号",
    )
    member = UserFactory(username="hostile-canteen")
    EnterpriseMember.objects.create(enterprise=enterprise, user=member)
    subject = Subject.objects.create(
        region=region,
        district=district,
        kind="canteen",
        name="示例幼儿园食堂",
        enterprise=enterprise,
    )
    Canteen.objects.create(
        subject=subject, school="示例幼儿园", school_kind="kindergarten", licence_number="JYTEST9"
    )
    checklist = Checklist.objects.create(
        region=region, code="hostile-canteen", title="食堂检查表", subject_kind="canteen"
    )
    item = ChecklistItem.objects.create(checklist=checklist, order=1, text="留样是否满 48 小时")
    inspection = Inspection.objects.create(
        number="JHOSTILE00001",
        subject=subject,
        unit=unit,
        checklist=checklist,
        inspected_on=today - dt.timedelta(days=10),
        status=Inspection.Status.SIGNED,
    )
    answer = Answer.objects.create(inspection=inspection, item=item, verdict="not_compliant")
    w.sv_hazard = Hazard.objects.create(
        inspection=inspection,
        answer=answer,
        subject=subject,
        unit=unit,
        description="留样不足 48 小时",
        order_text="按规定留样并记录",
        deadline=today + dt.timedelta(days=5),
    )
    w.sv_hazard_deadline = w.sv_hazard.deadline
    for name, user in ((INSPECTOR, inspector), (ENTERPRISE, member)):
        w.clients[name] = Client()
        w.clients[name].force_login(user)
    return w


def _path(w: World) -> dict:
    return {"hazard_id": _hazard_world(w).sv_hazard.pk}


def _reopen(w: World) -> None:
    """The hazard as it was made: open, not re-inspected, its first deadline, never extended."""
    from qualitymonth.supervision.models import Hazard

    hazard = _hazard_world(w).sv_hazard
    Hazard.objects.filter(pk=hazard.pk).update(
        status="open",
        reinspected_on=None,
        reinspection_note="",
        closed_at=None,
        deadline=w.sv_hazard_deadline,
        original_deadline=None,
        extension_reason="",
    )


def _today() -> str:
    return timezone.localdate().isoformat()


SETUPS = {
    "GET /api/inspect/hazards": Setup(
        who=INSPECTOR, path=lambda w: _hazard_world(w) and {}, lookups=frozenset({"district"})
    ),
    "GET /api/inspect/rectifications": Setup(
        who=ENTERPRISE, path=lambda w: _hazard_world(w) and {}
    ),
    "POST /api/inspect/hazards/{hazard_id}/replies": Setup(
        who=ENTERPRISE,
        path=_path,
        base=lambda w, n: {"note": "已按规定留样并补齐记录"},
        reset=_reopen,
        stored={"note": _latest("supervision.HazardReply", "note")},
    ),
    "POST /api/inspect/hazards/{hazard_id}/reinspection": Setup(
        who=INSPECTOR,
        path=_path,
        base=lambda w, n: {
            "reinspected_on": _today(),
            "outcome": "close",
            "note": "现场复查合格",
            "legal_basis": "",
        },
        reset=_reopen,
        stored={"note": _fresh("sv_hazard", "reinspection_note")},
    ),
    "POST /api/inspect/hazards/{hazard_id}/extend": Setup(
        who=INSPECTOR,
        path=_path,
        base=lambda w, n: {
            "deadline": (w.sv_hazard_deadline + dt.timedelta(days=5)).isoformat(),
            "reason": "冷柜需厂家维修",
        },
        reset=_reopen,
    ),
}


def _page(step: str):
    def url(w: World) -> str:
        return f"/inspect/hazards/{_hazard_world(w).sv_hazard.pk}/{step}/"

    return url


FORMS = {
    "sv-hazard-reply": (
        ENTERPRISE,
        _page("reply"),
        lambda w: {"note": "已按规定留样并补齐记录"},
    ),
    "sv-hazard-reinspect": (
        INSPECTOR,
        _page("reinspect"),
        lambda w: {"reinspected_on": _today(), "outcome": "close", "note": "现场复查合格"},
    ),
    "sv-hazard-extend": (
        INSPECTOR,
        _page("extend"),
        lambda w: {
            "deadline": (w.sv_hazard_deadline + dt.timedelta(days=5)).isoformat(),
            "reason": "冷柜需厂家维修",
        },
    ),
}
