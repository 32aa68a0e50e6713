"""API shapes of the campaign programmes (programme_api.py)."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from qualitymonth.core.schemas import InputSchema, Line
from qualitymonth.core.validators import DbInt
from qualitymonth.enterprises.services import programmes as services


class ProgressOut(Schema):
    goal: int
    targets: int
    reached: int = Field(description="Target enterprises with at least one visit")
    visits: int
    problems_found: int
    problems_solved: int
    money_saved: Decimal = Field(description="Standard fees minus fees charged, in yuan")
    needs_open: int
    needs_closed: int


class ProgrammeOut(Schema):
    id: int
    activity_id: int
    title: str = Field(alias="activity.title")
    campaign: str = Field(alias="activity.campaign.slug")
    service_type: str = Field(alias="service_type.code")
    goal_enterprises: int
    target_filter: dict
    created_at: dt.datetime
    progress: ProgressOut


class TargetOut(Schema):
    enterprise_id: int
    name: str = Field(alias="enterprise.name")
    uscc: str = Field(alias="enterprise.uscc")
    district: str | None
    industry: str | None
    complaints: int
    reached: bool

    @staticmethod
    def resolve_district(obj) -> str | None:
        district = obj.enterprise.district
        return district.code if district else None

    @staticmethod
    def resolve_industry(obj) -> str | None:
        industry = obj.enterprise.industry
        return industry.code if industry else None

    @staticmethod
    def resolve_complaints(obj) -> int:
        return obj.complaints or 0


class ProgrammeDetailOut(ProgrammeOut):
    targets: list[TargetOut] = Field(description="The first targets by name (see `progress`)")

    @staticmethod
    def resolve_targets(obj) -> list:
        return getattr(obj, "targets_page", [])


class ProgrammeIn(InputSchema):
    activity_id: DbInt
    service_type: Line = Field(..., max_length=40, description="The service type's code")
    goal_enterprises: int = Field(0, ge=0, le=services.GOAL_MAX)


class TargetFilterIn(InputSchema):
    district: Line = Field("", max_length=12, description="A district's code")
    industry: Line = Field(
        "", max_length=4, description="A GB/T 4754 section letter or division code"
    )
    size: Line = Field("", max_length=10, description="large | medium | small | micro")
    is_sme: bool = False
    is_key_industry: bool = False
    is_specialised: bool = False
    min_complaints: int = Field(0, ge=0, le=services.COMPLAINTS_MAX)
    min_problems: int = Field(
        0,
        ge=0,
        le=services.COMPLAINTS_MAX,
        description="Complaints, inspections finding hazards, failed spot checks and cases",
    )


class TargetsBuiltOut(Schema):
    added: int
    progress: ProgressOut


class VisitsIn(InputSchema):
    enterprise_ids: list[DbInt] = Field(..., max_length=services.PLAN_MAX)
    planned_on: dt.date


class PlannedNeedOut(Schema):
    number: str
    enterprise_id: int
    status: str
    wished_from: dt.date | None
    complete_by: dt.date | None


class PublicProgrammeOut(Schema):
    title: str
    activity_id: int
    goal: int
    targets: int
    reached: int
    visits: int
    problems_found: int
    problems_solved: int
    money_saved: Decimal
