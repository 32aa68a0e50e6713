"""API shapes of the supervision directories (directory_api.py)."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from qualitymonth.core.schemas import InputSchema, Line, Text
from qualitymonth.core.validators import DbInt
from qualitymonth.supervision.services import directories as services

CITY = Field("", max_length=12, description="The city's code; empty: the first city you keep")


# --- subjects ------------------------------------------------------------------------------------
class SubjectFilterIn(InputSchema):
    city: Line = CITY
    q: Line = Field("", max_length=60, description="Words of the name, or a code's start")
    kind: Line = Field("", max_length=12, description="enterprise | canteen | elevator")
    district: Line = Field("", max_length=12, description="A district's code")
    risk_grade: Line = Field("", max_length=1, description="A, B, C or D")
    active: Line = Field("", max_length=3, description="yes | no | empty for both")


class CanteenOut(Schema):
    school: str
    school_kind: str
    canteen: str
    licence_number: str


class ElevatorOut(Schema):
    registration_code: str
    building: str
    user_unit: str
    maintenance_company: str
    last_maintained_on: dt.date | None
    certificate_number: str
    certificate_expires_on: dt.date | None


class DirectorySubjectOut(Schema):
    id: int
    kind: str
    name: str
    city: str = Field(alias="region.code")
    district: str | None
    address: str
    enterprise_id: int | None
    risk_grade: str
    is_active: bool
    closed_on: dt.date | None
    code: str = Field(description="Licence number, registration code or USCC")

    @staticmethod
    def resolve_district(obj) -> str | None:
        return obj.district.code if obj.district_id else None

    @staticmethod
    def resolve_code(obj) -> str:
        if obj.kind == "canteen" and hasattr(obj, "canteen"):
            return obj.canteen.licence_number
        if obj.kind == "elevator" and hasattr(obj, "elevator"):
            return obj.elevator.registration_code
        return obj.enterprise.uscc if obj.enterprise_id else ""


class SubjectDetailOut(DirectorySubjectOut):
    supervising_unit: str | None
    industry: str | None
    canteen: CanteenOut | None
    elevator: ElevatorOut | None

    @staticmethod
    def resolve_supervising_unit(obj) -> str | None:
        return obj.supervising_unit.code if obj.supervising_unit_id else None

    @staticmethod
    def resolve_industry(obj) -> str | None:
        return obj.industry.code if obj.industry_id else None

    @staticmethod
    def resolve_canteen(obj):
        return obj.canteen if obj.kind == "canteen" and hasattr(obj, "canteen") else None

    @staticmethod
    def resolve_elevator(obj):
        return obj.elevator if obj.kind == "elevator" and hasattr(obj, "elevator") else None


class SubjectChangeIn(InputSchema):
    """Fields of any kind; those of another kind are ignored."""

    name: Line = Field("", max_length=200, description="Empty: made from the kind's details")
    address: Line = Field("", max_length=400)
    district: Line = Field("", max_length=12, description="A district's code")
    supervising_unit: Line = Field("", max_length=40, description="A unit's code")
    risk_grade: Line = Field("", max_length=1, description="A, B, C, D or empty")
    enterprise: Line = Field(
        "",
        max_length=20,
        description="The registry's enterprise: its USCC or its id (required for an enterprise)",
    )
    school: Line = Field("", max_length=200)
    school_kind: Line = Field(
        "", max_length=20, description="kindergarten | primary | secondary | university"
    )
    canteen: Line = Field("", max_length=100)
    licence_number: Line = Field("", max_length=30, description="JY followed by 14 digits")
    registration_code: Line = Field("", max_length=40)
    building: Line = Field("", max_length=200)
    user_unit: Line = Field("", max_length=200)
    maintenance_company: Line = Field("", max_length=200)
    last_maintained_on: dt.date | None = None
    certificate_number: Line = Field("", max_length=60)
    certificate_expires_on: dt.date | None = None


class SubjectIn(SubjectChangeIn):
    city: Line = CITY
    kind: Line = Field(..., max_length=12, description="enterprise | canteen | elevator")


class CloseIn(InputSchema):
    closed_on: dt.date
    reason: Text = Field(..., max_length=600)


# --- inspectors ----------------------------------------------------------------------------------
class InspectorFilterIn(InputSchema):
    city: Line = CITY
    q: Line = Field("", max_length=60)
    unit: DbInt | None = Field(None, description="A unit's id")
    kind: Line = Field("", max_length=12)
    district: Line = Field("", max_length=12)
    active: Line = Field("", max_length=3)


class InspectorOut(Schema):
    id: int
    name: str
    unit: str = Field(alias="unit.code")
    certificate_number: str
    qualifications: str
    kinds: list[str]
    districts: list[str]
    is_active: bool

    @staticmethod
    def resolve_districts(obj) -> list[str]:
        return [d.code for d in obj.districts.all()]


class InspectorIn(InputSchema):
    unit: Line = Field(..., max_length=40, description="The unit's code")
    username: Line = Field(..., max_length=150, description="An existing account's username")
    name: Line = Field(..., max_length=80)
    certificate_number: Line = Field(..., max_length=60)
    qualifications: Line = Field("", max_length=400)
    kinds: list[Line] = Field(..., max_length=3, description="enterprise, canteen, elevator")
    districts: list[Line] = Field(
        [], max_length=50, description="Districts' codes; none: the whole city"
    )


class LinkOut(Schema):
    id: int
    subject_id: int
    subject: str = Field(alias="subject.name")
    reason: str
    note: str
    declared_at: dt.datetime


class LinkIn(InputSchema):
    subject_id: DbInt
    reason: Line = Field(
        ..., max_length=20, description="relative | former_employee | consultant | other"
    )
    note: Line = Field("", max_length=400)


# --- check items and product categories ----------------------------------------------------------
class CheckItemFilterIn(InputSchema):
    city: Line = CITY
    q: Line = Field("", max_length=60)
    subject_kind: Line = Field("", max_length=12)
    kind: Line = Field("", max_length=10, description="ordinary | key")
    active: Line = Field("", max_length=3)


class DirectoryCheckItemOut(Schema):
    id: int
    code: str
    title: str
    subject_kind: str
    kind: str
    max_share: Decimal | None
    legal_basis: str
    publication_workdays: int
    exclude_own_unit: bool
    checklist_code: str
    is_active: bool


class CheckItemIn(InputSchema):
    city: Line = CITY
    code: Line = Field(..., max_length=40)
    title: Line = Field(..., max_length=240)
    subject_kind: Line = Field(..., max_length=12)
    kind: Line = Field(..., max_length=10, description="ordinary (with max_share) | key (without)")
    max_share: Decimal | None = Field(None, description="Per cent, 0.01–100; ordinary items only")
    legal_basis: Line = Field("", max_length=600)
    publication_workdays: int = Field(20, ge=1, le=services.PUBLICATION_MAX)
    exclude_own_unit: bool = False
    checklist_code: Line = Field("", max_length=40)
    is_active: bool = True


class CategoryFilterIn(InputSchema):
    city: Line = CITY
    q: Line = Field("", max_length=60)


class ProductCategoryOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    standard: str
    is_active: bool


class ProductCategoryIn(InputSchema):
    city: Line = CITY
    code: Line = Field(..., max_length=40)
    name: Line = Field(..., max_length=120)
    name_en: Line = Field("", max_length=200)
    standard: Line = Field("", max_length=400)
    is_active: bool = True


# --- rules ---------------------------------------------------------------------------------------
class CityIn(InputSchema):
    city: Line = CITY


class RulesOut(Schema):
    city: str
    is_default: bool = Field(description="True: the city has set nothing; national defaults")
    canteen_sample_grams: int
    canteen_sample_hours: int
    elevator_maintenance_days: int
    emergency_number: str
    lower_fine_person: Decimal
    lower_fine_organisation: Decimal
    retest_days: int


class RulesIn(InputSchema):
    city: Line = CITY
    canteen_sample_grams: int = Field(..., description="At least 125")
    canteen_sample_hours: int = Field(..., description="At least 48")
    elevator_maintenance_days: int
    emergency_number: Line = Field(..., max_length=20)
    lower_fine_person: Decimal
    lower_fine_organisation: Decimal
    retest_days: int = Field(..., description="At least 15")
