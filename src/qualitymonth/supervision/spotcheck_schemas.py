"""API shapes of the product spot checks (spotcheck_api.py)."""

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from qualitymonth.core.schemas import InputSchema, Line, Text
from qualitymonth.supervision import spotcheck_selectors as selectors
from qualitymonth.supervision.services.spotchecks import (
    CATEGORIES_MAX,
    NOTICE_MAX,
    YEAR_MAX,
    YEAR_MIN,
)

Result = Literal["pass", "fail"]
NO_FEE = "Spot-check samples are taken and tested free of charge (产品质量法 art. 15)"


class SpotCheckCategoryOut(Schema):
    code: str
    name: str
    name_en: str


class RateRowOut(Schema):
    key: str = Field(description="The category's or district's code (empty: all)")
    label: str
    tested: int = Field(description="Samples with a final result")
    failed: int
    pending: int
    rate: float | None = Field(description="Failed over tested, in per cent")

    @staticmethod
    def resolve_rate(obj) -> float | None:
        return float(obj.rate) if obj.rate is not None else None


class FiguresOut(Schema):
    total: RateRowOut
    categories: list[RateRowOut]
    districts: list[RateRowOut]


class SpotCheckPlanOut(Schema):
    id: int
    year: int
    title: str
    unit: str = Field(alias="unit.code")
    region: str = Field(alias="region.code")
    campaign: str | None
    laboratory: str
    status: str
    samples: int = Field(alias="n_samples")
    failed: int = Field(alias="n_failed")
    pending: int = Field(alias="n_pending")
    published_at: dt.datetime | None

    @staticmethod
    def resolve_campaign(obj) -> str | None:
        return obj.campaign.slug if obj.campaign_id else None


class SampleOut(Schema):
    number: str
    plan_id: int
    enterprise_id: int
    enterprise: str = Field(alias="enterprise.name")
    uscc: str = Field(alias="enterprise.uscc")
    category: str = Field(alias="category.code")
    district: str | None
    product: str
    brand: str
    model_spec: str
    batch: str
    quantity: str
    seal_number: str
    sampled_on: dt.date
    fee_charged: bool = Field(False, description=NO_FEE)
    outcome: str
    failed_items: str
    result_on: dt.date | None
    received_on: dt.date | None
    retest_closes_on: dt.date | None = Field(
        description="The last day the enterprise may ask for a re-test (calendar days)"
    )
    retest_requested_on: dt.date | None
    retest_outcome: str
    retest_on: dt.date | None
    final_outcome: str = Field(description="The re-test's result when there was one")
    rectify_by: dt.date | None
    recheck_outcome: str
    recheck_on: dt.date | None

    @staticmethod
    def resolve_district(obj) -> str | None:
        return obj.district.code if obj.district_id else None

    @staticmethod
    def resolve_retest_closes_on(obj) -> dt.date | None:
        return selectors.retest_closes_on(obj)

    @staticmethod
    def resolve_fee_charged(obj) -> bool:
        return False


class PlanDetailOut(SpotCheckPlanOut):
    categories: list[SpotCheckCategoryOut]
    notice: str
    publish_blockers: list[str] = Field(description="Why the notice cannot be published yet")
    figures: FiguresOut
    sample_list: list[SampleOut] = Field(description="The plan's samples by number")

    @staticmethod
    def resolve_categories(obj) -> list:
        return list(obj.categories.all())


class SpotCheckPlanIn(InputSchema):
    unit: Line = Field(..., max_length=40, description="The code of the unit that runs it")
    year: int = Field(..., ge=YEAR_MIN, le=YEAR_MAX)
    title: Line = Field(..., max_length=120)
    categories: list[Line] = Field(
        ..., max_length=CATEGORIES_MAX, description="Codes of the city's product categories"
    )
    laboratory: Line = Field("", max_length=120)
    campaign: Line = Field("", max_length=60, description="A campaign's slug (optional)")


class PlanFilterIn(InputSchema):
    q: Line = Field("", max_length=60)
    year: int | None = Field(None, ge=YEAR_MIN, le=YEAR_MAX)
    status: Line = Field("", max_length=12, description="sampling | testing | published")


class SampleIn(InputSchema):
    enterprise: Line = Field(
        ..., max_length=18, description="The enterprise's unified social credit code"
    )
    category: Line = Field(..., max_length=40, description="A product category code of the plan")
    product: Line = Field(..., max_length=120)
    brand: Line = Field("", max_length=60)
    model_spec: Line = Field("", max_length=60)
    batch: Line = Field("", max_length=40)
    quantity: Line = Field(..., max_length=40)
    seal_number: Line = Field(..., max_length=30)
    sampled_on: dt.date


class SampleResultIn(InputSchema):
    outcome: Result
    failed_items: Line = Field("", max_length=500, description="Required for a failure")
    result_on: dt.date
    rectify_by: dt.date | None = Field(None, description="Required for a failure")


class ReceivedIn(InputSchema):
    received_on: dt.date = Field(description="The day the result notice was served")


class RetestResultIn(InputSchema):
    outcome: Result
    failed_items: Line = Field("", max_length=500, description="Required for a failure")
    retest_on: dt.date
    rectify_by: dt.date | None = Field(None, description="Required for a failure")


class RecheckIn(InputSchema):
    outcome: Result
    recheck_on: dt.date


class SpotCheckPublishIn(InputSchema):
    notice: Text = Field(
        "",
        max_length=NOTICE_MAX,
        description="The notice's text; empty: the text generated from the figures",
    )


# --- public and the enterprise's own -------------------------------------------------------------
class PublicPlanOut(Schema):
    id: int
    year: int
    title: str
    unit: str = Field(alias="unit.name")
    samples: int = Field(alias="n_samples")
    failed: int = Field(alias="n_failed")
    published_at: dt.datetime | None


class PublicSampleOut(Schema):
    """What the notice publishes of a sample: the enterprise (a legal person), never a person."""

    category: str
    enterprise: str = Field(alias="enterprise.name")
    product: str
    brand: str
    model_spec: str
    batch: str
    result: str
    failed_items: str

    @staticmethod
    def resolve_category(obj) -> str:
        return obj.category.name

    @staticmethod
    def resolve_result(obj) -> str:
        return obj.final_outcome

    @staticmethod
    def resolve_failed_items(obj) -> str:
        return obj.failed_items if obj.final_outcome == "fail" else ""


class PublicPlanDetailOut(PublicPlanOut):
    notice: str
    figures: FiguresOut
    sample_list: list[PublicSampleOut]


class MySampleOut(Schema):
    number: str
    plan: str = Field(alias="plan.title")
    enterprise: str = Field(alias="enterprise.name")
    category: str = Field(alias="category.code")
    product: str
    brand: str
    model_spec: str
    batch: str
    sampled_on: dt.date
    fee_charged: bool = Field(False, description=NO_FEE)
    outcome: str
    failed_items: str
    result_on: dt.date | None
    received_on: dt.date | None
    retest_closes_on: dt.date | None
    retest_requested_on: dt.date | None
    retest_outcome: str
    final_outcome: str
    rectify_by: dt.date | None
    recheck_outcome: str
    can_request_retest: bool

    @staticmethod
    def resolve_retest_closes_on(obj) -> dt.date | None:
        return selectors.retest_closes_on(obj)

    @staticmethod
    def resolve_can_request_retest(obj) -> bool:
        return selectors.can_request_retest(obj)

    @staticmethod
    def resolve_fee_charged(obj) -> bool:
        return False
