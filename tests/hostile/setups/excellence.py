"""Hostile-suite setups of the GB/T 19580 self-assessment: an enterprise in the campaign's city
whose member is the world's `author`, with a submitted self-assessment for the office to review,
made the first time an operation or form asks for them."""

from tests.hostile.conftest import World
from tests.hostile.setup import Setup

YEAR = 2024
CATEGORIES = (
    "leadership",
    "strategy",
    "customers",
    "resources",
    "processes",
    "measurement",
    "results",
)
POINTS = (110, 90, 90, 130, 100, 80, 400)


def _scores(ratio: float = 0.6) -> dict:
    return {c: (f"{p * ratio:.1f}", "证据") for c, p in zip(CATEGORIES, POINTS, strict=True)}


def _world(w: World) -> World:
    if hasattr(w, "excellence_enterprise"):
        return w
    from qualitymonth.core.models import Membership
    from qualitymonth.core.validators import uscc_check_character
    from qualitymonth.enterprises.models import Enterprise, EnterpriseMember
    from qualitymonth.enterprises.services import excellence as services

    body = "91999995000000001"
    w.excellence_enterprise = Enterprise.objects.create(
        region=w.campaign.region,
        uscc=body + uscc_check_character(body),
        name="示例卓越企业有限公司",
        legal_representative="王某",
        registered_address="某路1号",
    )
    author = w.entry.author
    EnterpriseMember.objects.create(enterprise=w.excellence_enterprise, user=author)
    assessment = services.self_assessment_save(
        enterprise=w.excellence_enterprise, year=YEAR - 1, scores=_scores(), acting_user=author
    )
    w.excellence_submitted = services.self_assessment_submit(
        assessment=assessment, acting_user=author
    )
    w.excellence_office = (
        Membership.objects.filter(
            role=Membership.Role.CAMPAIGN_OFFICE, unit__region=w.campaign.region
        )
        .first()
        .user
    )
    return w


def _draft_body(w: World, n: int) -> dict:
    body = {c: score for c, (score, _e) in _scores().items()}
    body.update({f"{c}_evidence": "年度质量分析会纪要" for c in CATEGORIES})
    return body


def _score_row(category: str, attribute: str, year: int):
    def read(w: World) -> str:
        from qualitymonth.enterprises.models import SelfAssessmentScore

        return getattr(
            SelfAssessmentScore.objects.get(
                assessment__enterprise=_world(w).excellence_enterprise,
                assessment__year=year,
                category=category,
            ),
            attribute,
        )

    return read


def _reset_submitted(w: World) -> None:
    from qualitymonth.enterprises.models import SelfAssessment, SelfAssessmentScore

    assessment = _world(w).excellence_submitted
    SelfAssessment.objects.filter(pk=assessment.pk).update(
        status="submitted", reviewed_by=None, reviewed_at=None, review_note=""
    )
    SelfAssessmentScore.objects.filter(assessment=assessment).update(
        adjusted_score=None, adjust_note=""
    )


def _reviewed_note(w: World) -> str:
    assessment = _world(w).excellence_submitted
    assessment.refresh_from_db()
    return assessment.review_note


SETUPS = {
    "PUT /api/enterprises/{enterprise_id}/self-assessments/{year}": Setup(
        who="author",
        path=lambda w: {"enterprise_id": _world(w).excellence_enterprise.pk, "year": YEAR},
        base=_draft_body,
        stored={
            f"{c}_evidence": _score_row(c, "evidence", YEAR) for c in ("leadership", "results")
        },
    ),
    "GET /api/office/self-assessments": Setup(
        who="office", lookups=frozenset({"industry", "district"})
    ),
    "POST /api/office/self-assessments/{assessment_id}/review": Setup(
        who="office",
        path=lambda w: {"assessment_id": _world(w).excellence_submitted.pk},
        base=lambda w, n: {
            "note": "总体良好",
            "results_adjusted": "200",
            "results_note": "数据不足",
        },
        reset=_reset_submitted,
        stored={
            "note": _reviewed_note,
            "results_note": _score_row("results", "adjust_note", YEAR - 1),
        },
        pairs={
            **{f"{c}_adjusted": f"{c}_note" for c in CATEGORIES},
            **{f"{c}_note": f"{c}_adjusted" for c in CATEGORIES},
        },
    ),
}


def _edit_page(w: World) -> str:
    return f"/excellence/{_world(w).excellence_enterprise.pk}/{YEAR}/"


FORMS = {
    "excellence-self-assessment": (
        "author",
        _edit_page,
        lambda w: {
            **{c: score for c, (score, _e) in _scores().items()},
            **{f"{c}_evidence": "证据" for c in CATEGORIES},
        },
    ),
}
