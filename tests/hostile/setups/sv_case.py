"""Hostile-suite setups of the enforcement cases: cases of the world's unit in each state the
operations act on (under investigation, decided, publicity due, published, written up), made the
first time an operation asks for them."""

from django.utils import timezone

from tests.hostile.conftest import World
from tests.hostile.setup import Setup, StepForm, _fresh, _latest

OFFICE = "/office/supervision/cases"


def _office(w: World):
    from qualitymonth.core.models import Membership

    return (
        Membership.objects.filter(
            role=Membership.Role.CAMPAIGN_OFFICE, unit__region=w.campaign.region
        )
        .select_related("user")
        .first()
        .user
    )


def _world(w: World) -> World:
    if hasattr(w, "sv_open"):
        return w
    from qualitymonth.supervision.services import cases as services
    from qualitymonth.supervision.services import publicity as ps
    from tests.factories import MembershipFactory, UnitFactory, UserFactory

    office = _office(w)
    # Cases are a market regulator's: the world's unit (a construction bureau) has none.
    w.sv_case_unit = UnitFactory(
        region=w.campaign.region,
        kind="market_supervision",
        name="示例市场监督管理局",
        short_name="示例监管局",
        code="hostile-amr",
    )
    staff = MembershipFactory(
        unit=w.sv_case_unit, role="unit_staff", user=UserFactory(username="hostile-amr-staff")
    ).user
    today = timezone.localdate()
    n = iter(range(1, 100))

    def case(procedure="ordinary", decided=False, published=False):
        made = services.case_open(
            unit=w.sv_case_unit,
            source="referral",
            procedure=procedure,
            party_kind="enterprise",
            party_name="厦门市示例商行",
            facts="经查，当事人销售不合格产品。",
            acting_user=office,
        )
        if decided:
            made = services.case_decide(
                case=made,
                decisions=["fine"],
                fine_amount="5000",
                decision_text="罚款5000元。",
                decision_number=f"厦市监罚〔示例〕{next(n)}号",
                decided_on=today,
                acting_user=office,
            )
        if published:
            ps.publicity_publish(publicity=made.publicity, acting_user=office)
            made.refresh_from_db()
        return made

    def typical(made, status):
        written = ps.typical_create(
            case=made,
            campaign=w.campaign,
            domain=None,
            title="示例典型案例",
            facts="事实",
            actions="处理",
            warning="警示",
            acting_user=staff,
        )
        if status == "submitted":
            ps.typical_submit(typical=written, acting_user=staff)
        return written

    w.sv_open = case()
    w.sv_to_decide = case()
    w.sv_decided = case(procedure="simplified", decided=True)
    w.sv_due = case(decided=True)
    w.sv_published = case(decided=True, published=True)
    w.sv_writable = case(decided=True, published=True)
    w.sv_submitted = typical(case(decided=True, published=True), "submitted")
    w.sv_draft = typical(case(decided=True, published=True), "draft")
    return w


def _case_model():
    from qualitymonth.supervision.models import Case

    return Case


def _reset_to_decide(w: World) -> None:
    from qualitymonth.supervision.models import Publicity

    _world(w)
    Publicity.objects.filter(case=w.sv_to_decide).delete()
    _case_model().objects.filter(pk=w.sv_to_decide.pk).update(
        status="investigating", decision_number="", decisions=[], fine_amount=None
    )


def _reset_decided(w: World) -> None:
    _world(w)
    _case_model().objects.filter(pk=w.sv_decided.pk).update(status="decided", changed_on=None)


def _reset_open(w: World) -> None:
    _world(w)
    _case_model().objects.filter(pk=w.sv_open.pk).update(status="investigating")


def _reset_due(w: World) -> None:
    from qualitymonth.supervision.models import Publicity

    _world(w)
    Publicity.objects.filter(case=w.sv_due).update(
        status="due", published_at=None, visible_until=None
    )


def _reset_published(w: World) -> None:
    from qualitymonth.supervision.models import Publicity

    _world(w)
    Publicity.objects.filter(case=w.sv_published).update(
        status="published", withdraw_due=None, removed_at=None, removal_reason=""
    )


def _reset_writable(w: World) -> None:
    from qualitymonth.supervision.models import TypicalCase

    _world(w)
    TypicalCase.objects.filter(case=w.sv_writable).delete()


def _reset_submitted(w: World) -> None:
    from qualitymonth.supervision.models import TypicalCase

    _world(w)
    TypicalCase.objects.filter(pk=w.sv_submitted.pk).update(status="submitted", return_reason="")


def _reset_draft(w: World) -> None:
    from qualitymonth.supervision.models import TypicalCase

    _world(w)
    TypicalCase.objects.filter(pk=w.sv_draft.pk).update(status="draft")


def _number(name: str):
    return lambda w: {"number": getattr(_world(w), name).number}


def _case_number(name: str):
    return lambda w: {"case_number": getattr(_world(w), name).number}


def _publicity_text(name: str):
    def read(w):
        from qualitymonth.supervision.models import Publicity

        return Publicity.objects.get(case=getattr(w, name)).text

    return read


def _publicity_field(name: str, field: str):
    def read(w):
        from qualitymonth.supervision.models import Publicity

        return getattr(Publicity.objects.get(case=getattr(w, name)), field)

    return read


_CASE = {
    "source": "referral",
    "procedure": "ordinary",
    "party_kind": "enterprise",
    "enterprise_uscc": "",
    "party_name": "厦门市示例商行",
    "facts": "经查，当事人销售不合格产品。",
    "legal_basis": "《产品质量法》第四十九条",
    "complaint": "",
    "hazard_id": None,
    "sample_id": None,
}
_TEXTS = ("party_name", "facts", "legal_basis")


def _decision(w: World, n: int) -> dict:
    return {
        "decisions": ["fine"],
        "fine_amount": "5000",
        "decision_number": f"厦市监罚〔示例〕{1000 + n}号",
        "decided_on": timezone.localdate().isoformat(),
        "decision_text": "罚款5000元。",
        "restriction_until": None,
    }


SETUPS = {
    "GET /api/office/supervision/cases": Setup(who="office", path=lambda w: _world(w) and {}),
    "POST /api/office/supervision/cases": Setup(
        who="office",
        path=lambda w: _world(w) and {},
        base=lambda w, n: {**_CASE, "unit": _world(w).sv_case_unit.code},
        stored={name: _latest("supervision.Case", name) for name in _TEXTS},
        lookups=frozenset({"unit", "enterprise_uscc", "complaint", "hazard_id", "sample_id"}),
    ),
    "PUT /api/office/supervision/cases/{number}": Setup(
        who="office",
        path=_number("sv_open"),
        base=lambda w, n: {k: v for k, v in _CASE.items() if k not in ("source", "complaint")},
        reset=_reset_open,
        stored={name: _fresh("sv_open", name) for name in _TEXTS},
        lookups=frozenset({"enterprise_uscc"}),
    ),
    "POST /api/office/supervision/cases/{number}/decision": Setup(
        who="office",
        path=_number("sv_to_decide"),
        base=_decision,
        reset=_reset_to_decide,
        stored={name: _fresh("sv_to_decide", name) for name in ("decision_number",)},
    ),
    "POST /api/office/supervision/cases/{number}/change": Setup(
        who="office",
        path=_number("sv_decided"),
        base=lambda w, n: {
            "change": "revoke",
            "changed_on": timezone.localdate().isoformat(),
            "reason": "行政复议撤销",
            "decisions": [],
            "fine_amount": "",
            "decision_text": "",
        },
        reset=_reset_decided,
        stored={"reason": _fresh("sv_decided", "change_reason")},
    ),
    "POST /api/office/supervision/publicity/{case_number}/publish": Setup(
        who="office",
        path=_case_number("sv_due"),
        base=lambda w, n: {"text": "行政处罚决定书文号：示例"},
        reset=_reset_due,
        stored={"text": _publicity_text("sv_due")},
    ),
    "POST /api/office/supervision/publicity/{case_number}/remove": Setup(
        who="office",
        path=_case_number("sv_published"),
        base=lambda w, n: {
            "why": "application",
            "reason": "当事人申请提前停止公示",
            "carried_out": True,
            "harm_removed": True,
            "no_repeat": True,
            "not_listed": True,
        },
        reset=_reset_published,
        stored={"reason": _publicity_field("sv_published", "removal_reason")},
    ),
    "GET /api/office/supervision/typical-cases": Setup(
        who="office", path=lambda w: _world(w) and {}
    ),
    "POST /api/office/supervision/typical-cases": Setup(
        who="office",
        path=lambda w: _world(w) and {},
        base=lambda w, n: {
            "case_number": w.sv_writable.number,
            "campaign": w.campaign.slug,
            "domain": "",
            "title": "示例典型案例",
            "facts": "事实",
            "actions": "处理",
            "warning": "警示",
        },
        reset=_reset_writable,
        stored={
            name: _latest("supervision.TypicalCase", name)
            for name in ("title", "facts", "actions", "warning")
        },
        lookups=frozenset({"case_number", "campaign", "domain"}),
    ),
    "POST /api/office/supervision/typical-cases/{typical_id}/return": Setup(
        who="office",
        path=lambda w: {"typical_id": _world(w).sv_submitted.pk},
        base=lambda w, n: {"reason": "请补充警示内容"},
        reset=_reset_submitted,
        stored={"reason": _fresh("sv_submitted", "return_reason")},
    ),
    "GET /api/supervision/penalties": Setup(),
    "GET /api/supervision/typical-cases": Setup(lookups=frozenset({"domain"})),
}


def _page(name: str, suffix: str = ""):
    return lambda w: f"{OFFICE}/{getattr(_world(w), name).number}/{suffix}"


FORMS = {
    "sv-case-new": StepForm(
        who="office",
        page=lambda w: _world(w) and f"{OFFICE}/new/",
        base=lambda w: {
            "unit": _world(w).sv_case_unit.pk,
            "source": "referral",
            "procedure": "ordinary",
            "party_kind": "enterprise",
            "party_name": "厦门市示例商行",
            "facts": "经查，当事人销售不合格产品。",
        },
    ),
    "sv-case-edit": StepForm(
        who="office",
        page=_page("sv_open", "edit/"),
        base=lambda w: {
            "procedure": "ordinary",
            "party_kind": "enterprise",
            "party_name": "厦门市示例商行",
            "facts": "经查，当事人销售不合格产品。",
        },
        reset=_reset_open,
    ),
    "sv-case-decision": StepForm(
        who="office",
        page=_page("sv_to_decide", "decision/"),
        base=lambda w: {
            "decisions": ["fine"],
            "fine_amount": "5000",
            "decision_number": "厦市监罚〔示例〕9999号",
            "decided_on": timezone.localdate().isoformat(),
            "decision_text": "罚款5000元。",
        },
        reset=_reset_to_decide,
    ),
    "sv-case-change": StepForm(
        who="office",
        page=_page("sv_decided", "change/"),
        base=lambda w: {
            "change": "revoke",
            "changed_on": timezone.localdate().isoformat(),
            "reason": "行政复议撤销",
        },
        reset=_reset_decided,
    ),
    "sv-publicity-text": StepForm(
        who="office",
        page=lambda w: f"{OFFICE}/publicity/{_world(w).sv_due.number}/",
        base=lambda w: {"text": "行政处罚决定书文号：示例"},
        reset=_reset_due,
    ),
    "sv-publicity-remove": StepForm(
        who="office",
        page=lambda w: f"{OFFICE}/publicity/{_world(w).sv_published.number}/remove/",
        base=lambda w: {
            "carried_out": "on",
            "harm_removed": "on",
            "no_repeat": "on",
            "not_listed": "on",
            "reason": "当事人申请",
        },
        reset=_reset_published,
    ),
    "sv-typical-new": StepForm(
        who="office",
        page=lambda w: f"{OFFICE}/typical/new/?case={_world(w).sv_writable.number}",
        base=lambda w: {
            "campaign": w.campaign.pk,
            "title": "示例典型案例",
            "facts": "事实",
            "actions": "处理",
            "warning": "警示",
        },
        reset=_reset_writable,
    ),
    "sv-typical-edit": StepForm(
        who="office",
        page=lambda w: f"{OFFICE}/typical/{_world(w).sv_draft.pk}/edit/",
        base=lambda w: {
            "campaign": w.campaign.pk,
            "title": "示例典型案例",
            "facts": "事实",
            "actions": "处理",
            "warning": "警示",
        },
        reset=_reset_draft,
    ),
    "sv-typical-return": StepForm(
        who="office",
        page=lambda w: f"{OFFICE}/typical/{_world(w).sv_submitted.pk}/return/",
        base=lambda w: {"reason": "请补充警示内容"},
        reset=_reset_submitted,
    ),
}
