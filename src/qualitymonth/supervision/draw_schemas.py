"""API shapes of the "双随机、一公开" plans, tasks, draws and results (draw_api.py)."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from qualitymonth.core.schemas import InputSchema, Line
from qualitymonth.core.validators import DbInt
from qualitymonth.supervision.services import draws as services


class InspectionPlanIn(InputSchema):
    region: Line = Field("", max_length=12, description="The city's code; default: the office's")
    year: int = Field(..., ge=services.YEAR_MIN, le=services.YEAR_MAX)
    title: Line = Field(..., max_length=120)


class InspectionPlanOut(Schema):
    id: int
    region: str = Field(alias="region.code")
    year: int
    title: str
    created_at: dt.datetime


class TaskIn(InputSchema):
    plan_id: DbInt
    title: Line = Field(..., max_length=120)
    unit: Line = Field(..., max_length=40, description="The organising unit's code")
    subject_kind: Line = Field(..., max_length=12, description="enterprise | canteen | elevator")
    check_items: list[Line] = Field(..., max_length=50, description="Check item codes")
    districts: list[Line] = Field([], max_length=30, description="District codes")
    industries: list[Line] = Field([], max_length=30, description="GB/T 4754 codes")
    risk_grades: list[Line] = Field([], max_length=4, description="A | B | C | D")
    school_kinds: list[Line] = Field([], max_length=4, description="Canteens only")
    share: Decimal | None = Field(None, gt=0, le=100, max_digits=5, decimal_places=2)
    count: int | None = Field(None, ge=1, le=services.COUNT_MAX)
    inspectors_per_subject: int = Field(2, ge=2, le=services.PER_SUBJECT_MAX)
    starts_on: dt.date
    ends_on: dt.date


class TaskCheckItemOut(Schema):
    code: str
    title: str
    kind: str
    max_share: Decimal | None
    publication_workdays: int


class TaskOut(Schema):
    number: str
    plan_id: int
    title: str
    unit: str = Field(alias="unit.code")
    subject_kind: str
    subject_filter: dict
    share: Decimal | None
    count: int | None
    inspectors_per_subject: int
    starts_on: dt.date
    ends_on: dt.date
    status: str
    seed_digest: str
    seed: str = Field(description="Empty until the draw")
    drawn_at: dt.datetime | None

    @staticmethod
    def resolve_seed(obj) -> str:
        return obj.seed_revealed


class DrawnInspectorOut(Schema):
    inspector_id: int
    name: str = Field(alias="inspector.name")
    unit: str = Field(alias="inspector.unit.code")
    position: int
    is_active: bool
    replacement_reason: str


class TaskDrawnOut(Schema):
    id: int
    position: int
    subject_id: int
    subject: str = Field(alias="subject.name")
    district: str | None
    is_active: bool
    replaces_id: int | None
    replacement_reason: str
    result: str
    result_note: str
    result_on: dt.date | None
    publish_due: dt.date | None
    published_at: dt.datetime | None
    inspectors: list[DrawnInspectorOut]

    @staticmethod
    def resolve_district(obj) -> str | None:
        district = obj.subject.district
        return district.code if district else None

    @staticmethod
    def resolve_inspectors(obj) -> list:
        return list(obj.inspectors.all())


class TaskDetailOut(TaskOut):
    check_items: list[TaskCheckItemOut]
    population: int = Field(description="Subjects the draw was made from (0 before it)")
    drawn: list[TaskDrawnOut] = Field(description="The first rows by position (see the page)")

    @staticmethod
    def resolve_check_items(obj) -> list:
        return list(obj.check_items.all())

    @staticmethod
    def resolve_population(obj) -> int:
        return len((obj.population or {}).get("subjects", []))

    @staticmethod
    def resolve_drawn(obj) -> list:
        return getattr(obj, "drawn_page", [])


class ReplacementReasonIn(InputSchema):
    reason: Line = Field(..., max_length=200)


class DrawnResultIn(InputSchema):
    result: Line = Field(
        ..., max_length=12, description="no_problem | rectify | not_found | closed | refused | case"
    )
    note: Line = Field("", max_length=300)
    on: dt.date


class ResultsPublishIn(InputSchema):
    drawn_ids: list[DbInt] = Field(
        [], max_length=500, description="The drawn subjects to publish; empty: all recorded"
    )


class PublishedOut(Schema):
    published: int
    status: str


class SearchIn(InputSchema):
    q: Line = Field("", max_length=60)


class TaskSearchIn(SearchIn):
    status: Line = Field("", max_length=10)
    kind: Line = Field("", max_length=12)
    plan_id: DbInt | None = None


class ResultSearchIn(SearchIn):
    kind: Line = Field("", max_length=12)
    year: int | None = Field(None, ge=services.YEAR_MIN, le=services.YEAR_MAX)


class PublicResultOut(Schema):
    subject: str = Field(alias="subject.name")
    district: str | None
    result: str
    result_label: str
    published_at: dt.datetime

    @staticmethod
    def resolve_district(obj) -> str | None:
        district = obj.subject.district
        return district.localized_name if district else None

    @staticmethod
    def resolve_result_label(obj) -> str:
        return str(obj.get_result_display())


class PublicCheckItemOut(Schema):
    code: str
    title: str
    kind: str
    legal_basis: str


class PublicTaskOut(Schema):
    number: str
    title: str
    unit: str
    subject_kind: str
    check_items: list[PublicCheckItemOut]
    starts_on: dt.date
    ends_on: dt.date
    drawn_at: dt.datetime | None
    seed_digest: str
    published: int

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.unit.localized_name if hasattr(obj.unit, "localized_name") else obj.unit.name

    @staticmethod
    def resolve_check_items(obj) -> list:
        return list(obj.check_items.all())

    @staticmethod
    def resolve_published(obj) -> int:
        return getattr(obj, "published_count", 0) or 0


class PublicTaskDetailOut(PublicTaskOut):
    seed: str = Field(description="Revealed once the inspections are over or all are published")

    @staticmethod
    def resolve_seed(obj) -> str:
        return getattr(obj, "public_seed", "")

    results: list[PublicResultOut] = Field(description="The first published results by position")
    draw: dict | None = Field(description="draw.json: everything needed to rerun the draw")
