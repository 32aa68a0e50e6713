"""API shapes of the GB/T 19580 self-assessment (excellence_api.py). A category's fields are
named after it: `leadership` and `leadership_evidence` in a draft, `leadership_adjusted` and
`leadership_note` in a review, so a refusal names the field the client sent."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema
from pydantic import create_model

from qualitymonth.core.schemas import InputSchema, Line, Text
from qualitymonth.enterprises import excellence_selectors as selectors
from qualitymonth.enterprises.models import (
    EXCELLENCE_POINTS,
    ExcellenceCategory,
    SelfAssessment,
    SelfAssessmentScore,
)
from qualitymonth.enterprises.services import excellence as services

CATEGORY_VALUES = " | ".join(ExcellenceCategory.values)


class ScoreOut(Schema):
    category: str = Field(description=CATEGORY_VALUES)
    label: str
    points: int = Field(description="The category's maximum (GB/T 19580-2012)")
    score: Decimal = Field(description="The enterprise's own score")
    evidence: str
    adjusted_score: Decimal | None = Field(description="The expert's score, if changed")
    adjust_note: str
    final_score: Decimal

    @staticmethod
    def resolve_label(obj: SelfAssessmentScore) -> str:
        return str(selectors.SHORT_LABELS[ExcellenceCategory(obj.category)])

    @staticmethod
    def resolve_points(obj: SelfAssessmentScore) -> int:
        return EXCELLENCE_POINTS[ExcellenceCategory(obj.category)]


class SelfAssessmentListOut(Schema):
    id: int
    enterprise_id: int
    enterprise_name: str = Field(alias="enterprise.name")
    uscc: str = Field(alias="enterprise.uscc")
    year: int
    status: str = Field(description=" | ".join(SelfAssessment.Status.values))
    status_label: str
    submitted_at: dt.datetime | None
    reviewed_at: dt.datetime | None
    total: Decimal = Field(description="Sum of the final scores, out of 1,000")
    band: str = Field(description="A plain reading of the total, not an official level")

    @staticmethod
    def resolve_status_label(obj: SelfAssessment) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_total(obj: SelfAssessment) -> Decimal:
        found = getattr(obj, "total_points", None)
        return found if found is not None else selectors.total(obj.scores.all())

    @staticmethod
    def resolve_band(obj: SelfAssessment) -> str:
        return selectors.band(SelfAssessmentListOut.resolve_total(obj))


class SelfAssessmentOut(SelfAssessmentListOut):
    review_note: str
    scores: list[ScoreOut]

    @staticmethod
    def resolve_scores(obj: SelfAssessment) -> list:
        return list(obj.scores.all())


def _draft_fields() -> dict:
    fields = {}
    for category in ExcellenceCategory:
        points = EXCELLENCE_POINTS[category]
        fields[category.value] = (
            Decimal | None,
            Field(None, description=f"0 to {points}, one decimal at most; null: not scored yet"),
        )
        fields[f"{category.value}_evidence"] = (
            Text,
            Field("", max_length=services.EVIDENCE_MAX, description="What the score rests on"),
        )
    return fields


def _review_fields() -> dict:
    fields = {
        "note": (Text, Field("", max_length=services.NOTE_MAX, description="For the enterprise"))
    }
    for category in ExcellenceCategory:
        fields[f"{category.value}_adjusted"] = (
            Decimal | None,
            Field(None, description="The expert's score; null keeps the enterprise's"),
        )
        fields[f"{category.value}_note"] = (
            Line,
            Field(
                "",
                max_length=services.ADJUST_NOTE_MAX,
                description="Why the score was changed (required when it was)",
            ),
        )
    return fields


# Seven categories, two fields each: built from the categories so the two never disagree.
SelfAssessmentIn = create_model(
    "SelfAssessmentIn",
    __base__=InputSchema,
    __doc__="The whole draft: a category left null has no score yet.",
    **_draft_fields(),
)
ReviewIn = create_model(
    "ReviewIn",
    __base__=InputSchema,
    __doc__="The expert's adjustments; a category left null keeps the enterprise's score.",
    **_review_fields(),
)


class SelfAssessmentFilterIn(InputSchema):
    q: Line = Field("", max_length=60, description="Words of the enterprise's name, or its code")
    year: Line = Field("", description="A year, e.g. 2024")
    status: Line = Field("", description=" | ".join(SelfAssessment.Status.values))
    industry: Line = Field("", description="An industry's code: a division (34) or a section (C)")
    district: Line = Field("", description="A district's code")


def draft_scores(body) -> dict:
    """category -> (score, evidence) for the categories the client scored."""
    data = body.model_dump()
    return {
        c: (data[c], data[f"{c}_evidence"])
        for c in ExcellenceCategory.values
        if data[c] is not None
    }


def review_adjustments(body) -> dict:
    data = body.model_dump()
    return {c: (data[f"{c}_adjusted"], data[f"{c}_note"]) for c in ExcellenceCategory.values}
