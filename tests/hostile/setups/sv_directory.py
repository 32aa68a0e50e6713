"""Hostile-suite setups of the supervision directories: a market-supervision unit of the world's
city with an inspector, a canteen and an elevator in the directory, made the first time an
operation asks for them. Codes stay outside anything real: licences JY9998…, "HOSTILE" codes."""

import datetime as dt

from tests.hostile.conftest import World
from tests.hostile.setup import Setup, StepForm, _fresh, _latest

BASE = "/api/office/supervision"
PAGES = "/office/supervision"


def _world(w: World) -> World:
    if hasattr(w, "sv_canteen"):
        return w
    from qualitymonth.core.models import Membership, Region
    from qualitymonth.supervision.services import directories as services
    from tests.factories import MembershipFactory, UnitFactory, UserFactory

    office = (
        Membership.objects.filter(
            role=Membership.Role.CAMPAIGN_OFFICE, unit__region=w.campaign.region
        )
        .select_related("user")
        .first()
        .user
    )
    w.sv_district = Region.objects.filter(parent=w.campaign.region).order_by("code").first()
    w.sv_unit = UnitFactory(
        region=w.campaign.region,
        name="测试市场监管局",
        code="hostile-amr",
        kind="market_supervision",
    )
    person = UserFactory(username="hostile-inspector")
    MembershipFactory(unit=w.sv_unit, role=Membership.Role.INSPECTOR, user=person)
    w.sv_inspector = services.inspector_create(
        unit=w.sv_unit,
        username=person.username,
        data={"name": "测试检查员", "certificate_number": "ZF-H-1", "kinds": ["canteen"]},
        acting_user=office,
    )
    w.sv_canteen = services.subject_create(
        region=w.campaign.region,
        kind="canteen",
        data={
            "school": "测试小学",
            "school_kind": "primary",
            "licence_number": "JY99980000000000",
            "district": w.sv_district,
        },
        acting_user=office,
    )
    w.sv_elevator = services.subject_create(
        region=w.campaign.region,
        kind="elevator",
        data={
            "registration_code": "HOSTILE-0",
            "building": "测试大厦",
            "user_unit": "测试物业",
            "maintenance_company": "测试维保",
        },
        acting_user=office,
    )
    return w


def _path_subject(w: World) -> dict:
    return {"subject_id": _world(w).sv_canteen.pk}


def _path_inspector(w: World) -> dict:
    return {"inspector_id": _world(w).sv_inspector.pk}


def _reopen(w: World) -> None:
    from qualitymonth.supervision.models import Subject

    Subject.objects.filter(pk=_world(w).sv_elevator.pk).update(is_active=True, closed_on=None)


def _no_links(w: World) -> None:
    from qualitymonth.supervision.models import ConflictLink

    ConflictLink.objects.filter(inspector=_world(w).sv_inspector).delete()


def _only_world_inspector(w: World) -> None:
    from qualitymonth.supervision.models import Inspector

    Inspector.objects.exclude(pk=_world(w).sv_inspector.pk).delete()


def _new_account(n) -> str:
    from tests.factories import UserFactory

    return UserFactory(username=f"hostile-new-{n}").username


def _canteen_body(w: World, n: int) -> dict:
    _world(w)
    return {
        "kind": "canteen",
        "school": f"测试第{n}小学",
        "school_kind": "primary",
        "licence_number": f"JY9998{n:010d}",
        "district": w.sv_district.code,
        "address": "测试路1号",
    }


def _rules_body(w: World, n: int) -> dict:
    return {
        "canteen_sample_grams": 125,
        "canteen_sample_hours": 48,
        "elevator_maintenance_days": 15,
        "emergency_number": "96333",
        "lower_fine_person": "10000",
        "lower_fine_organisation": "100000",
        "retest_days": 15,
    }


_LIST = frozenset({"city"})

SETUPS = {
    f"GET {BASE}/subjects": Setup(who="office", path=lambda w: _world(w) and {}, lookups=_LIST),
    f"POST {BASE}/subjects": Setup(
        who="office",
        path=lambda w: _world(w) and {},
        base=_canteen_body,
        stored={
            "school": _latest("supervision.Canteen", "school"),
            "address": _latest("supervision.Subject", "address"),
        },
        lookups=_LIST,
    ),
    f"PUT {BASE}/subjects/{{subject_id}}": Setup(
        who="office",
        path=_path_subject,
        base=lambda w, n: {
            "address": "测试路2号",
            "school": "测试小学",
            "school_kind": "primary",
            "canteen": "二号食堂",
            "licence_number": "JY99980000000000",
            "district": w.sv_district.code,
        },
        stored={"address": _fresh("sv_canteen", "address")},
    ),
    f"POST {BASE}/subjects/{{subject_id}}/close": Setup(
        who="office",
        path=lambda w: {"subject_id": _world(w).sv_elevator.pk},
        base=lambda w, n: {"closed_on": dt.date(2024, 5, 6).isoformat(), "reason": "已拆除"},
        reset=_reopen,
    ),
    f"GET {BASE}/inspectors": Setup(who="office", path=lambda w: _world(w) and {}, lookups=_LIST),
    f"POST {BASE}/inspectors": Setup(
        who="office",
        path=lambda w: _world(w) and {},
        base=lambda w, n: {
            "unit": w.sv_unit.code,
            "username": _new_account(n),
            "name": "新检查员",
            "certificate_number": f"ZF-H-{n}",
            "qualifications": "",
            "kinds": ["canteen", "elevator"],
            "districts": [w.sv_district.code],
        },
        reset=lambda w: _only_world_inspector(w),
        stored={"name": _latest("supervision.Inspector", "name")},
        lookups=frozenset({"unit", "username"}),
    ),
    f"GET {BASE}/inspectors/{{inspector_id}}/links": Setup(who="office", path=_path_inspector),
    f"POST {BASE}/inspectors/{{inspector_id}}/links": Setup(
        who="office",
        path=_path_inspector,
        base=lambda w, n: {"subject_id": w.sv_canteen.pk, "reason": "relative", "note": "亲属"},
        reset=_no_links,
        stored={"note": _latest("supervision.ConflictLink", "note")},
        lookups=frozenset({"subject_id"}),
    ),
    f"GET {BASE}/check-items": Setup(who="office", lookups=_LIST),
    f"POST {BASE}/check-items": Setup(
        who="office",
        base=lambda w, n: {
            "code": f"hostile-{n}",
            "title": "电梯维护保养检查",
            "subject_kind": "elevator",
            "kind": "ordinary",
            "max_share": "10",
            "publication_workdays": 20,
        },
        stored={
            "title": _latest("supervision.CheckItem", "title"),
            "legal_basis": _latest("supervision.CheckItem", "legal_basis"),
        },
        lookups=_LIST,
    ),
    f"GET {BASE}/product-categories": Setup(who="office", lookups=_LIST),
    f"POST {BASE}/product-categories": Setup(
        who="office",
        base=lambda w, n: {"code": f"hostile-{n}", "name": "电热水壶"},
        stored={
            name: _latest("supervision.ProductCategory", name)
            for name in ("name", "name_en", "standard")
        },
        lookups=_LIST,
    ),
    f"GET {BASE}/rules": Setup(who="office", lookups=_LIST),
    f"PUT {BASE}/rules": Setup(who="office", base=_rules_body, lookups=_LIST),
}


def _page(path: str):
    def url(w: World) -> str:
        _world(w)
        return path

    return url


FORMS = {
    "sv-subject-canteen": (
        "office",
        _page(f"{PAGES}/subjects/new/canteen/"),
        lambda w: {
            "school": "测试第9小学",
            "school_kind": "primary",
            "licence_number": "JY99989999999999",
            "district": w.sv_district.pk,
        },
    ),
    "sv-subject-elevator": (
        "office",
        _page(f"{PAGES}/subjects/new/elevator/"),
        lambda w: {
            "registration_code": "HOSTILE-9",
            "building": "测试大厦",
            "user_unit": "测试物业",
            "maintenance_company": "测试维保",
            "last_maintained_on": "2024-05-01",
        },
    ),
    "sv-subject-edit": (
        "office",
        lambda w: f"{PAGES}/subjects/{_world(w).sv_canteen.pk}/edit/",
        lambda w: {
            "school": "测试小学",
            "school_kind": "primary",
            "licence_number": "JY99980000000000",
        },
    ),
    "sv-subject-close": StepForm(
        who="office",
        page=lambda w: f"{PAGES}/subjects/{_world(w).sv_elevator.pk}/close/",
        base=lambda w: {"closed_on": "2024-05-06", "reason": "已拆除"},
        reset=_reopen,
    ),
    "sv-inspector-new": StepForm(
        who="office",
        page=_page(f"{PAGES}/inspectors/new/"),
        base=lambda w: {
            "unit": w.sv_unit.pk,
            "username": "hostile-spare" if _spare(w) else "",
            "name": "新检查员",
            "certificate_number": "ZF-H-9",
            "kinds": ["canteen"],
        },
        reset=_only_world_inspector,
    ),
    "sv-inspector-edit": (
        "office",
        lambda w: f"{PAGES}/inspectors/{_world(w).sv_inspector.pk}/edit/",
        lambda w: {"name": "测试检查员", "certificate_number": "ZF-H-1", "kinds": ["canteen"]},
    ),
    "sv-link-new": StepForm(
        who="office",
        page=lambda w: f"{PAGES}/inspectors/{_world(w).sv_inspector.pk}/links/new/",
        base=lambda w: {"subject": str(w.sv_canteen.pk), "reason": "relative"},
        reset=_no_links,
    ),
    "sv-check-item": (
        "office",
        _page(f"{PAGES}/check-items/new/"),
        lambda w: {
            "code": "hostile-item",
            "title": "电梯维护保养检查",
            "subject_kind": "elevator",
            "kind": "key",
            "publication_workdays": "20",
        },
    ),
    "sv-category": (
        "office",
        _page(f"{PAGES}/categories/new/"),
        lambda w: {"code": "hostile-category", "name": "家具"},
    ),
    "sv-rules": (
        "office",
        _page(f"{PAGES}/rules/"),
        lambda w: {k: str(v) for k, v in _rules_body(w, 0).items()},
    ),
}


def _spare(w: World) -> bool:
    from django.contrib.auth import get_user_model

    get_user_model().objects.get_or_create(username="hostile-spare")
    return True
