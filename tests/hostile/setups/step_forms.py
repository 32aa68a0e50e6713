"""The step forms shown on a detail page and posted to another address (the need's rating and
the office's and provider's steps, the self-assessment's review and reopening, a participation's
decline, the programme's visit planning), as `StepForm` entries (tests/hostile/setup.py)."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.hostile.conftest import World
from tests.hostile.setup import StepForm


# --- the one-stop service ---------------------------------------------------------------------
def _needs(w: World) -> World:
    from tests.hostile.test_api import _need_world

    return _need_world(w)


def _need(w: World, which: str):
    return _needs(w).needs[which]


def _need_page(which: str, where: str = "/office/needs"):
    return lambda w: f"{where}/{_need(w, which).number}/"


def _need_step(which: str, step: str, where: str = "/office/needs"):
    return lambda w: f"{where}/{_need(w, which).number}/{step}/"


def _reset_need(which: str, **fields):
    def reset(w: World) -> None:
        from qualitymonth.enterprises.models import Need

        Need.objects.filter(pk=_need(w, which).pk).update(**fields)

    return reset


def _reset_delivered(w: World) -> None:
    _reset_need(
        "delivered",
        status="delivered",
        rating=None,
        rating_comment="",
        closed_at=None,
        delivered_at=timezone.now(),
    )(w)


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("报告.pdf", b"%PDF-1.4\n%%EOF", content_type="application/pdf")


_FEES = {"fee_standard": "800", "fee_charged": "0", "relief": "waived"}

NEED_FORMS = {
    "need-rate": StepForm(
        who="need_member",
        page=_need_page("delivered", "/services"),
        post=_need_step("delivered", "rate", "/services"),
        key="rate_form",
        base=lambda w: {"rating": "5", "comment": "服务及时"},
        reset=_reset_delivered,
    ),
    "need-decline": StepForm(
        who="office",
        page=_need_page("waiting"),
        post=_need_step("waiting", "decline"),
        key="decline_form",
        base=lambda w: {"reason": "不属于服务范围"},
        reset=_reset_need("waiting", status="submitted", decline_reason=""),
    ),
    "need-dispatch": StepForm(
        who="office",
        page=_need_page("waiting"),
        post=_need_step("waiting", "dispatch"),
        key="dispatch_form",
        base=lambda w: {"provider": str(w.need_provider.pk), "reason": "就近安排"},
        reset=_reset_need("waiting", status="submitted", provider=None),
    ),
    "need-visit": StepForm(
        who="need_provider",
        page=_need_page("serving"),
        post=_need_step("serving", "visit"),
        key="visit_form",
        base=lambda w: {
            "visited_on": timezone.localdate().isoformat(),
            "notes": "现场校准",
            "problems_found": "2",
            "problems_solved": "1",
        },
        reset=_reset_need("serving", status="in_service"),
    ),
    "need-deliverable": StepForm(
        who="need_provider",
        page=_need_page("serving"),
        post=_need_step("serving", "deliverable"),
        key="deliverable_form",
        base=lambda w: {"title": "校准证书", "file": _pdf()},
        reset=_reset_need("serving", status="in_service"),
    ),
    "need-deliver": StepForm(
        who="need_provider",
        page=_need_page("serving"),
        post=_need_step("serving", "deliver"),
        key="deliver_form",
        base=lambda w: dict(_FEES),
        reset=_reset_need("serving", status="in_service", delivered_at=None),
    ),
    "need-fees": StepForm(
        who="office",
        page=_need_page("delivered"),
        post=_need_step("delivered", "fees"),
        key="fees_form",
        base=lambda w: dict(_FEES),
        reset=_reset_delivered,
    ),
}


# --- the GB/T 19580 self-assessment -----------------------------------------------------------
def _assessment(w: World):
    from tests.hostile.setups.excellence import _world

    return _world(w).excellence_submitted


def _expert(w: World) -> World:
    """A quality expert of the campaign's city, who reviews what was handed in."""
    if "expert" not in w.clients:
        from django.test import Client

        from qualitymonth.core.models import Membership
        from tests.factories import MembershipFactory, UnitFactory, UserFactory

        expert = MembershipFactory(
            unit=UnitFactory(region=w.campaign.region, code="hostile-experts"),
            role=Membership.Role.EXPERT,
            user=UserFactory(username="hostile-expert"),
        ).user
        w.clients["expert"] = Client()
        w.clients["expert"].force_login(expert)
    return w


def _assessment_page(w: World) -> str:
    return f"/office/excellence/{_assessment(_expert(w)).pk}/"


def _assessment_step(step: str):
    return lambda w: f"/office/excellence/{_assessment(w).pk}/{step}/"


def _reset_assessment(w: World) -> None:
    from qualitymonth.enterprises.models import SelfAssessment
    from tests.hostile.setups.excellence import _reset_submitted

    _reset_submitted(w)
    # A reopening clears the time it was handed in: a submitted one has it again.
    SelfAssessment.objects.filter(pk=_assessment(w).pk).update(submitted_at=timezone.now())


EXCELLENCE_FORMS = {
    "excellence-review": StepForm(
        who="expert",
        page=_assessment_page,
        post=_assessment_step("review"),
        key="review_form",
        base=lambda w: {"note": "总体良好", "results_adjusted": "200", "results_note": "数据不足"},
        reset=_reset_assessment,
    ),
    "excellence-reopen": StepForm(
        who="office",
        page=_assessment_page,
        post=_assessment_step("reopen"),
        key="reopen_form",
        base=lambda w: {"reason": "请补充近三年的经营数据"},
        reset=_reset_assessment,
    ),
}


# --- campaign participation and programmes ----------------------------------------------------
def _to_decline(w: World):
    from tests.hostile.setups.participation import _world

    return _world(w).to_decline


def _reset_participation(w: World) -> None:
    from tests.hostile.setups.participation import _reset

    _reset("to_decline")(w)


def _programme(w: World):
    from tests.hostile.setups.programmes import _programme_world

    return _programme_world(w).programme


def _reset_programme_needs(w: World) -> None:
    from tests.hostile.setups.programmes import _reset_needs

    _reset_needs(w)


OTHER_FORMS = {
    "participation-decline": StepForm(
        who="office",
        page=lambda w: f"/office/participations/{_to_decline(w).pk}/",
        post=lambda w: f"/office/participations/{_to_decline(w).pk}/decline/",
        key="decline_form",
        base=lambda w: {"reason": "不属于本次活动范围"},
        reset=_reset_participation,
    ),
    # The planning form is on the programme's page and always answers with a redirect: a
    # refused value is an error message, no visit planned.
    "programme-visits": StepForm(
        who="office",
        page=lambda w: f"/office/programmes/{_programme(w).pk}/",
        post=lambda w: f"/office/programmes/{_programme(w).pk}/visits/",
        key="plan_form",
        base=lambda w: {
            "enterprises": [str(w.programme_enterprise.pk)],
            "planned_on": (timezone.localdate() + dt.timedelta(days=7)).isoformat(),
        },
        reset=_reset_programme_needs,
        redirecting=("planned_on", "enterprises"),
    ),
}

FORMS = {**NEED_FORMS, **EXCELLENCE_FORMS, **OTHER_FORMS}
