"""Hostile-suite setups of the one-stop service's later operations and pages."""

from tests.hostile.setup import Setup


def _world(w):
    from tests.hostile.test_api import _need_world

    return _need_world(w)


def _steward_enterprise(w):
    from tests.hostile.test_api import _registry_enterprise

    return _registry_enterprise(w)


def _steward_name(w) -> str:
    from qualitymonth.core.models import Membership
    from tests.factories import MembershipFactory, UnitFactory, UserFactory

    if not hasattr(w, "steward"):
        w.steward = MembershipFactory(
            unit=UnitFactory(region=w.campaign.region, code="hostile-steward-unit"),
            role=Membership.Role.UNIT_STAFF,
            user=UserFactory(username="hostile-steward"),
        ).user
    return w.steward.username


SETUPS = {
    "PUT /api/office/enterprises/{enterprise_id}/steward": Setup(
        who="office",
        path=lambda w: {"enterprise_id": _steward_enterprise(w).pk},
        base=lambda w, n: {"steward": _steward_name(w)},
        lookups=frozenset({"steward"}),
    ),
}

FORMS = {
    "need-file": (
        "need_member",
        lambda w: _world(w) and "/services/new/",
        lambda w: {
            "enterprise": _world(w).need_enterprise.pk,
            "service_type": w.service_type.pk,
            "description": "电子秤需要校准",
            "products": "电子秤",
        },
    ),
}
