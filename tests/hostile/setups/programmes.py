"""Hostile-suite setups of the campaign programmes: a programme over an activity of the world's
campaign, with one SME target, made the first time an operation asks for it."""

import datetime as dt

from django.utils import timezone

from tests.hostile.conftest import World
from tests.hostile.setup import Setup


def _programme_world(w: World) -> World:
    if hasattr(w, "programme"):
        return w
    from qualitymonth.core.models import Membership
    from qualitymonth.core.validators import uscc_check_character
    from qualitymonth.enterprises.models import Enterprise, ServiceType
    from qualitymonth.enterprises.services import programmes as services
    from tests.factories import ActivityFactory

    office = (
        Membership.objects.filter(
            role=Membership.Role.CAMPAIGN_OFFICE, unit__region=w.campaign.region
        )
        .select_related("user")
        .first()
        .user
    )
    w.programme_service = ServiceType.objects.create(
        code="hostile-diagnosis",
        category="quality",
        name="质量诊断",
        response_workdays=5,
        completion_workdays=20,
    )
    body = "91999996000000001"
    w.programme_enterprise = Enterprise.objects.create(
        region=w.campaign.region,
        uscc=body + uscc_check_character(body),
        name="示例帮扶企业有限公司",
        legal_representative="王某",
        registered_address="某路2号",
        is_sme=True,
    )
    w.programme_activity = ActivityFactory(campaign=w.campaign, organiser=w.unit)
    w.programme = services.programme_create(
        activity=w.programme_activity,
        service_type=w.programme_service,
        goal_enterprises=5,
        acting_user=office,
    )
    services.programme_targets_build(
        programme=w.programme, filters={"is_sme": True}, acting_user=office
    )
    return w


def _new_activity(w: World):
    from tests.factories import ActivityFactory

    return ActivityFactory(campaign=w.campaign, organiser=w.unit)


def _reset_needs(w: World) -> None:
    from qualitymonth.enterprises.models import Need

    Need.objects.filter(programme=_programme_world(w).programme).delete()


def _path(w: World) -> dict:
    return {"programme_id": _programme_world(w).programme.pk}


SETUPS = {
    "GET /api/office/programmes": Setup(who="office", path=lambda w: _programme_world(w) and {}),
    "POST /api/office/programmes": Setup(
        who="office",
        path=lambda w: _programme_world(w) and {},
        base=lambda w, n: {
            "activity_id": _new_activity(w).pk,
            "service_type": w.programme_service.code,
            "goal_enterprises": 3,
        },
        lookups=frozenset({"activity_id", "service_type"}),
    ),
    "POST /api/office/programmes/{programme_id}/targets": Setup(
        who="office",
        path=_path,
        base=lambda w, n: {"is_sme": True},
        lookups=frozenset({"district", "industry", "size"}),
    ),
    "POST /api/office/programmes/{programme_id}/visits": Setup(
        who="office",
        path=_path,
        base=lambda w, n: {
            "enterprise_ids": [w.programme_enterprise.pk],
            "planned_on": (timezone.localdate() + dt.timedelta(days=7)).isoformat(),
        },
        reset=_reset_needs,
        lookups=frozenset({"enterprise_ids"}),
    ),
}


def _new_page(w: World) -> str:
    _programme_world(w)
    return "/office/programmes/new/"


FORMS = {
    "programme-new": (
        "office",
        _new_page,
        lambda w: {
            "activity": w.programme_activity.pk,
            "service_type": w.programme_service.pk,
            "goal_enterprises": "3",
        },
    ),
    "programme-targets": (
        "office",
        lambda w: f"/office/programmes/{_programme_world(w).programme.pk}/targets/",
        lambda w: {"is_sme": "on"},
    ),
}
