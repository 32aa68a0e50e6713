"""Hostile-suite setups of campaign participation: an applicant and two pending applications
(one the office accepts, one it declines), made the first time an operation asks for them.
The operations without a body or a query (accept, the public participants) are not fuzzed."""

from qualitymonth.core.validators import uscc_check_character
from tests.hostile.conftest import World
from tests.hostile.setup import Setup, _fresh, _latest


def _code(n: int) -> str:
    body = f"51999998{n:09d}"
    return body + uscc_check_character(body)


def _body(w: World, n: int) -> dict:
    return {
        "kind": "association",
        "name": f"示例测试协会{n}",
        "uscc": _code(n),
        "district": w.campaign.region.children.first().code,
        "contact_name": "陈晓明",
        "contact_mobile": "13912340000",
        "plan": "九月举办质量培训。",
    }


def _world(w: World) -> World:
    if hasattr(w, "to_accept"):
        return w
    from django.test import Client

    from qualitymonth.campaigns.services import participation as services
    from tests.factories import UserFactory

    applicant = UserFactory(username="participation-applicant")
    w.clients["applicant"] = Client()
    w.clients["applicant"].force_login(applicant)
    w.to_accept, w.to_decline = (
        services.participation_apply(
            campaign=w.campaign, acting_user=applicant, **{**_body(w, n), "district": None}
        )
        for n in (900_000_001, 900_000_002)
    )
    return w


def _reset(which: str):
    def reset(w: World) -> None:
        participation = getattr(_world(w), which)
        type(participation).objects.filter(pk=participation.pk).update(
            status="pending", reason="", unit=None, decided_by=None, decided_at=None
        )

    return reset


SETUPS = {
    "POST /api/campaigns/{slug}/participations": Setup(
        who="author",
        path=lambda w: {"slug": w.campaign.slug},
        base=_body,
        stored={
            "name": _latest("campaigns.Participation", "name"),
            "contact_name": _latest("campaigns.Participation", "contact_name"),
            "plan": _latest("campaigns.Participation", "plan"),
        },
        lookups=frozenset({"district"}),
    ),
    "GET /api/participations/mine": Setup(who="applicant", path=lambda w: _world(w) and {}),
    "GET /api/office/participations": Setup(who="office", lookups=frozenset({"campaign"})),
    "POST /api/office/participations/{participation_id}/decline": Setup(
        who="office",
        path=lambda w: {"participation_id": _world(w).to_decline.pk},
        base=lambda w, n: {"reason": "不属于本次活动范围"},
        reset=_reset("to_decline"),
        stored={"reason": _fresh("to_decline", "reason")},
    ),
}

FORMS = {
    "participation-join": (
        "author",
        lambda w: f"/campaigns/{w.campaign.slug}/join/",
        lambda w: {**_body(w, 900_000_003), "district": ""},
    ),
}
