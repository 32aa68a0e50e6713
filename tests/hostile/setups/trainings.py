"""Hostile-suite setups of enterprise trainings and the CQO register: an enterprise with a member,
an open CQO training and an activity the office may mark, made the first time one asks."""

from tests.hostile.conftest import World
from tests.hostile.setup import Setup, _latest


def _training_world(w: World) -> World:
    if hasattr(w, "training"):
        return w
    from django.test import Client

    from qualitymonth.core.validators import uscc_check_character
    from qualitymonth.enterprises.models import Enterprise, EnterpriseMember, Training
    from tests.factories import ActivityFactory, UserFactory

    body = "91999996000000001"
    w.training_enterprise = Enterprise.objects.create(
        region=w.campaign.region,
        uscc=body + uscc_check_character(body),
        name="示例培训企业有限公司",
        legal_representative="王某",
        registered_address="某路1号",
    )
    member = UserFactory(username="training-member")
    EnterpriseMember.objects.create(enterprise=w.training_enterprise, user=member)
    w.clients["training_member"] = Client()
    w.clients["training_member"].force_login(member)
    activity = ActivityFactory(
        campaign=w.campaign, organiser=w.unit, title="首席质量官培训班", capacity=100_000
    )
    w.training = Training.objects.create(activity=activity, kind=Training.Kind.CQO)
    w.markable = ActivityFactory(campaign=w.campaign, organiser=w.unit, title="卓越绩效培训")
    return w


SETUPS = {
    "GET /api/trainings": Setup(who="training_member", path=lambda w: _training_world(w) and {}),
    "POST /api/trainings/{activity_id}/registrations": Setup(
        who="training_member",
        path=lambda w: {"activity_id": _training_world(w).training.activity_id},
        base=lambda w, n: {
            "enterprise_id": w.training_enterprise.pk,
            "cqo_id": None,
            "name": "王五",
            "mobile": f"136{n:08d}",
        },
        stored={"name": _latest("campaigns.Registration", "name")},
        lookups=frozenset({"enterprise_id", "cqo_id"}),
    ),
    "GET /api/enterprises/{enterprise_id}/cqos": Setup(
        who="training_member",
        path=lambda w: {"enterprise_id": _training_world(w).training_enterprise.pk},
    ),
    "POST /api/enterprises/{enterprise_id}/cqos": Setup(
        who="training_member",
        path=lambda w: {"enterprise_id": _training_world(w).training_enterprise.pk},
        base=lambda w, n: {
            "name": "张质量",
            "mobile": f"135{n:08d}",
            "position": "质量总监",
            "appointed_on": "2022-03-01",
        },
        stored={
            "name": _latest("enterprises.ChiefQualityOfficer", "name"),
            "position": _latest("enterprises.ChiefQualityOfficer", "position"),
        },
    ),
    "GET /api/office/cqos": Setup(
        who="office", lookups=frozenset({"district", "section", "division"})
    ),
}

FORMS = {
    "training-register": (
        "training_member",
        lambda w: f"/trainings/{_training_world(w).training.activity_id}/register/",
        lambda w: {
            "enterprise": str(w.training_enterprise.pk),
            "name": "王五",
            "mobile": "13600000009",
        },
    ),
    "training-cqo-new": (
        "training_member",
        lambda w: f"/trainings/cqos/new/?enterprise={_training_world(w).training_enterprise.pk}",
        lambda w: {
            "name": "张质量",
            "mobile": "13500000009",
            "position": "质量总监",
            "appointed_on": "2022-03-01",
        },
    ),
    "training-mark": (
        "office",
        lambda w: _training_world(w) and "/office/trainings/mark/",
        lambda w: {"activity": str(w.markable.pk), "kind": "excellence"},
    ),
}
